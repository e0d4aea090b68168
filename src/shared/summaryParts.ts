/**
 * A large summary delivered in two parts (issue 13, ADR 0032), so the first
 * paint does not wait for megabytes of results:
 *
 *  part 1  the summary's head (patient, sources' statuses, cache age, view,
 *          coverage...), the first panels' sections in the role's order whole,
 *          and in every other section only its items marked critical; with
 *          `parts` saying which sections are still to come and how many items
 *          each holds.
 *  part 2  those sections whole (`summaryRestSchema`): the answer to
 *          `summary.rest` after a cached open, or the `summary.rest` event
 *          right after a pushed update's part 1.
 *
 * Part 2 belongs to its part 1 by `id` (random, one per split), the open's id
 * and seq, and the patient's identifier; the renderer applies it only when all
 * of them match what it shows. A summary with few items past the first panels
 * travels whole (no `parts`).
 */
import { z } from 'zod';
import { SECTION_KEYS, type SectionKey } from './sections';
import { identifierSchema, sectionsSchema } from './summary';

/** The panels painted with the header, in the role's order (PatientSummaryView paints these first). */
export const FIRST_PANELS = 3;

/** A summary with more items than this after the first panels travels in two parts (and is checked in two steps). */
export const SPLIT_ABOVE_ITEMS = 200;

/** The first panels' keys: the role's order (summary.view), else IPS order. */
export function firstPanelKeys(head: { view?: { sections: readonly SectionKey[] } | undefined }): SectionKey[] {
  return (head.view?.sections ?? SECTION_KEYS).slice(0, FIRST_PANELS);
}

const sectionKeySchema = z.enum(SECTION_KEYS as unknown as [SectionKey, ...SectionKey[]]);

/** On part 1: what part 2 will bring. */
export const summaryPartsSchema = z.object({
  /** Random, one per split: part 2 carries the same. */
  id: z.string().min(16).max(64),
  /** The sections part 2 brings whole; until then they hold only their critical items. */
  pending: z.array(sectionKeySchema),
  /** Items in each pending section, whole: part 2 must bring exactly these counts. */
  counts: z.record(z.string(), z.number().int().min(0)),
});

/** Part 2: the pending sections whole, tied to its part 1. */
export const summaryRestSchema = z.object({
  id: z.string().min(16).max(64),
  /** The open and seq of its part 1 (absent for a summary without progress). */
  openId: z.string().optional(),
  seq: z.number().optional(),
  patient: identifierSchema,
  sections: sectionsSchema.partial(),
});

export type SummaryParts = z.output<typeof summaryPartsSchema>;
export type SummaryRest = z.output<typeof summaryRestSchema>;
