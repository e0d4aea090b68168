import './zodConfig';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { getBridge } from './api/bridge';
import { createI18n } from './i18n/createI18n';
import { readLanguagePreference } from './i18n/languagePreference';
import { syncLanguage } from './i18n/syncLanguage';
import { createSamsynStore } from './store/samsynStore';
import { StoreProvider } from './store/StoreProvider';
import { AppView } from './views/AppView';

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

// Composition root: everything the renderer needs is created here, once.
const storage = localStorageOrUndefined();
const language = readLanguagePreference(storage);
// OpenID Connect sign-in page: Electron's main process opens the system browser; the preview opens a tab.
const openUrl = window.samsyn ? undefined : (url: string) => void window.open(url, '_blank', 'noopener');
const store = createSamsynStore({ bridge: getBridge(), language, ...(openUrl ? { openUrl } : {}) });
const i18n = createI18n(language);
syncLanguage(store, i18n, document, storage);

const container = document.getElementById('root');
if (!container) throw new Error('missing #root');
createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <StoreProvider store={store}>
        <AppView />
      </StoreProvider>
    </I18nextProvider>
  </StrictMode>,
);

void store.getState().loadAppInfo();
void store.getState().loadSession();
