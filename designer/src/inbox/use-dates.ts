import { useTranslation } from 'react-i18next';

/** Dates and times in the page's language, in the administration's time zone. */
export function useDates() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'de-DE';
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Europe/Berlin' });
  const moment = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  });
  return { date: (iso: string) => day.format(new Date(iso)), dateTime: (iso: string) => moment.format(new Date(iso)) };
}
