import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { adminMessages } from '../admin/admin.messages.ts';
import { inboxMessages } from '../inbox/inbox.messages.ts';
import { loginMessages } from '../login/login.messages.ts';
import { modelerMessages } from '../modeler/modeler.messages.ts';
import { portalMessages } from '../portal/portal.messages.ts';
import { commonMessages } from './common.messages.ts';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const catalogues = {
  common: commonMessages,
  login: loginMessages,
  portal: portalMessages,
  modeler: modelerMessages,
  inbox: inboxMessages,
  admin: adminMessages,
};
const STORAGE_KEY = 'verfahrenswerk.sprache';

function resources(language: Language) {
  return Object.fromEntries(Object.entries(catalogues).map(([ns, messages]) => [ns, messages[language]]));
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'de';
}

/** German first (and the fallback), English second; the choice is kept in the browser and sets `<html lang>`. */
export async function initI18n() {
  await i18n.use(initReactI18next).init({
    resources: { de: resources('de'), en: resources('en') },
    lng: initialLanguage(),
    fallbackLng: 'de',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    localStorage.setItem(STORAGE_KEY, language);
  });
}
