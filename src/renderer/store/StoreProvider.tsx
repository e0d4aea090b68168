import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { FormatProvider } from '../i18n/useFormat';
import type { ProvenanceFreshness } from './patientSlice';
import type { SamsynState, SamsynStore } from './samsynStore';

export type { ProvenanceFreshness } from './patientSlice';

const StoreContext = createContext<SamsynStore | null>(null);

/** The store, and the formatters in the store's language for everything below it. */
export function StoreProvider({ store, children }: { store: SamsynStore; children: ReactNode }) {
  return (
    <StoreContext.Provider value={store}>
      <LanguageFormat>{children}</LanguageFormat>
    </StoreContext.Provider>
  );
}

/** The formatters follow the language chosen in the store. */
function LanguageFormat({ children }: { children: ReactNode }) {
  const language = useSamsyn((s) => s.language);
  return <FormatProvider language={language}>{children}</FormatProvider>;
}

/** Reads one slice of the app state; select stable values (not new objects) to avoid re-renders. */
export function useSamsyn<T>(selector: (state: SamsynState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSamsyn outside StoreProvider');
  return useStore(store, selector);
}

const noStore = { subscribe: () => () => undefined, getState: () => null } as const;

/**
 * Each source's fetch time and cached mark, when the summary shown was
 * confirmed unchanged by a refresh (its rows kept, not rendered again); null
 * otherwise, and outside a StoreProvider (a component shown on its own).
 */
export function useProvenanceFreshness(): ProvenanceFreshness | null {
  const store = useContext(StoreContext);
  const read = () => (store ? store.getState().provenanceFreshness : null);
  // The same reading on the server (renderToString in tests and printing helpers).
  return useSyncExternalStore(store ? store.subscribe : noStore.subscribe, read, read);
}
