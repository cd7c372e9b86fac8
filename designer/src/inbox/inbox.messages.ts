import { defineMessages } from '../i18n/messages.ts';

export const inboxMessages = defineMessages({
  de: { title: 'Aufgaben' },
  en: { title: 'Tasks' },
});
