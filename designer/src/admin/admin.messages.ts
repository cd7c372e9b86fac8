import { defineMessages } from '../i18n/messages.ts';

export const adminMessages = defineMessages({
  de: { title: 'Verwaltung' },
  en: { title: 'Administration' },
});
