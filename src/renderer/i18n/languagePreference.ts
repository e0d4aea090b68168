import { DEFAULT_LANGUAGE, isLanguage, type Language } from './languages';

const STORAGE_KEY = 'samsyn.language';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The language chosen last time on this workstation, or the default. */
export function readLanguagePreference(storage: KeyValueStore | undefined): Language {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be disabled by policy; the default language is a safe answer.
    return DEFAULT_LANGUAGE;
  }
}

export function writeLanguagePreference(storage: KeyValueStore | undefined, language: Language): void {
  try {
    storage?.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembering the choice is acceptable; failing the switch is not.
  }
}
