/**
 * Properties of the merge (fast-check): the result does not depend on the order
 * of the input, merging a record twice changes nothing, no record is ever lost
 * (each is reachable from exactly one item, or counted as retracted), and
 * nothing is merged across sections.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRetracted, mergeSteps, mergeSummary, runToEnd, sortSteps } from '../../../../src/main/summary/merge';
import type { MergeResult } from '../../../../src/main/summary/merge';
import { SECTION_KEYS, type ClinicalItem, type SectionKey } from '../../../../src/shared/summary';
import { minimalDetails } from '../../../fixtures/items';

const NOW = new Date('2026-11-29T12:00:00Z');
const CODES = [
  { system: 'http://loinc.org', code: '718-7' },
  { system: 'urn:oid:2.16.840.1.113883.6.1', code: '718-7' },
  { system: 'http://www.whocc.no/atc', code: 'B01AF02' },
  { system: 'http://www.whocc.no/atc', code: 'B01AA03' },
  { system: 'http://snomed.info/sct', code: '764146007' },
  { system: 'NPL', code: '20110318000016' },
];

const arbItem = fc.record({
  section: fc.constantFrom<SectionKey>('results', 'medications', 'allergies', 'problems', 'immunizations'),
  codes: fc.subarray(CODES, { maxLength: 2 }),
  text: fc.constantFrom('Hb', 'Eliquis 5 mg', 'Eliquis 2,5 mg', 'Penicillin', 'Waran 2,5 mg'),
  status: fc.option(fc.constantFrom('active', 'final', 'corrected', 'amended', 'stopped', 'entered-in-error', 'cancelled', 'resolved'), { nil: undefined }),
  date: fc.option(fc.constantFrom('2026-01-01', '2026-03-01T08:00:00Z', '2016', '2025-12-24'), { nil: undefined }),
  value: fc.option(fc.oneof(fc.constantFrom('positiv', 'negativ'), fc.record({ value: fc.integer({ min: 1, max: 4 }), unit: fc.constant('g/L') })), { nil: undefined }),
  source: fc.constantFrom('nord', 'syd', 'kommun'),
  recordedAt: fc.option(fc.constantFrom('2026-01-02', '2026-03-02'), { nil: undefined }),
  reaction: fc.option(fc.constantFrom('Urtikaria', 'Anafylaxi'), { nil: undefined }),
});

type Arb = typeof arbItem extends fc.Arbitrary<infer T> ? T : never;

function toItems(raw: Arb[]): ClinicalItem[] {
  return raw.map((r, i) => {
    const details = minimalDetails(r.section) as Record<string, unknown>;
    if (r.section === 'allergies' && r.reaction) details.reactions = [{ manifestations: [r.reaction] }];
    return {
      section: r.section,
      codes: r.codes,
      text: r.text,
      ...(r.status ? { status: r.status } : {}),
      ...(r.date ? { date: r.date } : {}),
      ...(r.value !== undefined ? { value: r.value } : {}),
      details,
      sealed: false,
      provenance: { sourceId: r.source, sourceName: r.source, recordId: `X/${i}`, fetchedAt: '2026-11-29T10:00:00Z', ...(r.recordedAt ? { recordedAt: r.recordedAt } : {}) },
    } as ClinicalItem;
  });
}

const merge = (items: readonly ClinicalItem[]): MergeResult => mergeSummary(items, { now: NOW });

describe('merge properties', () => {
  it('does not depend on the order of its input (reconciliation classes included)', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 25 }).chain((raw) => fc.tuple(fc.constant(toItems(raw)), fc.shuffledSubarray(toItems(raw), { minLength: raw.length, maxLength: raw.length }))), ([items, shuffled]) => {
        expect(merge(shuffled)).toEqual(merge(items));
      }),
      { numRuns: 400 },
    );
  });

  it('is idempotent: the same records delivered again change nothing', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 25 }), (raw) => {
        const items = toItems(raw);
        expect(merge([...items, ...structuredClone(items)])).toEqual(merge(items));
      }),
      { numRuns: 300 },
    );
  });

  it('never loses a record and never merges across sections', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 30 }), (raw) => {
        const items = toItems(raw);
        const { sections, retracted } = merge(items);
        const sectionOf = new Map(items.map((i) => [i.provenance.recordId, i.section]));
        const reached: string[] = [];
        for (const key of SECTION_KEYS) {
          for (const merged of sections[key]) {
            const ids = [...merged.sources.map((s) => s.recordId), ...(merged.history ?? []).map((h) => h.provenance.recordId)];
            for (const id of ids) expect(sectionOf.get(id)).toBe(key);
            reached.push(...ids);
          }
        }
        const kept = items.filter((i) => !isRetracted(i)).map((i) => i.provenance.recordId);
        expect(reached.sort()).toEqual(kept.sort());
        const counted = Object.values(retracted).reduce((a, b) => a + (b ?? 0), 0);
        expect(counted + kept.length).toBe(items.length);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same result stepwise (any grain, paused between steps) as at once: duplicates, corrections, retractions, conflicts', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 5 }), (raw, repeated, grain) => {
        const items = toItems(raw);
        // Some records delivered twice (exact duplicates), the rest once.
        const input = [...items, ...structuredClone(items.slice(0, repeated))];
        const steps = mergeSteps(input, { now: NOW }, grain);
        let pauses = 0;
        let step = steps.next();
        while (!step.done) {
          pauses++;
          step = steps.next();
        }
        expect(step.value).toEqual(merge(input));
        // A stepwise merge of more than one grain of records does pause (the steps are real).
        if (input.length > grain) expect(pauses).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('sorts stepwise exactly as the stable native sort does, ties included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer()), { maxLength: 300 }), fc.integer({ min: 1, max: 9 }), (pairs, grain) => {
        const byFirst = (a: [number, number], b: [number, number]): number => a[0] - b[0];
        const native = [...pairs].sort(byFirst);
        const stepwise = [...pairs];
        runToEnd(sortSteps(stepwise, byFirst, grain));
        expect(stepwise).toEqual(native);
      }),
      { numRuns: 300 },
    );
  });
});
