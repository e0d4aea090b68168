/**
 * The merge never merges a record away: retractions leave with a count,
 * corrections replace visibly with the original kept, one source's two values
 * stay two facts, and every disagreement between sources is shown.
 */
import { describe, expect, it } from 'vitest';
import { mergeSummary } from '../../../../src/main/summary/merge';
import { strengthOf } from '../../../../src/main/summary/reconcile';
import type { ClinicalItem, ClinicalItemOf, SectionKey } from '../../../../src/shared/summary';
import { minimalDetails } from '../../../fixtures/items';

const FETCHED = '2026-11-25T10:00:00.000Z';
const NOW = new Date('2026-11-29T12:00:00Z');
let n = 0;

function item<K extends SectionKey>(
  over: Partial<Omit<ClinicalItemOf<K>, 'section'>> & { section: K; text: string },
  source = 'region-nord',
  recordId = `R/${++n}`,
): ClinicalItem {
  return {
    codes: [],
    details: minimalDetails(over.section),
    sealed: false,
    provenance: { sourceId: source, sourceName: source, recordId, fetchedAt: FETCHED },
    ...over,
  } as ClinicalItem;
}

const LOINC_HB = { system: 'http://loinc.org', code: '718-7' };
const penicillin = { system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' };
const apixaban = { system: 'http://www.whocc.no/atc', code: 'B01AF02', display: 'apixaban' };
const warfarin = { system: 'http://www.whocc.no/atc', code: 'B01AA03', display: 'warfarin' };
const recordIds = (items: { sources: { recordId: string }[]; history?: { provenance: { recordId: string } }[] }[]) =>
  items.flatMap((i) => [...i.sources.map((s) => s.recordId), ...(i.history ?? []).map((h) => h.provenance.recordId)]);

describe('merge: nothing merged away', () => {
  it('keeps entered-in-error and cancelled records out of their section, counted per section', () => {
    const { sections, retracted } = mergeSummary([
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-01-01', value: { value: 130, unit: 'g/L' }, status: 'entered-in-error' }),
      item({ section: 'medications', text: 'Waran', codes: [warfarin], status: 'cancelled' }),
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], status: 'active' }),
    ]);
    expect(sections.results).toEqual([]);
    expect(sections.medications).toEqual([]);
    expect(sections.allergies).toHaveLength(1);
    expect(retracted).toEqual({ results: 1, medications: 1 });
  });

  it('shows a corrected result in place of the original, marked, with the original in its history', () => {
    const original = item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01T08:00:00Z', value: { value: 113, unit: 'g/L' }, status: 'final' }, 'lab', 'OBX/1');
    const correction = item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01T08:00:00Z', value: { value: 131, unit: 'g/L' }, status: 'corrected' }, 'lab', 'OBX/1-C');
    for (const input of [[original, correction], [correction, original]]) {
      const { sections } = mergeSummary(input);
      expect(sections.results).toHaveLength(1);
      expect(sections.results[0]).toMatchObject({ value: { value: 131 }, status: 'corrected', corrected: true });
      expect(sections.results[0]?.history).toEqual([
        { text: 'Hb', status: 'final', date: '2026-03-01T08:00:00Z', value: { value: 113, unit: 'g/L' }, provenance: original.provenance },
      ]);
    }
  });

  it('keeps two different values one source gives for the same test at the same time as two items', () => {
    const { sections } = mergeSummary([
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01T08:00:00Z', value: { value: 113, unit: 'g/L' } }, 'lab'),
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01T08:00:00Z', value: { value: 131, unit: 'g/L' } }, 'lab'),
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01T08:00:00Z', value: { value: 131, unit: 'g/L' } }, 'region'),
    ]);
    expect(sections.results.map((r) => [r.value, r.sources.map((s) => s.sourceId)])).toEqual(
      expect.arrayContaining([
        [{ value: 113, unit: 'g/L' }, ['lab']],
        [{ value: 131, unit: 'g/L' }, ['lab', 'region']],
      ]),
    );
  });

  it('never merges results that have no time: 1,000 undated values stay 1,000 items', () => {
    const input = Array.from({ length: 1000 }, (_, i) =>
      item({ section: 'results', text: 'HbA1c', codes: [{ system: 'http://loinc.org', code: '4548-4' }], value: { value: 40 + (i % 30), unit: 'mmol/mol' } }, 'lab', `OBX/${i}`),
    );
    expect(mergeSummary(input).sections.results).toHaveLength(1000);
  });

  it('merges the same fact coded in two systems when one record carries both codes', () => {
    const { sections } = mergeSummary([
      item({ section: 'medications', text: 'Eliquis 5 mg', codes: [{ system: 'NPL', code: '20110318000016' }, apixaban] }, 'kommun'),
      item({ section: 'medications', text: 'Eliquis 5 mg', codes: [apixaban] }, 'region'),
    ]);
    expect(sections.medications).toHaveLength(1);
    expect(sections.medications[0]?.reconciliation).toEqual({ class: 'identical', substance: 'B01AF02 apixaban' });
  });

  it('the same record delivered twice is one record', () => {
    const a = item({ section: 'allergies', text: 'Penicillin', codes: [penicillin] }, 'nord', 'A/1');
    const { sections } = mergeSummary([a, structuredClone(a)]);
    expect(sections.allergies[0]?.sources).toHaveLength(1);
  });

  it('reaches every record from exactly one item', () => {
    const input = [
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01', value: { value: 1 }, status: 'final' }, 'a'),
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01', value: { value: 2 }, status: 'corrected' }, 'a'),
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01', value: { value: 3 } }, 'b'),
      item({ section: 'results', text: 'Hb', codes: [LOINC_HB], date: '2026-03-01', value: { value: 4 } }, 'b'),
    ];
    const ids = recordIds(mergeSummary(input).sections.results);
    expect(ids.sort()).toEqual(input.map((i) => i.provenance.recordId).sort());
  });
});

