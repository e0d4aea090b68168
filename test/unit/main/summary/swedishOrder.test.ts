/**
 * Items of one date are listed by their text as Swedish sorts it (å, ä, ö
 * after z; case does not come first), then by key: a total order.
 */
import { describe, expect, it } from 'vitest';
import { mergeSummary } from '../../../../src/main/summary/merge';
import type { ClinicalItem } from '../../../../src/shared/summary';

function allergy(text: string, code: string): ClinicalItem {
  return {
    section: 'allergies',
    codes: [{ system: 'http://snomed.info/sct', code }],
    text,
    status: 'active',
    details: {},
    sealed: false,
    provenance: { sourceId: 'nord', sourceName: 'Region Nord', recordId: `A/${code}`, fetchedAt: '2026-11-29T10:00:00Z' },
  } as ClinicalItem;
}

describe('the order of items of one date', () => {
  it('follows Swedish collation, not code points', () => {
    const texts = ['Öl', 'Ärtor', 'bensoat', 'Åkerbär', 'Apelsin', 'Zink'];
    const merged = mergeSummary(texts.map((t, i) => allergy(t, String(1000 + i))), { now: new Date('2026-11-29T12:00:00Z') });
    // Code points would give Apelsin, Zink, bensoat, Ärtor, Åkerbär, Öl.
    expect(merged.sections.allergies.map((i) => i.text)).toEqual(['Apelsin', 'bensoat', 'Zink', 'Åkerbär', 'Ärtor', 'Öl']);
  });
});
