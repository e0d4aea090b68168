import { describe, expect, it } from 'vitest';
import { mergeItems, mergeKey } from '../../../../src/main/summary/merge';
import { SECTION_KEYS, type ClinicalItem, type ClinicalItemOf, type SectionKey } from '../../../../src/shared/summary';
import { minimalDetails } from '../../../fixtures/items';

const FETCHED = '2026-11-25T10:00:00.000Z';

function item<K extends SectionKey>(
  over: Partial<Omit<ClinicalItemOf<K>, 'section'>> & { section: K; text: string },
  source = 'region-nord',
): ClinicalItem {
  return {
    codes: [],
    details: minimalDetails(over.section),
    sealed: false,
    provenance: { sourceId: source, sourceName: source, recordId: `X/${Math.random()}`, fetchedAt: FETCHED },
    ...over,
  } as ClinicalItem;
}

const penicillin = { system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' };

describe('mergeItems', () => {
  it('returns every section in IPS order, empty ones included', () => {
    expect(Object.keys(mergeItems([]))).toEqual([...SECTION_KEYS]);
  });

  it('merges the same allergy from two regions into one item listing both sources', () => {
    const sections = mergeItems([
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], status: 'active' }, 'region-nord'),
      item({ section: 'allergies', text: 'Pc-allergi', codes: [penicillin], status: 'active' }, 'region-syd'),
    ]);
    expect(sections.allergies).toHaveLength(1);
    expect(sections.allergies[0]?.sources.map((s) => s.sourceId)).toEqual(['region-nord', 'region-syd']);
    expect(sections.allergies[0]?.conflicts).toEqual([]);
  });

  it('keeps a disagreement on status side by side instead of choosing', () => {
    const sections = mergeItems([
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], status: 'active' }, 'region-nord'),
      item({ section: 'allergies', text: 'Penicillin', codes: [penicillin], status: 'resolved' }, 'region-syd'),
    ]);
    expect(sections.allergies[0]?.conflicts).toEqual([
      {
        field: 'status',
        values: [
          { sourceId: 'region-nord', value: 'active' },
          { sourceId: 'region-syd', value: 'resolved' },
        ],
      },
    ]);
  });

  it('treats an OID and a URL for the same code system as one system', () => {
    const a = item({ section: 'medications', text: 'Metformin', codes: [{ system: 'http://www.whocc.no/atc', code: 'A10BA02' }] });
    const b = item({ section: 'medications', text: 'Metformin', codes: [{ system: 'urn:oid:1.2.752.129.2.2.3.1.1', code: 'a10ba02' }] });
    expect(mergeKey(a)).toBe(mergeKey(b));
  });

  it('does not merge two results of the same test taken at different times', () => {
    const hba1c = { system: 'http://loinc.org', code: '4548-4' };
    const sections = mergeItems([
      item({ section: 'results', text: 'HbA1c', codes: [hba1c], date: '2026-01-01', value: { value: 52, unit: 'mmol/mol' } }),
      item({ section: 'results', text: 'HbA1c', codes: [hba1c], date: '2026-06-01', value: { value: 48, unit: 'mmol/mol' } }),
    ]);
    expect(sections.results).toHaveLength(2);
    expect(sections.results.map((r) => r.date)).toEqual(['2026-06-01', '2026-01-01']);
  });

  it('shows a different value for the same result at the same time as a conflict', () => {
    const hb = { system: 'http://loinc.org', code: '718-7' };
    const sections = mergeItems([
      item({ section: 'results', text: 'Hb', codes: [hb], date: '2026-03-01T08:00:00Z', value: { value: 131, unit: 'g/L' } }, 'a'),
      item({ section: 'results', text: 'Hb', codes: [hb], date: '2026-03-01T08:00:00Z', value: { value: 113, unit: 'g/L' } }, 'b'),
    ]);
    expect(sections.results).toHaveLength(1);
    expect(sections.results[0]?.conflicts[0]?.field).toBe('value');
  });

  it('does not call one source\'s repeated records with different statuses a conflict', () => {
    const atc = { system: 'http://www.whocc.no/atc', code: 'C09AA05' };
    const sections = mergeItems([
      item({ section: 'medications', text: 'Ramipril', codes: [atc], status: 'active' }, 'region-nord'),
      item({ section: 'medications', text: 'Ramipril', codes: [atc], status: 'stopped' }, 'region-nord'),
    ]);
    expect(sections.medications).toHaveLength(1);
    expect(sections.medications[0]?.conflicts).toEqual([]);
  });

  it('merges uncoded items only when their text is the same', () => {
    const sections = mergeItems([
      item({ section: 'problems', text: 'Ryggsmärta' }, 'a'),
      item({ section: 'problems', text: '  ryggsmärta ' }, 'b'),
      item({ section: 'problems', text: 'Nacksmärta' }, 'b'),
    ]);
    expect(sections.problems.map((p) => p.sources.length).sort()).toEqual([1, 2]);
  });
});
