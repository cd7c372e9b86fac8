import { defineMessages } from '../i18n/messages.ts';

export const modelerMessages = defineMessages({
  de: { title: 'Verfahren' },
  en: { title: 'Procedures' },
});
