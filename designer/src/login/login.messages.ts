import { defineMessages } from '../i18n/messages.ts';

export const loginMessages = defineMessages({
  de: {
    title: 'Anmelden',
    intro: 'Anmeldung für Mitarbeitende der Verwaltung.',
    username: 'Benutzername',
    password: 'Passwort',
    submit: 'Anmelden',
    failed: 'Benutzername oder Passwort falsch.',
    required: 'Bitte geben Sie {{field}} ein.',
  },
  en: {
    title: 'Sign in',
    intro: 'Sign-in for staff of the administration.',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    failed: 'Wrong user name or password.',
    required: 'Please enter {{field}}.',
  },
});
