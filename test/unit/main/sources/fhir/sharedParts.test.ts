/**
 * One answer's value-identical item parts held once (ADR 0033): the items'
 * values are unchanged, and equal parts are one object.
 */
import { describe, expect, it } from 'vitest';
import { createPartPool } from '../../../../../src/main/sources/fhir/sharedParts';
import type { ClinicalItem } from '../../../../../src/shared/summary';

function result(recordId: string, value: number, interpretation: string): ClinicalItem {
  return {
    section: 'results',
    codes: [{ system: 'http://loinc.org', code: '14749-6', display: 'Glucose' }],
    text: ` P-Glukos`.trim(),
    details: { category: ['laboratory'], interpretation: [{ code: interpretation }], performers: ['Klinisk kemi'] },
    sealed: false,
    provenance: { sourceId: 'nord', sourceName: 'Region Nord', recordId, fetchedAt: '2026-11-30T08:00:00Z' },
    status: 'final',
    date: '2026-11-01T07:30:00Z',
    value: { value, unit: 'mmol/L' },
  } as ClinicalItem;
}

describe('createPartPool', () => {
  it('changes no value of any item', () => {
    const items = [result('Observation/1', 7.8, 'H'), result('Observation/2', 7.8, 'H'), result('Observation/3', 5.1, 'N')];
    const before = JSON.stringify(items);
    const share = createPartPool();
    const shared = items.map(share);
    expect(JSON.stringify(shared)).toBe(before);
  });

  it('holds equal parts once and keeps different ones apart', () => {
    const share = createPartPool();
    const [a, b, c] = [result('Observation/1', 7.8, 'H'), result('Observation/2', 7.8, 'H'), result('Observation/3', 5.1, 'N')].map(share) as [ClinicalItem, ClinicalItem, ClinicalItem];
    expect(b.codes).toBe(a.codes);
    expect(b.details).toBe(a.details);
    expect(b.value).toBe(a.value);
    expect(c.codes).toBe(a.codes);
    expect(c.details).not.toBe(a.details);
    expect(c.value).not.toBe(a.value);
    // Each item keeps its own provenance.
    expect(b.provenance).not.toBe(a.provenance);
    expect(b.provenance.recordId).toBe('Observation/2');
  });

  it('a new pool shares nothing with an earlier one (per answer)', () => {
    const first = createPartPool()(result('Observation/1', 7.8, 'H'));
    const second = createPartPool()(result('Observation/1', 7.8, 'H'));
    expect(second.details).not.toBe(first.details);
  });
});
