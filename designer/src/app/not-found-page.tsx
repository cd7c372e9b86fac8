import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('notFound.title')}</h1>
      <p className="kern-body">{t('notFound.body')}</p>
      <p>
        <Link className="kern-link" to="/">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}
