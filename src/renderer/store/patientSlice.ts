/**
 * The patient on screen: what is typed, what was asked for, and the summary
 * shown — which must always be the asked-for patient's.
 */
import type { z } from 'zod';
import type { SamsynBridge, unchangedSummarySchema } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { formatNationalId, parsePatientInput, sameIdentifier } from '../../shared/identity';
import type { NationalId } from '../../shared/identity/types';
import type { SectionKey } from '../../shared/sections';
import type { Identifier } from '../../shared/summary';
import type { SummaryParts, SummaryRest } from '../../shared/summaryParts';
import { deferredRest } from '../api/splitCheck';
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

/** A pushed update whose sections are those shown (shared/api.ts): the head, and each source's new fetch time and cached mark. */
export type UnchangedUpdate = z.output<typeof unchangedSummarySchema>;

/** Per source, the fetch time and cached mark its records now carry (set when a refresh left the sections unchanged). */
export type ProvenanceFreshness = UnchangedUpdate['freshness'];

/** Why the patient is opened: stated once per patient per session (issue 10 item 4). */
export interface PurposeStatement {
  purpose: 'care' | 'emergency';
  reason?: string;
  consent?: boolean;
}

export interface PatientSlice {
  input: string;
  check: InputCheck;
  /** The patient the clinician asked for last; the summary shown must be theirs. */
  selected: SelectedPatient | null;
  summary: SummaryView | null;
  loading: boolean;
  error: AppError | null;
  /** When (local clock, ms) the shown patient was asked for: sources still pending count their wait from it. */
  openedAt: number | null;
  /** The services asked why this patient is opened (care relationship or emergency) before answering. */
  purposeNeeded: SelectedPatient | null;
  /** Printing: every virtual list renders all its rows, the print header shows who printed and when. */
  printing: boolean;
  /** When (ISO) the current print was started. */
  printedAt: string | null;
  /**
   * Logs the print, then prints what is on screen: the desktop app prints to
   * paper or saves a PDF from main (`output`); otherwise Chromium's print
   * dialog (Save as PDF there).
   */
  print(output?: 'paper' | 'pdf'): Promise<AppError | null>;
  setInput(text: string): void;
  /** Validates the current input (called after a pause in typing). */
  checkInput(): InputCheck;
  /** Validates, then asks for the summary; a stale answer is dropped. */
  openPatient(text?: string, statement?: PurposeStatement): Promise<void>;
  /** Answers the purpose question for the patient asked for, and opens them. */
  statePurpose(statement: PurposeStatement): Promise<void>;
  /** Opens a source's sealed information on a basis and reason; the answer replaces the summary. */
  reveal(sourceId: string, basis: 'consent' | 'emergency', reason: string): Promise<AppError | null>;
  /** The shown patient as an IPS document, as the role received it (logged as an export). */
  exportIps(): Promise<{ fileName: string; mediaType: string; content: string } | AppError>;
  /**
   * A summary pushed after the first answer (one per source ending, the last
   * final): shown only if that patient is still selected, it belongs to the
   * open shown, and it is newer than what is shown. Always whole: it replaces.
   */
  receiveSummary(summary: SummaryView): void;
  /**
   * An update whose sections are those already shown for this open: its head
   * replaces the shown one and the sections (their objects, so no row renders
   * again) stay; each source's new fetch time and cached mark go to
   * `provenanceFreshness`. Dropped unless the shown sections came at or after
   * `sameSince` in the same open, for the same patient, and it is newer.
   */
  receiveUnchanged(update: UnchangedUpdate): void;
  /**
   * Part 2 of a summary delivered in two parts (ADR 0032), pushed right after
   * its part 1: applied only to the part 1 with the same id, open, seq and
   * patient, after that part is painted; anything else is dropped.
   */
  receiveRest(rest: SummaryRest): void;
  /** See receiveUnchanged; null whenever the sections shown came whole. */
  provenanceFreshness: ProvenanceFreshness | null;
  /**
   * Sections of the shown summary whose check has not run yet (a large summary
   * is checked in two steps, api/splitCheck.ts): they hold only their items
   * marked critical, their panels and counts wait. The check runs after the
   * first panels are painted (or before a print); if it fails, the summary
   * leaves the screen for the coded error. Null when every section is checked.
   */
  pendingSections: SectionKey[] | null;
  /** Sign-out, switch of user, lock: the patient leaves the screen and any answer on its way is ignored. */
  clearPatient(): void;
}

