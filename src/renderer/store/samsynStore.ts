import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload, ResponseOf, SamsynBridge } from '../../shared/api';
import type { AppError, Result } from '../../shared/errors';
import { formatNationalId, parsePatientInput, sameIdentifier } from '../../shared/identity';
import type { NationalId } from '../../shared/identity/types';
import type { Identifier } from '../../shared/summary';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages';

export type SummaryView = ResponseOf<'summary.open'>;
export type AppInfo = ResponseOf<'app.info'>;
export type CacheStatus = ResponseOf<'cache.status'>;

/** What the search field currently holds, as far as local validation can tell. */
export type InputCheck =
  | { state: 'unchecked' }
  | { state: 'empty' }
  | { state: 'valid'; patient: SelectedPatient }
  | { state: 'invalid'; error: AppError };

export interface SelectedPatient {
  /** Exactly what was sent to the services (trimmed input). */
  query: string;
  identifier: Identifier;
  nationalId?: NationalId;
  /** How the patient is shown until the summary arrives (formatted national id). */
  display: string;
}

export interface SamsynState {
  input: string;
  check: InputCheck;
  /** The patient the clinician asked for last; the summary shown must be theirs. */
  selected: SelectedPatient | null;
  summary: SummaryView | null;
  loading: boolean;
  error: AppError | null;
  language: Language;
  appInfo: AppInfo | null;
  appInfoError: AppError | null;
  settingsOpen: boolean;
  cacheStatus: CacheStatus | null;
  cacheError: AppError | null;
  /** How many snapshots the last "Töm cache" removed. */
  cacheCleared: number | null;

  setInput(text: string): void;
  /** Validates the current input (called after a pause in typing). */
  checkInput(): InputCheck;
  /** Validates, then asks for the summary; a stale answer is dropped. */
  openPatient(text?: string): Promise<void>;
  loadAppInfo(): Promise<void>;
  setLanguage(language: Language): void;
  openSettings(): void;
  closeSettings(): void;
  loadCacheStatus(): Promise<void>;
  clearCache(): Promise<void>;
  /** A fresh summary pushed after a cached one: shown only if that patient is still selected. */
  receiveSummary(summary: SummaryView): void;
}

export interface SamsynStoreOptions {
  bridge: SamsynBridge;
  language?: Language;
  /** The clock for identity validation (century of short numbers, future dates). */
  now?: () => Date;
}

export type SamsynStore = StoreApi<SamsynState>;

function check(text: string, today: Date): InputCheck {
  const query = text.trim();
  if (query === '') return { state: 'empty' };
  const parsed = parsePatientInput(query, { today });
  if (!parsed.ok) return { state: 'invalid', error: parsed.error };
  const { identifier, nationalId } = parsed.value;
  return {
    state: 'valid',
    patient: {
      query,
      identifier,
      ...(nationalId ? { nationalId } : {}),
      display: nationalId ? formatNationalId(nationalId) : identifier.value,
    },
  };
}

const canonical = (value: string) => value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/**
 * Defence in depth for "right patient": the services already check every source,
 * but a summary whose header names another national id than the one asked for
 * is never shown under this patient's name.
 */
function isSamePatient(selected: SelectedPatient, summary: SummaryView): boolean {
  const asked = selected.nationalId;
  const answered = summary.patient.nationalId;
  if (!asked || !answered) return true;
  return asked.country === answered.country && canonical(asked.value) === canonical(answered.value);
}

/**
 * Whether `candidate` should replace `current` (same patient): a later summary
 * wins; at the same instant a complete one wins over a cached one still
 * refreshing. So a cached answer that arrives after the pushed fresh one (the
 * two travel separately) never puts stale data back on screen.
 */
function supersedes(candidate: SummaryView, current: SummaryView): boolean {
  const a = Date.parse(candidate.generatedAt);
  const b = Date.parse(current.generatedAt);
  if (a !== b) return a > b;
  return !candidate.refreshing || current.refreshing === true;
}

function isForSelected(selected: SelectedPatient | null, summary: SummaryView): selected is SelectedPatient {
  if (!selected) return false;
  const asked = selected.identifier;
  const answered = summary.patient.identifier;
  const sameAsked = sameIdentifier(asked, answered) || (asked.system === answered.system && asked.value === answered.value);
  return sameAsked && isSamePatient(selected, summary);
}

