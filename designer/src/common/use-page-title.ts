import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the document title of a page ("Anmelden – Verfahrenswerk"), as screen readers announce it first. */
export function usePageTitle(title: string) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
}
