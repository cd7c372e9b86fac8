import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { LANGUAGES } from '../i18n/i18n.ts';
import { useLogout, useSession } from './session.ts';

/** Page frame of all areas: skip link, KERN Kopfzeile, header with navigation by role, main landmark, footer. */
export function Shell() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const user = session.data ?? null;
  const has = (role: string) => user?.roles.includes(role as never) ?? false;

  return (
    <div className="app">
      <a className="skip-link kern-link" href="#inhalt">
        {t('skipLink')}
      </a>
      <div className="kern-kopfzeile">
        <div className="kern-container">
          <div className="kern-kopfzeile__content">
            <span className="kern-kopfzeile__label">{t('kopfzeile')}</span>
          </div>
        </div>
      </div>
      <header className="app-header">
        <div className="kern-container app-header__bar">
          <Link className="app-brand" to="/">
            {t('app.name')}
            <span className="visually-hidden"> – {t('app.tagline')}</span>
          </Link>
          <nav className="app-nav" aria-label={t('nav.label')}>
            <ul>
              <li>
                <NavLink className="kern-link" to="/" end>
                  {t('nav.portal')}
                </NavLink>
              </li>
              <li>
                <NavLink className="kern-link" to="/status">
                  {t('nav.status')}
                </NavLink>
              </li>
              {has('caseworker') && (
                <li>
                  <NavLink className="kern-link" to="/inbox">
                    {t('nav.inbox')}
                  </NavLink>
                </li>
              )}
              {has('process-owner') && (
                <li>
                  <NavLink className="kern-link" to="/designer">
                    {t('nav.designer')}
                  </NavLink>
                </li>
              )}
              {has('admin') && (
                <li>
                  <NavLink className="kern-link" to="/admin">
                    {t('nav.admin')}
                  </NavLink>
                </li>
              )}
              <li>
                {user ? (
                  <button
                    type="button"
                    className="kern-btn kern-btn--tertiary"
                    onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/login') })}
                  >
                    <span className="kern-label">
                      {t('nav.logout')}
                      <span className="visually-hidden"> ({t('nav.signedInAs', { name: user.username })})</span>
                    </span>
                  </button>
                ) : (
                  <NavLink className="kern-link" to="/login">
                    {t('nav.login')}
                  </NavLink>
                )}
              </li>
              <li>
                <LanguageSwitch current={i18n.language} onChange={(lng) => i18n.changeLanguage(lng)} />
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="inhalt" className="app-main" tabIndex={-1}>
        <div className="kern-container">
          <Outlet />
        </div>
      </main>
      <footer className="app-footer">
        <nav className="kern-container" aria-label={t('footer.label')}>
          <ul>
            <li>
              <Link className="kern-link" to="/barrierefreiheit">
                {t('footer.accessibility')}
              </Link>
            </li>
            <li>
              <Link className="kern-link" to="/leichte-sprache" lang="de">
                {t('footer.easyLanguage')}
              </Link>
            </li>
            <li>
              <a className="kern-link" href="/docs">
                {t('footer.api')}
              </a>
            </li>
          </ul>
        </nav>
      </footer>
    </div>
  );
}

function LanguageSwitch({ current, onChange }: { current: string; onChange: (language: string) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t('language.label')}</legend>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className="kern-btn kern-btn--tertiary kern-btn--x-small"
          aria-pressed={current === lng}
          onClick={() => onChange(lng)}
        >
          <span className="kern-label">{t(`language.${lng}`)}</span>
        </button>
      ))}
    </fieldset>
  );
}
