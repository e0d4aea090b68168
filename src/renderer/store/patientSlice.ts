/**
 * The patient on screen: what is typed, what was asked for, and the summary
 * shown — which must always be the asked-for patient's.
 */
import type { SamsynBridge } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { formatNationalId, parsePatientInput, sameIdentifier } from '../../shared/identity';
import type { NationalId } from '../../shared/identity/types';
import type { Identifier } from '../../shared/summary';
import type { SummaryView } from '../model/types';
import { safeInvoke } from './safeInvoke';
import type { SliceCreator } from './sliceTypes';

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

export interface PatientSlice {
  input: string;
  check: InputCheck;
  /** The patient the clinician asked for last; the summary shown must be theirs. */
  selected: SelectedPatient | null;
  summary: SummaryView | null;
  loading: boolean;
  error: AppError | null;
  setInput(text: string): void;
  /** Validates the current input (called after a pause in typing). */
  checkInput(): InputCheck;
  /** Validates, then asks for the summary; a stale answer is dropped. */
  openPatient(text?: string): Promise<void>;
  /** A fresh summary pushed after a cached one: shown only if that patient is still selected. */
  receiveSummary(summary: SummaryView): void;
  /** Sign-out, switch of user, lock: the patient leaves the screen and any answer on its way is ignored. */
  clearPatient(): void;
}

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

export function createPatientSlice(bridge: SamsynBridge, now: () => Date): SliceCreator<PatientSlice> {
  // Every open gets a number; only the answer to the latest one may land.
  let latestRequest = 0;
  return (set, get) => ({
    input: '',
    check: { state: 'unchecked' },
    selected: null,
    summary: null,
    loading: false,
    error: null,

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

      const answer = await safeInvoke(bridge, 'summary.open', { patient: selected.query });
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

    clearPatient() {
      latestRequest += 1;
      set({ input: '', check: { state: 'unchecked' }, selected: null, summary: null, loading: false, error: null });
    },

    receiveSummary(summary) {
      const { selected, summary: current } = get();
      if (!isForSelected(selected, summary)) return;
      if (current && !supersedes(summary, current)) return;
      set({ summary, loading: false, error: null });
    },
  });
}
