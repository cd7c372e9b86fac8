import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';
import { type Role, useSession } from './session.ts';

/** Lets only signed-in staff with the role through; others go to /login (and come back afterwards). */
export function RequireRole({ needs }: { needs: Role }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <p className="kern-body">{t('loading')}</p>;
  if (!session.data) {
    const back = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?weiter=${back}`} replace />;
  }
  if (!session.data.roles.includes(needs)) return <Forbidden />;
  return <Outlet />;
}

function Forbidden() {
  const { t } = useTranslation();
  usePageTitle(t('forbidden.title'));
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('forbidden.title')}</h1>
      <p className="kern-body">{t('forbidden.body')}</p>
    </div>
  );
}
