/**
 * The zod check of a large summary in two steps (issue 13, ADR 0031): at once
 * the head, the first panels' sections and every item marked critical in the
 * others (the sticky header names them); the rest of the sections when the
 * store asks for them, before their panels render. Together the two steps
 * check exactly what `summarySchema` checks (a plain object of plain objects:
 * no refinement spans sections), and nothing of a section is shown before its
 * own check passed.
 */
import type { z } from 'zod';
import { SECTION_KEYS, type SectionKey } from '../../shared/sections';
import { summarySchema, sectionsSchema, type Sections, type Summary } from '../../shared/summary';
import { firstPanelKeys, SPLIT_ABOVE_ITEMS } from '../../shared/summaryParts';

// The first panels and the threshold are those main splits a delivery by (shared/summaryParts.ts, ADR 0032).
export { FIRST_PANELS, SPLIT_ABOVE_ITEMS, firstPanelKeys } from '../../shared/summaryParts';

const headSchema = summarySchema.omit({ sections: true });

function sectionSchema(key: SectionKey): z.ZodType {
  return sectionsSchema.shape[key] as unknown as z.ZodType;
}

function itemSchema(key: SectionKey): z.ZodType {
  return (sectionsSchema.shape[key] as unknown as z.ZodArray<z.ZodType>).element;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rest of a split check: the whole summary, its first sections the same objects as in the partial one; undefined if a section fails. */
export type RestCheck = () => Summary | undefined;

export interface SplitChecked {
  /**
   * The head and the first panels' sections checked; every other section holds
   * only its items marked critical (checked one by one) until `rest` runs.
   */
  partial: Summary;
  /** The sections not yet checked (their panels wait for `rest`). */
  pending: SectionKey[];
  rest: RestCheck;
}


/**
 * Checks a summary as two steps when it is large, else undefined (the caller
 * checks it whole). `failed` when the first step already rejects it.
 */
export function splitCheck(raw: unknown): SplitChecked | 'failed' | undefined {
  if (!isRecord(raw) || !isRecord(raw.sections)) return undefined;
  const sections = raw.sections;
  const head = headSchema.safeParse(raw);
  if (!head.success) return 'failed';
  const first = new Set(firstPanelKeys(head.data));
  const pending = SECTION_KEYS.filter((key) => !first.has(key));
  let restItems = 0;
  for (const key of pending) {
    const items = sections[key];
    if (!Array.isArray(items)) return 'failed';
    restItems += items.length;
  }
  if (restItems <= SPLIT_ABOVE_ITEMS) return undefined;

  const checked: Partial<Record<SectionKey, unknown[]>> = {};
  for (const key of first) {
    const parsed = sectionSchema(key).safeParse(sections[key]);
    if (!parsed.success) return 'failed';
    checked[key] = parsed.data as unknown[];
  }
  const critical: Partial<Record<SectionKey, unknown[]>> = {};
  for (const key of pending) {
    const marked: unknown[] = [];
    for (const item of sections[key] as unknown[]) {
      if (!isRecord(item) || item.critical !== true) continue;
      const parsed = itemSchema(key).safeParse(item);
      if (!parsed.success) return 'failed';
      marked.push(parsed.data);
    }
    critical[key] = marked;
  }
  const partial = { ...head.data, sections: { ...critical, ...checked } as unknown as Sections } as Summary;
  const rest: RestCheck = () => {
    const all: Partial<Record<SectionKey, unknown[]>> = { ...checked };
    for (const key of pending) {
      const parsed = sectionSchema(key).safeParse(sections[key]);
      if (!parsed.success) return undefined;
      all[key] = parsed.data as unknown[];
    }
    return { ...head.data, sections: all as unknown as Sections } as Summary;
  };
  return { partial, pending, rest };
}

/** Summaries whose sections are only partly checked, with the check of the rest (see splitCheck). */
const deferred = new WeakMap<object, { pending: SectionKey[]; rest: RestCheck }>();

export function deferRest(partial: Summary, pending: SectionKey[], rest: RestCheck): void {
  deferred.set(partial, { pending, rest });
}

/** The pending sections and the rest check of a partly checked summary; undefined for a summary checked whole. */
export function deferredRest(summary: object): { pending: SectionKey[]; rest: RestCheck } | undefined {
  return deferred.get(summary);
}