/** How long part 2 of a summary in two parts may take before its panels give way to the coded error (SUMMARY_PART_MISSING). */
export const PART_WAIT_MS = 30_000;

/** A part 1 on screen or held back, waiting for its part 2. */
interface AwaitedRest {
  /** The shown (or held) part 1's sections: part 2 joins them only while they are the ones shown. */
  sections: SummaryView['sections'];
  parts: SummaryParts;
  openId: string | undefined;
  seq: number | undefined;
  patient: Identifier;
}

/** Part 1 of a summary in two parts: what its part 2 must match. */
function awaitedOf(summary: SummaryView & { parts?: SummaryParts }): AwaitedRest | undefined {
  if (!summary.parts) return undefined;
  return { sections: summary.sections, parts: summary.parts, openId: summary.progress?.openId, seq: summary.progress?.seq, patient: summary.patient.identifier };
}

/**
 * Part 1's sections with part 2's joined, when part 2 belongs to it: the same
 * id, open, seq and patient, exactly the pending sections, each with the count
 * part 1 announced. 'mismatch' when it is not this part 1's; 'malformed' when
 * it is but does not bring what was announced.
 */
function joinRest(awaited: AwaitedRest, rest: SummaryRest): SummaryView['sections'] | 'mismatch' | 'malformed' {
  if (rest.id !== awaited.parts.id || rest.openId !== awaited.openId || rest.seq !== awaited.seq) return 'mismatch';
  if (!sameIdentifier(rest.patient, awaited.patient) && !(rest.patient.system === awaited.patient.system && rest.patient.value === awaited.patient.value)) return 'mismatch';
  const keys = Object.keys(rest.sections);
  if (keys.length !== awaited.parts.pending.length) return 'malformed';
  for (const key of awaited.parts.pending) {
    const items = rest.sections[key];
    if (!items || items.length !== awaited.parts.counts[key]) return 'malformed';
  }
  return { ...awaited.sections, ...rest.sections } as SummaryView['sections'];
}

/** Whether showing `summary` in place of `current` would take rows off the screen (its pending sections hold only critical items). */
function wouldHideRows(summary: SummaryView & { parts?: SummaryParts }, current: SummaryView | null, currentPending: readonly SectionKey[] | null): boolean {
  if (!summary.parts || !current) return false;
  return summary.parts.pending.some((key) => current.sections[key].length > 0 && !currentPending?.includes(key));
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
 * Whether `candidate` should replace `current` (same patient). Within one open
 * (same progress.openId) only a higher sequence number does, so an update that
 * arrives late or out of order never puts older data back on screen; between
 * opens the candidate wins (it is the answer to the latest request, or an
 * update that overtook that answer). Summaries without progress: a later one
 * wins; at the same instant a complete one wins over a cached one still refreshing.
 */
function supersedes(candidate: SummaryView, current: SummaryView): boolean {
  if (candidate.progress && current.progress) {
    if (candidate.progress.openId !== current.progress.openId) return true;
    return candidate.progress.seq > current.progress.seq;
  }
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

/** Marks each time whole sections replace the shown ones (a full render), for the benchmark's count (User Timing). */
function markSectionsReplaced(): void {
  try {
    // One entry at a time on the timeline (an observer still sees each).
    globalThis.performance?.clearMarks?.('samsyn.summary.sections');
    globalThis.performance?.mark?.('samsyn.summary.sections');
  } catch {
    // No timeline: nothing to count.
  }
}

/** The shown summary with an unchanged update applied, or undefined when it may not be (see receiveUnchanged). */
function applyUnchanged(current: SummaryView, sectionsSince: number, update: UnchangedUpdate): SummaryView | undefined {
  if (!current.progress || current.progress.openId !== update.progress.openId) return undefined;
  if (update.progress.seq <= current.progress.seq || sectionsSince < update.sameSince) return undefined;
  const { sameSince: _since, freshness: _freshness, ...head } = update;
  return { ...head, sections: current.sections };
}

/**
 * A partly checked summary (api/splitCheck.ts) that would empty panels showing
 * items now is checked whole first: a refresh or a reveal never takes rows off
 * the screen for the time of a check. Undefined when that check fails.
 */
function checkedBeside(summary: SummaryView, current: SummaryView | null): SummaryView | undefined {
  const deferred = deferredRest(summary);
  if (!deferred || !current || !deferred.pending.some((key) => current.sections[key].length > 0)) return summary;
  return deferred.rest();
}

/** Runs `task` after the next painted frame (a frame callback runs just before the paint, its timer after it); a timer where there are no frames. */
function afterPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(task, 0));
  else setTimeout(task, 0);
}