export function createSamsynStore(options: SamsynStoreOptions): SamsynStore {
  const { bridge } = options;
  const now = options.now ?? (() => new Date());
  // Every open gets a number; only the answer to the latest one may land.
  let latestRequest = 0;

  const store = createStore<SamsynState>()((set, get) => ({
    input: '',
    check: { state: 'unchecked' },
    selected: null,
    summary: null,
    loading: false,
    error: null,
    language: options.language ?? DEFAULT_LANGUAGE,
    appInfo: null,
    appInfoError: null,
    settingsOpen: false,
    cacheStatus: null,
    cacheError: null,
    cacheCleared: null,

    setInput(text) {
      // A new keystroke makes the previous verdict stale; it is redone after a pause.
      set({ input: text, check: { state: 'unchecked' } });
    },

    checkInput() {
      const result = check(get().input, now());
      set({ check: result });
      return result;
    },

    async openPatient(text) {
      const input = text ?? get().input;
      const result = check(input, now());
      // Whatever was asked before is superseded, valid or not.
      const request = ++latestRequest;
      if (result.state !== 'valid') {
        // Nothing is sent for a number that is not valid, and the previous patient
        // leaves the screen: a typo must not leave someone else's summary looking
        // like the answer to what was just typed.
        set({
          input,
          check: result.state === 'empty' ? { state: 'invalid', error: { code: 'ID_EMPTY' } } : result,
          selected: null,
          summary: null,
          loading: false,
          error: null,
        });
        return;
      }
      const selected = result.patient;
      // The previous patient's summary goes at once: it must never sit under the new header.
      set({ input, check: result, selected, summary: null, error: null, loading: true });

      let answer: Result<SummaryView>;
      try {
        answer = await bridge.invoke('summary.open', { patient: selected.query });
      } catch {
        answer = { ok: false, error: { code: 'INTERNAL' } };
      }
      if (request !== latestRequest) return;

      if (!answer.ok) {
        set({ loading: false, error: answer.error });
      } else if (!isSamePatient(selected, answer.value)) {
        set({ loading: false, error: { code: 'PATIENT_MISMATCH' } });
      } else {
        const current = get().summary;
        // The pushed fresh summary may have overtaken this (cached) answer.
        if (current && !supersedes(answer.value, current)) set({ loading: false });
        else set({ loading: false, summary: answer.value });
      }
    },

    receiveSummary(summary) {
      const { selected, summary: current } = get();
      if (!isForSelected(selected, summary)) return;
      if (current && !supersedes(summary, current)) return;
      set({ summary, loading: false, error: null });
    },

    openSettings() {
      set({ settingsOpen: true, cacheCleared: null });
      void get().loadCacheStatus();
    },

    closeSettings() {
      set({ settingsOpen: false });
    },

    async loadCacheStatus() {
      let answer: Result<CacheStatus>;
      try {
        answer = await bridge.invoke('cache.status', {});
      } catch {
        answer = { ok: false, error: { code: 'INTERNAL' } };
      }
      if (answer.ok) set({ cacheStatus: answer.value, cacheError: null });
      else set({ cacheError: answer.error });
    },

    async clearCache() {
      let answer: Result<ResponseOf<'cache.clear'>>;
      try {
        answer = await bridge.invoke('cache.clear', {});
      } catch {
        answer = { ok: false, error: { code: 'INTERNAL' } };
      }
      if (answer.ok) set({ cacheCleared: answer.value.removed, cacheError: null });
      else set({ cacheError: answer.error, cacheCleared: null });
      await get().loadCacheStatus();
    },

    async loadAppInfo() {
      let answer: Result<AppInfo>;
      try {
        answer = await bridge.invoke('app.info', {});
      } catch {
        answer = { ok: false, error: { code: 'INTERNAL' } };
      }
      if (answer.ok) set({ appInfo: answer.value, appInfoError: null });
      else set({ appInfoError: answer.error });
    },

    setLanguage(language) {
      set({ language });
    },
  }));

  // The bridge has checked the payload against the event contract.
  bridge.on('summary.updated', (payload) => {
    store.getState().receiveSummary((payload as EventPayload<'summary.updated'>).summary);
  });
  return store;
}
