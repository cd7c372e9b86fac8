import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { ADMIN_SECTIONS } from './admin-sections.ts';
import { CasePage } from './case-page.tsx';
import { CasesPage } from './cases-page.tsx';
import { ConnectorsPage } from './connectors-page.tsx';
import { IncidentsPage } from './incidents-page.tsx';
import { OverviewPage } from './overview-page.tsx';
import { TenantsPage } from './tenants-page.tsx';
import { UsersPage } from './users-page.tsx';
import './admin.css';

/** The admin area's routes under its path, with the section navigation above every page. */
export function Component() {
  const { t } = useTranslation('admin');
  return (
    <div className="kern-stack">
      <nav className="admin-nav" aria-label={t('nav.label')}>
        <ul>
          <li>
            <NavLink className="kern-link" to="/admin" end>
              {t('nav.overview')}
            </NavLink>
          </li>
          {ADMIN_SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink className="kern-link" to={`/admin/${section.path}`}>
                {t(`nav.${section.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="anbindungen" element={<ConnectorsPage />} />
        <Route path="stoerungen" element={<IncidentsPage />} />
        <Route path="benutzer" element={<UsersPage />} />
        <Route path="mandanten" element={<TenantsPage />} />
        <Route path="vorgaenge" element={<CasesPage />} />
        <Route path="vorgaenge/:id" element={<CasePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </div>
  );
}