describe('merge: every disagreement shown', () => {
  it('keeps every source\'s reactions on an allergy and shows that they differ', () => {
    const { sections } = mergeSummary([
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], details: { reactions: [{ manifestations: ['Anafylaktisk reaktion'] }] } }, 'nord'),
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], details: { reactions: [{ manifestations: ['Urtikaria'] }, { manifestations: ['Andnöd'] }] } }, 'kommun'),
    ]);
    const allergy = sections.allergies[0];
    expect(allergy?.section === 'allergies' && allergy.details.reactions?.map((r) => r.manifestations[0]).sort()).toEqual(['Anafylaktisk reaktion', 'Andnöd', 'Urtikaria']);
    expect(allergy?.conflicts.map((c) => c.field)).toContain('reaction');
    // Anaphylaxis from any source lifts the allergy into critical information.
    expect(allergy?.critical).toBe(true);
  });

  it('shows disagreement on criticality, verification and onset date of an allergy', () => {
    const { sections } = mergeSummary([
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], date: '2009-03-17', details: { criticality: 'high', verificationStatus: 'confirmed' } }, 'nord'),
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], date: '2016-02-12', details: { criticality: 'low', verificationStatus: 'unconfirmed' } }, 'syd'),
    ]);
    expect(sections.allergies[0]?.conflicts.map((c) => c.field)).toEqual(['date', 'criticality', 'verification']);
    expect(sections.allergies[0]?.critical).toBe(true);
  });

  it('does not call a partial date and a full date in the same year a disagreement', () => {
    const { sections } = mergeSummary([
      item({ section: 'problems', text: 'Diabetes', codes: [{ system: 'http://snomed.info/sct', code: '44054006' }], date: '2016' }, 'nord'),
      item({ section: 'problems', text: 'Diabetes', codes: [{ system: 'http://snomed.info/sct', code: '44054006' }], date: '2016-02-12' }, 'syd'),
    ]);
    expect(sections.problems[0]?.conflicts).toEqual([]);
  });

  it('keeps resolved and refuted allergies visible, apart as inactive', () => {
    const { sections } = mergeSummary([
      item({ section: 'allergies', text: 'Jordnöt', codes: [{ system: 'http://snomed.info/sct', code: '256349002' }], status: 'refuted', date: '2021-03-02' }),
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], status: 'active' }),
    ]);
    expect(sections.allergies.map((a) => [a.text, a.group])).toEqual([
      ['Jordnöt', 'inactive'],
      ['Penicillin', undefined],
    ]);
  });
});

