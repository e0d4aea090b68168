import type { i18n } from 'i18next';
import type { SamsynStore } from '../store/samsynStore';
import { writeLanguagePreference } from './languagePreference';

/**
 * The store owns the chosen language; this keeps i18next, the document's
 * `lang` (for screen readers and hyphenation) and the remembered choice in step.
 */
export function syncLanguage(store: SamsynStore, instance: i18n, doc: Document, storage: Storage | undefined): () => void {
  const apply = (language: string) => {
    doc.documentElement.lang = language;
    if (instance.language !== language) void instance.changeLanguage(language);
  };
  apply(store.getState().language);
  return store.subscribe((state, previous) => {
    if (state.language === previous.language) return;
    apply(state.language);
    writeLanguagePreference(storage, state.language);
  });
}
