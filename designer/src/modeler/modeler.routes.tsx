import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../common/use-page-title.ts';

/** The modeler area's routes under its path. */
export function Component() {
  const { t } = useTranslation('modeler');
  usePageTitle(t('title'));
  return <h1 className="kern-heading">{t('title')}</h1>;
}
