import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';
import { useIncidents } from './admin-api.ts';
import { ADMIN_SECTIONS } from './admin-sections.ts';

/** The admin area's start: one card per section, with the number of open incidents. */
export function OverviewPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('title'));
  const incidents = useIncidents();
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('title')}</h1>
      <p className="kern-body">{t('overview.intro')}</p>
      {incidents.data && incidents.data.length > 0 && (
        <div className="kern-alert kern-alert--warning">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--warning" aria-hidden="true" />
            <h2 className="kern-title">{t('overview.openIncidents', { count: incidents.data.length })}</h2>
          </div>
          <div className="kern-alert__body">
            <Link className="kern-link" to="/admin/stoerungen">
              {t('overview.toIncidents')}
            </Link>
          </div>
        </div>
      )}
      <ul className="admin-cards">
        {ADMIN_SECTIONS.map((section) => (
          <li key={section.path} className="kern-card">
            <div className="kern-card__container">
              <div className="kern-card__header">
                <h2 className="kern-title">
                  <Link className="kern-link kern-link--stretched" to={`/admin/${section.path}`}>
                    {t(`nav.${section.key}`)}
                  </Link>
                </h2>
              </div>
              <div className="kern-card__body">
                <p className="kern-body">{t(`overview.${section.key}`)}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
