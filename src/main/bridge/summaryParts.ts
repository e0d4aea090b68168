/**
 * A large summary delivered in two parts (issue 13, ADR 0032; the shapes in
 * shared/summaryParts.ts): part 1 is the head, the first panels' sections and
 * every critical item; part 2 the other sections whole, tied to part 1 by a
 * random id, the open's id and seq and the patient's identifier.
 *
 * A cached answer (a pre-serialized envelope) is split on its stored bytes: the
 * sections' JSON is scanned for each section's and item's byte range and the
 * pieces spliced as they are, so nothing of the 2.5 MB is parsed or serialized
 * again; only an item that names "critical" is parsed, to see whether it is.
 * A summary as objects (a pushed update) is split as objects.
 *
 * Part 2 of an answer waits in a `PartStore` for the renderer's `summary.rest`:
 * once, for the same session generation, user and patient, for a short time.
 */
import { randomBytes } from 'node:crypto';
import type { EventName, EventPayload } from '../../shared/api';
import { SECTION_KEYS, type SectionKey } from '../../shared/sections';
import type { Summary } from '../../shared/summary';
import { firstPanelKeys, SPLIT_ABOVE_ITEMS, type SummaryParts, type SummaryRest } from '../../shared/summaryParts';
import { isPreserialized, materializeSummary, preserialized, type PreserializedSummary, type SummaryAnswer } from '../summary/summaryAnswer';

/**
 * Part 2 of a cached answer: its head (id, open, seq, patient) with the
 * pending sections' stored bytes spliced in as `sections` — the same envelope
 * as a cached summary (encodeResult splices it, materializeSummary parses it).
 */
export type RestAnswer = SummaryRest | PreserializedSummary;

export interface SplitAnswer {
  part1: SummaryAnswer;
  rest: RestAnswer;
  id: string;
}

/** 144 random bits, URL-safe (24 characters). */
export function newPartId(): string {
  return randomBytes(18).toString('base64url');
}

function pendingKeys(head: Pick<Summary, 'view'>): SectionKey[] {
  const first = new Set(firstPanelKeys(head));
  return SECTION_KEYS.filter((key) => !first.has(key));
}

function restHead(id: string, head: Pick<Summary, 'progress' | 'patient'>): Omit<SummaryRest, 'sections'> {
  return { id, ...(head.progress ? { openId: head.progress.openId, seq: head.progress.seq } : {}), patient: head.patient.identifier };
}

