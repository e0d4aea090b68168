/**
 * Whether a pushed summary's sections are those the renderer already holds
 * for the same open (issue 13): a cached open is followed by the fresh answer,
 * usually the same records, and the heavy patient's sections are megabytes to
 * send, check and render again. The update then travels as its head only,
 * `{ unchanged }` (shared/api.ts), through deliver() like any other update.
 *
 * Records compare with their provenance's fetch time and cached mark left out
 * (those are what a refresh changes); each source's new fetch time and mark
 * travel in `freshness`, and only when every record of that source carries the
 * same ones. Anything else sends the whole summary.
 *
 * Kept per viewer: the session generation, the user, the patient and the open
 * id. An answer or update for one viewer never serves as the reference for
 * another's, so the marker cannot cross patients or users.
 */
import { createHash } from 'node:crypto';
import type { EventPayload } from '../../shared/api';
import type { Sections, Summary } from '../../shared/summary';
import { isPreserialized, type SummaryAnswer } from '../summary/summaryAnswer';
import { scanSections } from './summaryParts';

export interface Viewer {
  generation: number;
  userId: string;
  patientKey: string;
}

/** Each source's fetch time and cached mark, when uniform over its records. */
export type Freshness = Record<string, { fetchedAt: string; cached: boolean }>;

interface Reference {
  /** What the renderer holds, parsed and fingerprinted only when compared with. */
  sections?: Sections | Buffer;
  counts?: string;
  fingerprint?: string;
  /** The stored sections' item ranges (scanSections), null when they are not stored bytes or cannot be scanned. */
  ranges?: ReturnType<typeof scanSections> | null;
  /** The seq from which the renderer's sections have been these. */
  since: number;
}

/** Items per section: a cheap first comparison (a different count is a change; no fingerprint needed). */
function countsOf(sections: Sections): string {
  return Object.entries(sections)
    .map(([key, items]) => `${key}:${items.length}`)
    .join(',');
}

function isProvenance(holder: unknown): holder is { sourceId: string; recordId: string; fetchedAt?: unknown; cached?: unknown } {
  return typeof holder === 'object' && holder !== null && 'sourceId' in holder && 'recordId' in holder && 'fetchedAt' in holder;
}

/**
 * The sections' fingerprint (SHA-256 of their JSON with every provenance's
 * fetchedAt and cached left out) and, per source, the fetch time and cached
 * mark its records carry (undefined when they differ within a source).
 *
 * The JSON is hashed an item at a time (`JSON.stringify(sections, replacer)`'s
 * text in pieces, so the same digest): its whole text, 4.4 MB for the heavy
 * patient, never exists, nor two of them when an update is compared with what
 * was sent before (ADR 0040). `items` gives a section's items as JSON text
 * (the stored bytes of a cached answer), each parsed only while it is hashed.
 */
export function sectionsFingerprint(sections: Sections): { fingerprint: string; freshness: Freshness | undefined } {
  const keys = Object.keys(sections);
  return fingerprintOf(
    keys,
    (key) => (sections as Record<string, unknown>)[key],
    (value) => value,
  );
}

function fingerprintOf<T>(
  keys: readonly string[],
  valueOf: (key: string) => T | undefined,
  itemOf: (item: unknown) => unknown,
): { fingerprint: string; freshness: Freshness | undefined } {
  const freshness: Freshness = {};
  let uniform = true;
  const replacer = function (this: unknown, key: string, value: unknown): unknown {
    if ((key === 'fetchedAt' || key === 'cached') && isProvenance(this)) {
      if (key === 'fetchedAt') {
        const cached = this.cached === true;
        const seen = freshness[this.sourceId];
        if (!seen) freshness[this.sourceId] = { fetchedAt: String(value), cached };
        else if (seen.fetchedAt !== value || seen.cached !== cached) uniform = false;
      }
      return undefined;
    }
    return value;
  };
  const hash = createHash('sha256');
  hash.update('{');
  let first = true;
  for (const key of keys) {
    const value = valueOf(key);
    // As JSON.stringify: a member whose value has no JSON is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    hash.update(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (!Array.isArray(value)) {
      hash.update(JSON.stringify(value, replacer) ?? 'null');
      continue;
    }
    hash.update('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hash.update(',');
      // An element with no JSON is null, as in JSON.stringify.
      hash.update((JSON.stringify(itemOf(value[i]), replacer) as string | undefined) ?? 'null');
    }
    hash.update(']');
  }
  hash.update('}');
  return { fingerprint: hash.digest('base64'), freshness: uniform ? freshness : undefined };
}

