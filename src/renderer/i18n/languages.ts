export const LANGUAGES = ['sv', 'nb', 'fi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'sv';

/** BCP 47 locale used for dates and numbers in each interface language. */
export const LOCALES: Record<Language, string> = {
  sv: 'sv-SE',
  nb: 'nb-NO',
  fi: 'fi-FI',
  en: 'en-GB',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
