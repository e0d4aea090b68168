/** The app around the patient: its version and sources, and the interface language. */
import type { ResponseOf, SamsynBridge } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages';
import { safeInvoke } from './safeInvoke';
import type { SliceCreator } from './sliceTypes';

export type AppInfo = ResponseOf<'app.info'>;

export interface AppSlice {
  language: Language;
  appInfo: AppInfo | null;
  appInfoError: AppError | null;
  loadAppInfo(): Promise<void>;
  setLanguage(language: Language): void;
}

export function createAppSlice(bridge: SamsynBridge, language: Language = DEFAULT_LANGUAGE): SliceCreator<AppSlice> {
  return (set) => ({
    language,
    appInfo: null,
    appInfoError: null,

    async loadAppInfo() {
      const answer = await safeInvoke(bridge, 'app.info', {});
      if (answer.ok) set({ appInfo: answer.value, appInfoError: null });
      else set({ appInfoError: answer.error });
    },

    setLanguage(next) {
      set({ language: next });
    },
  });
}