export function createPatientSlice(bridge: SamsynBridge, now: () => Date, options: { partWaitMs?: number } = {}): SliceCreator<PatientSlice> {
  const partWaitMs = options.partWaitMs ?? PART_WAIT_MS;
  // Every open gets a number; only the answer to the latest one may land.
  let latestRequest = 0;
  /**
   * Updates that arrived before the latest open's first answer (events and
   * answers travel separately), the newest per open id; once the answer names
   * its open, the newer of the two is shown and the rest dropped.
   */
  let early = new Map<string, SummaryView>();
  /** Unchanged updates that arrived before the first answer, the newest per open id. */
  let earlyUnchanged = new Map<string, UnchangedUpdate>();
  let answered = false;
  /** The seq of the summary whose sections are shown (they came whole with it); -1 without one. */
  let sectionsSince = -1;
  /** The partly checked sections shown, and the check of the rest (see pendingSections). */
  let restOf: { sections: SummaryView['sections']; rest: () => SummaryView | undefined } | null = null;
  /** The part 1 shown, waiting for its part 2 (ADR 0032); `fetch`: it answered summary.open, so part 2 is asked for. */
  let awaited: (AwaitedRest & { fetch: boolean; timer: ReturnType<typeof setTimeout> | undefined }) | null = null;
  /** A part 1 held back (it would hide rows shown now) until its part 2 makes it whole. */
  let held: { summary: SummaryView; awaited: AwaitedRest } | null = null;
  /** Parts 2 that came before their part 1 was shown, the newest few. */
  let rests = new Map<string, SummaryRest>();
  /** Resolved whenever nothing is awaited any more (a print waits for it). */
  const settledWaiters: Array<() => void> = [];
  /** Part 1s that answered summary.open: their part 2 is asked for (events bring theirs). */
  const answeredParts = new WeakSet<object>();
  const stopWaiting = () => {
    if (awaited?.timer !== undefined) clearTimeout(awaited.timer);
    awaited = null;
    for (const done of settledWaiters.splice(0)) done();
  };
  /** Every whole summary shown goes through here: its sections are new, and the freshness override ends. */
  const whole = (summary: SummaryView | null) => {
    sectionsSince = summary?.progress?.seq ?? -1;
    if (summary) markSectionsReplaced();
    const deferred = summary ? deferredRest(summary) : undefined;
    restOf = summary && deferred ? { sections: summary.sections, rest: deferred.rest } : null;
    if (restOf) afterPaint(() => completeSections());
    stopWaiting();
    const part = summary ? awaitedOf(summary) : undefined;
    if (summary && part) {
      const waiting = { ...part, fetch: answeredParts.has(summary), timer: undefined as ReturnType<typeof setTimeout> | undefined };
      awaited = waiting;
      // Never a partial summary left looking complete: without its part 2 in time, the summary gives way to the coded error.
      waiting.timer = setTimeout(() => failRest(waiting, 'SUMMARY_PART_MISSING'), partWaitMs);
      afterPaint(() => completeParts(waiting));
      return { summary, provenanceFreshness: null, pendingSections: part.parts.pending };
    }
    return { summary, provenanceFreshness: null, pendingSections: deferred ? deferred.pending : null };
  };
  let completeParts: (waiting: NonNullable<typeof awaited>) => void = () => undefined;
  let failRest: (waiting: NonNullable<typeof awaited>, code: 'SUMMARY_PART_MISSING' | 'INTERNAL') => void = () => undefined;
  /**
   * Runs the rest of a split check, if the partly checked sections are still
   * those shown: the checked sections join them (the first panels' arrays stay
   * the same objects, so their rows do not render again), or, failing, the
   * summary leaves the screen for the coded error. Not a whole replacement: no mark.
   */
  let completeSections = () => undefined as void;
  return (set, get) => {
    failRest = (waiting, code) => {
      if (awaited !== waiting) return;
      stopWaiting();
      set({ summary: null, pendingSections: null, provenanceFreshness: null, loading: false, error: { code } });
    };
    /** Part 2 for the part 1 awaited: joined while its sections are the ones shown, or the summary gives way to the error. */
    const applyRest = (waiting: NonNullable<typeof awaited>, rest: SummaryRest): boolean => {
      const current = get().summary;
      if (awaited !== waiting || !current || current.sections !== waiting.sections) return false;
      const joined = joinRest(waiting, rest);
      if (joined === 'mismatch') return false;
      if (joined === 'malformed') {
        failRest(waiting, 'INTERNAL');
        return true;
      }
      stopWaiting();
      // The first panels' arrays stay the same objects: their rows do not render again, and it is not a whole replacement.
      set({ summary: { ...current, sections: joined }, pendingSections: null });
      return true;
    };
    completeParts = (waiting) => {
      if (awaited !== waiting) return;
      const early = rests.get(waiting.parts.id);
      if (early) {
        rests.delete(waiting.parts.id);
        if (applyRest(waiting, early)) return;
      }
      if (!waiting.fetch) return;
      const request = latestRequest;
      const selected = get().selected;
      if (!selected) return;
      void safeInvoke(bridge, 'summary.rest', { patient: selected.query, id: waiting.parts.id }).then((answer) => {
        if (request !== latestRequest || awaited !== waiting) return;
        if (!answer.ok) failRest(waiting, answer.error.code === 'SUMMARY_PART_MISSING' ? 'SUMMARY_PART_MISSING' : 'INTERNAL');
        else if (!applyRest(waiting, answer.value)) failRest(waiting, 'INTERNAL');
      });
    };
    completeSections = () => {
      const shown = restOf;
      restOf = null;
      const current = get().summary;
      if (!shown || !current || current.sections !== shown.sections) return;
      const checked = shown.rest();
      if (!checked) set({ summary: null, pendingSections: null, provenanceFreshness: null, loading: false, error: { code: 'INTERNAL' } });
      else set({ summary: { ...current, sections: checked.sections }, pendingSections: null });
    };
    return {
    input: '',
    check: { state: 'unchecked' },
    selected: null,
    summary: null,
    loading: false,
    error: null,
    openedAt: null,
    purposeNeeded: null,
    printing: false,
    printedAt: null,
    provenanceFreshness: null,
    pendingSections: null,

    async print(output) {
      const { selected } = get();
      if (!selected) return { code: 'ACCESS_PURPOSE_REQUIRED' };
      // Every section checked before everything is rendered for print.
      completeSections();
      // A summary in two parts prints only whole: its part 2 first (or the error it gave way to).
      if (awaited) await new Promise<void>((resolve) => settledWaiters.push(resolve));
      if (!get().summary || get().pendingSections) return get().error ?? { code: 'INTERNAL' };
      // Every row rendered and laid out first (two frames): the desktop app prints from main as soon as the print is logged.
      set({ printing: true, printedAt: now().toISOString() });
      try {
        await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
        const logged = await safeInvoke(bridge, 'summary.print', { patient: selected.query, ...(output ? { output } : {}) });
        if (!logged.ok) return logged.error;
        // The preview (and a plain print): Chromium's own print dialog, where "Save as PDF" is a destination.
        if (!logged.value.printed) window.print();
      } finally {
        set({ printing: false });
      }
      return null;
    },

    setInput(text) {
      // A new keystroke makes the previous verdict stale; it is redone after a pause.
      set({ input: text, check: { state: 'unchecked' } });
    },

    checkInput() {
      const result = check(get().input, now());
      set({ check: result });
      return result;
    },

    async statePurpose(statement) {
      const asked = get().purposeNeeded;
      if (!asked) return;
      await get().openPatient(asked.query, statement);
    },

    async reveal(sourceId, basis, reason) {
      const { selected } = get();
      if (!selected) return { code: 'ACCESS_PURPOSE_REQUIRED' };
      const request = latestRequest;
      const answer = await safeInvoke(bridge, 'summary.reveal', { patient: selected.query, sourceId, basis, reason });
      if (request !== latestRequest) return null;
      if (!answer.ok) return answer.error;
      if (!isSamePatient(selected, answer.value)) return { code: 'PATIENT_MISMATCH' };
      const revealed = checkedBeside(answer.value, get().summary);
      if (!revealed) return { code: 'INTERNAL' };
      early = new Map();
      earlyUnchanged = new Map();
      answered = true;
      set({ ...whole(revealed), error: null });
      return null;
    },

    async exportIps() {
      const { selected } = get();
      if (!selected) return { code: 'ACCESS_PURPOSE_REQUIRED' };
      const answer = await safeInvoke(bridge, 'summary.export', { patient: selected.query, format: 'ips' });
      return answer.ok ? answer.value : answer.error;
    },

    async openPatient(text, statement) {
      const input = text ?? get().input;
      const result = check(input, now());
      // Whatever was asked before is superseded, valid or not.
      const request = ++latestRequest;
      early = new Map();
      earlyUnchanged = new Map();
      rests = new Map();
      held = null;
      answered = false;
      if (result.state !== 'valid') {
        // Nothing is sent for a number that is not valid, and the previous patient
        // leaves the screen: a typo must not leave someone else's summary looking
        // like the answer to what was just typed.
        set({
          input,
          check: result.state === 'empty' ? { state: 'invalid', error: { code: 'ID_EMPTY' } } : result,
          selected: null,
          ...whole(null),
          loading: false,
          error: null,
          openedAt: null,
          purposeNeeded: null,
        });
        return;
      }
      const selected = result.patient;
      // The previous patient's summary goes at once: it must never sit under the new header.
      set({ input, check: result, selected, ...whole(null), error: null, loading: true, openedAt: Date.now(), purposeNeeded: null });

      // A large summary comes in two parts: the first panels and every critical item first (ADR 0032).
      const answer = await safeInvoke(bridge, 'summary.open', { patient: selected.query, ...(statement ?? {}), parts: true });
      if (request !== latestRequest) return;
      if (answer.ok && answer.value.parts) answeredParts.add(answer.value);

      if (!answer.ok && answer.error.code === 'ACCESS_PURPOSE_REQUIRED') {
        // Not an error: the clinician is asked why, once for this patient in this session.
        set({ loading: false, purposeNeeded: selected });
      } else if (!answer.ok) {
        set({ loading: false, error: answer.error });
      } else if (!isSamePatient(selected, answer.value)) {
        set({ loading: false, error: { code: 'PATIENT_MISMATCH' } });
      } else {
        answered = true;
        const current = get().summary;
        // A pushed update of this same open may have overtaken this first answer.
        const openId = answer.value.progress?.openId;
        const ahead = openId !== undefined ? early.get(openId) : undefined;
        const aheadUnchanged = openId !== undefined ? earlyUnchanged.get(openId) : undefined;
        early = new Map();
        earlyUnchanged = new Map();
        if (ahead && supersedes(ahead, answer.value)) set({ loading: false, ...whole(ahead) });
        else if (current && !current.progress && !supersedes(answer.value, current)) set({ loading: false });
        else set({ loading: false, ...whole(answer.value) });
        // An update that overtook the answer and left its sections as they were.
        if (aheadUnchanged) get().receiveUnchanged(aheadUnchanged);
      }
    },

    clearPatient() {
      latestRequest += 1;
      early = new Map();
      earlyUnchanged = new Map();
      rests = new Map();
      held = null;
      set({ input: '', check: { state: 'unchecked' }, selected: null, ...whole(null), loading: false, error: null, purposeNeeded: null });
    },

    receiveSummary(summary) {
      const { selected, summary: current } = get();
      if (!isForSelected(selected, summary)) return;
      if (summary.progress) {
        const { openId } = summary.progress;
        if (!answered) {
          // Which open is ours is not known yet: kept aside, the newest per open.
          const kept = early.get(openId);
          if (!kept || supersedes(summary, kept)) early.set(openId, summary);
          return;
        }
        // After the answer: only this open's updates, and only newer ones.
        if (!current?.progress || current.progress.openId !== openId || summary.progress.seq <= current.progress.seq) return;
      } else if (current && !supersedes(summary, current)) return;
      // Part 1 of an update in two parts that would take rows off the screen: held until its part 2 makes it whole.
      const part = awaitedOf(summary);
      if (part && wouldHideRows(summary, current, get().pendingSections)) {
        held = { summary, awaited: part };
        const early = rests.get(part.parts.id);
        if (early) get().receiveRest(early);
        return;
      }
      const shown = checkedBeside(summary, current);
      // Failing the whole check: dropped, as the bridge drops a malformed update.
      if (!shown) return;
      set({ ...whole(shown), loading: false, error: null });
    },

    receiveRest(rest) {
      const { selected } = get();
      if (!selected || !isForSelected(selected, { patient: { identifier: rest.patient }, sections: {} } as unknown as SummaryView)) return;
      if (held && held.awaited.parts.id === rest.id) {
        const kept = held;
        const joined = joinRest(kept.awaited, rest);
        if (joined === 'mismatch') return;
        // Malformed: dropped, as a malformed whole update is; the complete summary shown stays.
        held = null;
        if (joined === 'malformed') return;
        const { parts: _parts, ...head } = kept.summary as SummaryView & { parts?: SummaryParts };
        get().receiveSummary({ ...head, sections: joined });
        return;
      }
      const waiting = awaited;
      if (waiting && waiting.parts.id === rest.id) {
        // After part 1 is painted (it may not be yet: both came on the same stream).
        afterPaint(() => {
          if (!applyRest(waiting, rest) && awaited === waiting) failRest(waiting, 'INTERNAL');
        });
        return;
      }
      // Its part 1 is not shown yet (kept as an early update, or on its way): kept, the newest few.
      rests.set(rest.id, rest);
      while (rests.size > 4) rests.delete(rests.keys().next().value as string);
    },

    receiveUnchanged(update) {
      const { selected, summary: current } = get();
      // The head names the patient: checked exactly as a whole summary is.
      if (!isForSelected(selected, { ...update, sections: current?.sections ?? ({} as SummaryView['sections']) })) return;
      if (!answered) {
        const kept = earlyUnchanged.get(update.progress.openId);
        if (!kept || update.progress.seq > kept.progress.seq) earlyUnchanged.set(update.progress.openId, update);
        return;
      }
      if (!current) return;
      const next = applyUnchanged(current, sectionsSince, update);
      if (next) set({ summary: next, provenanceFreshness: update.freshness, loading: false, error: null });
    },
  };
  };
}
