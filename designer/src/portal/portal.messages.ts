import { defineMessages } from '../i18n/messages.ts';

export const portalMessages = defineMessages({
  de: {
    catalogue: {
      title: 'Bürgerservice',
      intro: 'Beantragen Sie Leistungen Ihrer Verwaltung online – ohne Papier und ohne Termin.',
      search: 'Leistung suchen',
      searchHint: 'Zum Beispiel „Hund anmelden“ oder „Geburtsurkunde“',
      results: '{{count}} Leistungen gefunden',
      results_one: '1 Leistung gefunden',
      none: 'Keine Leistung passt zu Ihrer Suche.',
      fee: 'Gebühr',
      duration: 'Dauer',
      other: 'Weitere Leistungen',
    },
  },
  en: {
    catalogue: {
      title: 'Citizen services',
      intro: 'Apply for services of your administration online – no paper, no appointment.',
      search: 'Search services',
      searchHint: 'For example “register dog” or “birth certificate”',
      results: '{{count}} services found',
      results_one: '1 service found',
      none: 'No service matches your search.',
      fee: 'Fee',
      duration: 'Duration',
      other: 'Other services',
    },
  },
});
