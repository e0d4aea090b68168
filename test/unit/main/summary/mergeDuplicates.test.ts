/**
 * Exact duplicates and group keys: the merge finds identical records within
 * each fact group (identical records share every fact key), the retracted ones
 * among themselves, and a group's key is its smallest fact key wherever its
 * members came in the input.
 */
import { describe, expect, it } from 'vitest';
import { mergeSummary } from '../../../../src/main/summary/merge';
import type { ClinicalItem, ClinicalItemOf, SectionKey } from '../../../../src/shared/summary';
import { minimalDetails } from '../../../fixtures/items';

const FETCHED = '2026-11-25T10:00:00.000Z';
const SCT = 'http://snomed.info/sct';

function item<K extends SectionKey>(
  over: Partial<Omit<ClinicalItemOf<K>, 'section'>> & { section: K; text: string; recordId: string },
  source = 'region-nord',
): ClinicalItem {
  const { recordId, ...rest } = over;
  return {
    codes: [],
    details: minimalDetails(over.section),
    sealed: false,
    provenance: { sourceId: source, sourceName: source, recordId, fetchedAt: FETCHED },
    ...rest,
  } as ClinicalItem;
}

const copy = (i: ClinicalItem): ClinicalItem => structuredClone(i);

describe('exact duplicates', () => {
  it('one record delivered twice (same source, id and content) is one record', () => {
    const a = item({ section: 'allergies', text: 'Penicillin', codes: [{ system: SCT, code: '764146007' }], status: 'active', recordId: 'A/1' });
    const { sections } = mergeSummary([a, copy(a)]);
    expect(sections.allergies).toHaveLength(1);
    expect(sections.allergies[0]?.sources).toHaveLength(1);
  });

  it('an undated event delivered twice is one record, two undated events stay two', () => {
    const r = item({ section: 'results', text: 'Hb', codes: [{ system: 'http://loinc.org', code: '718-7' }], value: { value: 140, unit: 'g/L' }, recordId: 'O/1' });
    const other = { ...copy(r), provenance: { ...r.provenance, recordId: 'O/2' } } as ClinicalItem;
    expect(mergeSummary([r, copy(r)]).sections.results).toHaveLength(1);
    expect(mergeSummary([r, copy(r), other]).sections.results).toHaveLength(2);
  });

  it('the same retracted record delivered twice is counted once; two retracted records twice', () => {
    const gone = item({ section: 'problems', text: 'Astma', codes: [{ system: SCT, code: '195967001' }], status: 'entered-in-error', recordId: 'C/1' });
    const second = { ...copy(gone), provenance: { ...gone.provenance, recordId: 'C/2' } } as ClinicalItem;
    expect(mergeSummary([gone, copy(gone)]).retracted).toEqual({ problems: 1 });
    expect(mergeSummary([gone, copy(gone), second]).retracted).toEqual({ problems: 2 });
    expect(mergeSummary([gone, copy(gone)]).sections.problems).toEqual([]);
  });

  it('one record id with different content is two records, both kept', () => {
    const a = item({ section: 'allergies', text: 'Penicillin', codes: [{ system: SCT, code: '764146007' }], status: 'active', recordId: 'A/1' });
    const changed = { ...copy(a), status: 'inactive' } as ClinicalItem;
    const { sections } = mergeSummary([a, changed]);
    expect(sections.allergies).toHaveLength(1);
    expect(sections.allergies[0]?.sources).toHaveLength(2);
  });
});

describe('group keys', () => {
  it('a record with two codes joins two facts into one item keyed by the smallest key, in any input order', () => {
    const x = item({ section: 'problems', text: 'Diabetes', codes: [{ system: SCT, code: '46635009' }], recordId: 'C/x' }, 'region-nord');
    const y = item({ section: 'problems', text: 'Diabetes', codes: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E10' }], recordId: 'C/y' }, 'region-syd');
    const both = item(
      { section: 'problems', text: 'Diabetes', codes: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E10' }, { system: SCT, code: '46635009' }], recordId: 'C/b' },
      'kommun-vast',
    );
    const orders = [
      [x, y, both],
      [both, y, x],
      [y, both, x],
    ];
    const keys = orders.map((input) => {
      const { sections } = mergeSummary(input);
      expect(sections.problems).toHaveLength(1);
      expect(sections.problems[0]?.sources).toHaveLength(3);
      return sections.problems[0]?.key;
    });
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe('problems:http://hl7.org/fhir/sid/icd-10|E10');
  });

  it('a fact one record states keeps that record as its only source', () => {
    const lone = item({ section: 'procedures', text: 'Appendektomi', codes: [{ system: SCT, code: '80146002' }], recordId: 'P/1', date: '2020-01-01' });
    const { sections } = mergeSummary([lone]);
    expect(sections.procedures[0]).toMatchObject({ key: 'procedures:http://snomed.info/sct|80146002@2020-01-01', sources: [lone.provenance], conflicts: [] });
  });
});