/**
 * The fingerprint of sections kept as their stored JSON bytes (a cached
 * answer's), read an item at a time through their scanned ranges
 * (scanSections): the same digest as of the parsed sections.
 */
function storedFingerprint(bytes: Buffer, ranges: Map<string, { items: Array<[number, number]> }>): string {
  return fingerprintOf(
    [...ranges.keys()],
    (key) => ranges.get(key)?.items,
    (range) => {
      const [start, end] = range as [number, number];
      return JSON.parse(bytes.toString('latin1', start, end)) as unknown;
    },
  ).fingerprint;
}

const MAX_OPENS = 64;

export interface UnchangedTracker {
  /** summary.open's answer to this viewer: what the renderer will hold (an envelope is parsed only if an update follows). */
  answered(viewer: Viewer, answer: SummaryAnswer): void;
  /** The event to push for this viewer's update: the whole summary, or its head when the sections are those held. */
  payload(viewer: Viewer, view: Summary): EventPayload<'summary.updated'>;
  /** Forgets everything (a sign-out, a switch of user, a lock). */
  clear(): void;
}

export function createUnchangedTracker(): UnchangedTracker {
  const refs = new Map<string, Reference>();
  const keyOf = (viewer: Viewer, openId: string) => `${viewer.generation}|${viewer.userId}|${viewer.patientKey}|${openId}`;
  const remember = (key: string, ref: Reference) => {
    refs.delete(key);
    refs.set(key, ref);
    // Oldest first out: a run that never ended is not kept forever.
    while (refs.size > MAX_OPENS) refs.delete(refs.keys().next().value as string);
  };
  const sectionsOf = (ref: Reference): Sections => {
    if (Buffer.isBuffer(ref.sections)) ref.sections = JSON.parse(ref.sections.toString('latin1')) as Sections;
    return ref.sections as Sections;
  };
  /** A cached answer's stored sections, scanned for their items' byte ranges (once); undefined when not stored bytes or not scannable. */
  const rangesOf = (ref: Reference) => (Buffer.isBuffer(ref.sections) ? (ref.ranges ??= scanSections(ref.sections) ?? null) : null);
  const countsOfRef = (ref: Reference): string => {
    const ranges = rangesOf(ref);
    ref.counts ??= ranges
      ? [...ranges].map(([key, range]) => `${key}:${range.items.length}`).join(',')
      : countsOf(sectionsOf(ref));
    return ref.counts;
  };
  const fingerprintOfRef = (ref: Reference): string => {
    const ranges = rangesOf(ref);
    ref.fingerprint ??= ranges && Buffer.isBuffer(ref.sections) ? storedFingerprint(ref.sections, ranges) : sectionsFingerprint(sectionsOf(ref)).fingerprint;
    return ref.fingerprint;
  };
  return {
    answered(viewer, answer) {
      const head = isPreserialized(answer) ? answer.head : answer;
      if (!head.progress) return;
      const sections = isPreserialized(answer) ? answer.sectionsJson : answer.sections;
      remember(keyOf(viewer, head.progress.openId), { sections, since: head.progress.seq });
    },
    payload(viewer, view) {
      if (!view.progress) return { summary: view };
      const key = keyOf(viewer, view.progress.openId);
      const ref = refs.get(key);
      const counts = countsOf(view.sections);
      let same: { since: number; freshness: Freshness; fingerprint: string } | undefined;
      if (ref && countsOfRef(ref) === counts) {
        const { fingerprint, freshness } = sectionsFingerprint(view.sections);
        if (freshness && fingerprintOfRef(ref) === fingerprint) same = { since: ref.since, freshness, fingerprint };
      }
      if (view.progress.final) refs.delete(key);
      else if (same) remember(key, { counts, fingerprint: same.fingerprint, since: same.since });
      else remember(key, { sections: view.sections, counts, since: view.progress.seq });
      if (!same) return { summary: view };
      const { sections: _sections, ...head } = view;
      return { unchanged: { ...head, progress: view.progress, sameSince: same.since, freshness: same.freshness } };
    },
    clear() {
      refs.clear();
    },
  };
}
