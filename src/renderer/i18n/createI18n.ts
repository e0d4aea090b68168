import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages';
import { MESSAGES } from './resources';

/** One i18next instance per app (not the global one), so tests and windows stay independent. */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, { translation: MESSAGES[lng] }])),
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    // Resources are bundled: initialise synchronously so the first paint has words.
    initAsync: false,
    // Raw codes (statuses, system URIs) may contain ':'; they are never namespaces here.
    nsSeparator: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
  });
  return instance;
}