/** A summary as objects in two parts; undefined when few items follow the first panels (it travels whole). */
export function splitSummary(view: Summary): { part1: Summary & { parts: SummaryParts }; rest: SummaryRest } | undefined {
  const pending = pendingKeys(view);
  let restItems = 0;
  for (const key of pending) restItems += view.sections[key].length;
  if (restItems <= SPLIT_ABOVE_ITEMS) return undefined;
  const id = newPartId();
  const sections = { ...view.sections } as Record<SectionKey, Summary['sections'][SectionKey]>;
  const restSections: Partial<Record<SectionKey, unknown>> = {};
  const counts: Record<string, number> = {};
  for (const key of pending) {
    const items = view.sections[key];
    restSections[key] = items;
    counts[key] = items.length;
    sections[key] = (items as { critical?: boolean }[]).filter((item) => item.critical === true) as typeof items;
  }
  return {
    part1: { ...view, sections: sections as Summary['sections'], parts: { id, pending, counts } },
    rest: { ...restHead(id, view), sections: restSections as SummaryRest['sections'] },
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface SectionRange {
  start: number;
  end: number;
  /** Each item's [start, end) within the bytes. */
  items: Array<[number, number]>;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The index of the quote closing the string opened at `at`, or -1. */
function stringEnd(bytes: Buffer, at: number): number {
  let j = at;
  for (;;) {
    j = bytes.indexOf(QUOTE, j + 1);
    if (j < 0) return -1;
    let slashes = 0;
    for (let k = j - 1; bytes[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return j;
  }
}

/** The end (exclusive) of the JSON value starting at `at`, or -1. Strings are skipped by search, not byte by byte. */
function valueEnd(bytes: Buffer, at: number): number {
  const c = bytes[at];
  if (c === QUOTE) {
    const e = stringEnd(bytes, at);
    return e < 0 ? -1 : e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let i = at; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === QUOTE) {
        i = stringEnd(bytes, i);
        if (i < 0) return -1;
      } else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < bytes.length && bytes[i] !== 0x2c && bytes[i] !== 0x5d && bytes[i] !== 0x7d && !isSpace(bytes[i])) i++;
  return i > at ? i : -1;
}

/**
 * Each top-level key's array and its items' ranges in the sections' JSON, or
 * undefined when the bytes are not an object of arrays (the caller then
 * parses them instead).
 */
export function scanSections(bytes: Buffer): Map<string, SectionRange> | undefined {
  const out = new Map<string, SectionRange>();
  let i = 0;
  const skip = () => {
    while (isSpace(bytes[i])) i++;
  };
  skip();
  if (bytes[i] !== 0x7b) return undefined;
  i++;
  skip();
  if (bytes[i] === 0x7d) return out;
  for (;;) {
    skip();
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, i);
    if (keyEnd < 0) return undefined;
    const key = JSON.parse(bytes.toString('latin1', i, keyEnd + 1)) as string;
    i = keyEnd + 1;
    skip();
    if (bytes[i] !== 0x3a) return undefined;
    i++;
    skip();
    if (bytes[i] !== 0x5b) return undefined;
    const start = i;
    const items: Array<[number, number]> = [];
    i++;
    skip();
    if (bytes[i] === 0x5d) i++;
    else {
      for (;;) {
        skip();
        const itemEnd = valueEnd(bytes, i);
        if (itemEnd < 0) return undefined;
        items.push([i, itemEnd]);
        i = itemEnd;
        skip();
        if (bytes[i] === 0x2c) {
          i++;
          continue;
        }
        if (bytes[i] !== 0x5d) return undefined;
        i++;
        break;
      }
    }
    out.set(key, { start, end: i, items });
    skip();
    if (bytes[i] === 0x2c) {
      i++;
      continue;
    }
    if (bytes[i] !== 0x7d) return undefined;
    i++;
    skip();
    return i === bytes.length ? out : undefined;
  }
}

const CRITICAL_KEY = Buffer.from('"critical"', 'latin1');

/** Every place the bytes name "critical", in order: one search through them all (ADR 0039). */
function criticalMentions(bytes: Buffer): number[] {
  const at: number[] = [];
  for (let i = bytes.indexOf(CRITICAL_KEY); i !== -1; i = bytes.indexOf(CRITICAL_KEY, i + CRITICAL_KEY.length)) at.push(i);
  return at;
}

/**
 * Whether the mention at `at` may be a key whose value is `true`: followed
 * (spaces allowed) by a colon and a `t`. Every item with `"critical": true`
 * at its top level has one such mention; an item with none cannot be marked
 * critical, and is not parsed. One that has one is parsed, and decides.
 */
function maySayTrue(bytes: Buffer, at: number): boolean {
  let i = at + CRITICAL_KEY.length;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] !== 0x3a) return false;
  i++;
  while (isSpace(bytes[i])) i++;
  return bytes[i] === 0x74;
}

/**
 * The items of a section's range that are marked critical. Only an item that
 * names "critical" followed by `: t` is parsed, to see whether it is. `mentions`
 * (criticalMentions) is read from `from.next` on, and left at the section's end:
 * sections are asked in the order of their ranges.
 */
function criticalItems(bytes: Buffer, range: SectionRange, mentions: readonly number[], from: { next: number }): Array<[number, number]> {
  const marked: Array<[number, number]> = [];
  let n = from.next;
  while (n < mentions.length && (mentions[n] as number) < range.start) n++;
  for (const [start, end] of range.items) {
    if (n >= mentions.length || (mentions[n] as number) >= range.end) break;
    let candidate = false;
    for (; n < mentions.length && (mentions[n] as number) < end; n++) {
      if ((mentions[n] as number) >= start && maySayTrue(bytes, mentions[n] as number)) candidate = true;
    }
    if (!candidate) continue;
    const item = JSON.parse(bytes.toString('latin1', start, end)) as { critical?: unknown };
    if (item.critical === true) marked.push([start, end]);
  }
  from.next = n;
  return marked;
}

/** A cached envelope in two parts, its stored bytes spliced; 'small' when it travels whole, 'unread' when the scan cannot read it. */
function splitPreserialized(answer: PreserializedSummary): SplitAnswer | 'small' | 'unread' {
  const bytes = answer.sectionsJson;
  const ranges = scanSections(bytes);
  if (!ranges || ranges.size !== SECTION_KEYS.length || SECTION_KEYS.some((key) => !ranges.has(key))) return 'unread';
  const pending = pendingKeys(answer.head);
  let restItems = 0;
  for (const key of pending) restItems += ranges.get(key)?.items.length ?? 0;
  if (restItems <= SPLIT_ABOVE_ITEMS) return 'small';
  const waiting = new Set(pending);
  const id = newPartId();
  const first: Buffer[] = [Buffer.from('{', 'latin1')];
  const rest: Buffer[] = [Buffer.from('{', 'latin1')];
  const counts: Record<string, number> = {};
  const mentions = criticalMentions(bytes);
  const read = { next: 0 };
  for (const [key, range] of ranges) {
    const name = Buffer.from(`"${key}":`, 'latin1');
    if (first.length > 1) first.push(Buffer.from(',', 'latin1'));
    first.push(name);
    if (!waiting.has(key as SectionKey)) {
      first.push(bytes.subarray(range.start, range.end));
      continue;
    }
    counts[key] = range.items.length;
    first.push(Buffer.from('[', 'latin1'));
    criticalItems(bytes, range, mentions, read).forEach(([start, end], n) => {
      if (n > 0) first.push(Buffer.from(',', 'latin1'));
      first.push(bytes.subarray(start, end));
    });
    first.push(Buffer.from(']', 'latin1'));
    if (rest.length > 1) rest.push(Buffer.from(',', 'latin1'));
    rest.push(name, bytes.subarray(range.start, range.end));
  }
  first.push(Buffer.from('}', 'latin1'));
  rest.push(Buffer.from('}', 'latin1'));
  const parts: SummaryParts = { id, pending, counts };
  const head = { ...answer.head, parts } as Omit<Summary, 'sections'>;
  // The envelope's head is the rest's head here: encodeResult and materializeSummary treat it as any object.
  const rHead = restHead(id, answer.head) as unknown as Omit<Summary, 'sections'>;
  return { id, part1: preserialized(head, Buffer.concat(first)), rest: preserialized(rHead, Buffer.concat(rest)) };
}

/** A summary answer in two parts, or undefined when it travels whole (few items after the first panels). */
export function splitAnswer(answer: SummaryAnswer): SplitAnswer | undefined {
  if (!isPreserialized(answer)) return splitObjects(answer);
  const split = splitPreserialized(answer);
  if (split === 'small') return undefined;
  // Stored bytes the scan cannot read (not expected: the cache writes JSON.stringify's bytes) are split as objects.
  return split === 'unread' ? splitObjects(materializeSummary(answer)) : split;
}

function splitObjects(summary: Summary): SplitAnswer | undefined {
  const split = splitSummary(summary);
  return split ? { id: split.part1.parts.id, part1: split.part1, rest: split.rest } : undefined;
}

/** One pushed event as the transports send it to a renderer that takes parts: a large summary as part 1, then part 2. */
export type Delivery = ReadonlyArray<{ event: EventName; payload: object }>;

const deliveries = new WeakMap<object, Delivery>();

/**
 * The events a pushed event becomes for a renderer taking parts: a whole
 * summary update past the threshold as `summary.updated` (part 1) then
 * `summary.rest` (part 2); anything else as it is. Made once per payload
 * object (the hub hands every listener the same one), so every client shares
 * the parts' objects and, through them, their bytes (ADR 0028).
 */
export function deliveryOf<E extends EventName>(event: E, payload: EventPayload<E>): Delivery {
  const known = deliveries.get(payload);
  if (known) return known;
  let delivery: Delivery = [{ event, payload }];
  if (event === 'summary.updated' && 'summary' in payload) {
    const split = splitSummary(payload.summary);
    if (split) delivery = [{ event: 'summary.updated', payload: { summary: split.part1 } }, { event: 'summary.rest', payload: split.rest }];
  }
  deliveries.set(payload, delivery);
  return delivery;
}

interface Held {
  viewerKey: string;
  rest: RestAnswer;
  at: number;
}

/** Parts kept at most; the oldest goes first. */
const MAX_HELD = 4;
/** How long a part 2 waits for its request. */
export const PART_KEPT_MS = 120_000;

export interface PartStore {
  put(viewerKey: string, id: string, rest: RestAnswer): void;
  /** Part 2 for this viewer, once; undefined when unknown, taken already, expired, or another viewer's. */
  take(viewerKey: string, id: string): RestAnswer | undefined;
  clear(): void;
}

export function createPartStore(now: () => number = Date.now): PartStore {
  const held = new Map<string, Held>();
  const expire = () => {
    const limit = now() - PART_KEPT_MS;
    for (const [id, h] of held) if (h.at < limit) held.delete(id);
  };
  return {
    put(viewerKey, id, rest) {
      expire();
      held.set(id, { viewerKey, rest, at: now() });
      while (held.size > MAX_HELD) held.delete(held.keys().next().value as string);
    },
    take(viewerKey, id) {
      expire();
      const h = held.get(id);
      if (!h || h.viewerKey !== viewerKey) return undefined;
      held.delete(id);
      return h.rest;
    },
    clear() {
      held.clear();
    },
  };
}
