import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../common/use-page-title.ts';

/** The admin area's routes under its path. */
export function Component() {
  const { t } = useTranslation('admin');
  usePageTitle(t('title'));
  return <h1 className="kern-heading">{t('title')}</h1>;
}