describe('medication reconciliation', () => {
  const med = (text: string, codes: { system: string; code: string; display?: string }[] = [apixaban], over: Record<string, unknown> = {}, source = 'nord') =>
    item({ section: 'medications', text, codes, details: { recordKind: 'prescribed' }, ...over }, source);

  it('groups medications as current, recently stopped and history', () => {
    const { sections } = mergeSummary(
      [
        med('Eliquis 5 mg', [apixaban], { status: 'active' }),
        med('Omeprazol 20 mg', [{ system: 'http://www.whocc.no/atc', code: 'A02BC01' }], { status: 'stopped', details: { recordKind: 'prescribed', periodEnd: '2026-09-01' } }),
        med('Kåvepenin 1 g', [{ system: 'http://www.whocc.no/atc', code: 'J01CE02' }], { status: 'completed', date: '2019-01-10' }),
      ],
      { now: NOW },
    );
    expect(Object.fromEntries(sections.medications.map((m) => [m.text, m.group]))).toEqual({
      'Eliquis 5 mg': 'current',
      'Omeprazol 20 mg': 'recentlyStopped',
      'Kåvepenin 1 g': 'history',
    });
  });

  it('flags one substance in two strengths, both current, as a similar pair and a possible double medication', () => {
    const { sections } = mergeSummary([med('Eliquis 5 mg', [apixaban], { status: 'active' }, 'kommun'), med('Eliquis 2,5 mg filmdragerad tablett', [apixaban], { status: 'active' }, 'nord')], { now: NOW });
    expect(sections.medications).toHaveLength(1);
    expect(sections.medications[0]).toMatchObject({ doubleMedication: true, reconciliation: { class: 'similar' } });
    expect(sections.medications[0]?.conflicts).toContainEqual({ field: 'strength', values: [{ sourceId: 'kommun', value: '5 mg' }, { sourceId: 'nord', value: '2.5 mg' }] });
  });

  it('marks one substance taken at different frequencies (structured timing) as similar, with the frequencies side by side', () => {
    const twice = med('Eliquis 5 mg', [apixaban], { status: 'active', details: { recordKind: 'prescribed', frequency: '2×/d' } }, 'kommun');
    const once = med('Eliquis 5 mg', [apixaban], { status: 'active', details: { recordKind: 'stated', frequency: '1×/d' } }, 'nord');
    const { sections } = mergeSummary([twice, once], { now: NOW });
    expect(sections.medications).toHaveLength(1);
    expect(sections.medications[0]?.reconciliation?.class).toBe('similar');
    expect(sections.medications[0]?.conflicts).toContainEqual({ field: 'frequency', values: [{ sourceId: 'kommun', value: '2×/d' }, { sourceId: 'nord', value: '1×/d' }] });
    // Only structured timing is compared: a source without it does not make a difference.
    const untimed = med('Eliquis 5 mg', [apixaban], { status: 'active' }, 'nord');
    expect(mergeSummary([twice, untimed], { now: NOW }).sections.medications[0]?.reconciliation?.class).toBe('identical');
  });

  it('flags two current anticoagulants as a possible double medication, and a stopped one not', () => {
    const both = mergeSummary([med('Eliquis 5 mg', [apixaban], { status: 'active' }), med('Waran 2,5 mg', [warfarin], { status: 'active' }, 'syd')], { now: NOW });
    expect(both.sections.medications.map((m) => m.doubleMedication)).toEqual([true, true]);
    const stopped = mergeSummary([med('Eliquis 5 mg', [apixaban], { status: 'active' }), med('Waran 2,5 mg', [warfarin], { status: 'stopped', date: '2015-01-01' }, 'syd')], { now: NOW });
    expect(stopped.sections.medications.map((m) => m.doubleMedication)).toEqual([undefined, undefined]);
  });

  it('says when a medication is in one source only, where another source has medications to compare', () => {
    const { sections } = mergeSummary([med('Eliquis 5 mg'), med('Waran 2,5 mg', [warfarin], {}, 'syd')], { now: NOW });
    expect(sections.medications.map((m) => m.reconciliation?.class)).toEqual(['single', 'single']);
    // With one source only, "only in that source" says nothing and is left out.
    const alone = mergeSummary([med('Eliquis 5 mg')], { now: NOW });
    expect(alone.sections.medications[0]?.reconciliation).toBeUndefined();
  });

  it('reads strengths from product names', () => {
    expect(strengthOf('Eliquis 2,5 mg filmdragerad tablett')).toBe('2.5 mg');
    expect(strengthOf('Alvedon 500mg tablett')).toBe('500 mg');
    expect(strengthOf('Insulin 100 E/ml')).toBe('100 e/ml');
    expect(strengthOf('Metformin tablett')).toBeUndefined();
  });
});
