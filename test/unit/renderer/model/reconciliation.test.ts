import { describe, expect, it } from 'vitest';
import { displayStrength, reconcileTable, strengthOf } from '../../../../src/renderer/model/reconciliation';
import { sectionMarks } from '../../../../src/renderer/model/sectionMarks';
import type { SummaryItem } from '../../../../src/renderer/model/types';

const NAMES: Record<string, string> = { nord: 'Region Nord', syd: 'Region Syd', vast: 'Kommun Väst', npl: 'Nationell lista' };

function prov(sourceId: string, cached = false) {
  return { sourceId, sourceName: NAMES[sourceId] ?? sourceId, recordId: `${sourceId}-1`, fetchedAt: '2026-11-29T10:00:00Z', ...(cached ? { cached } : {}) };
}

function med(key: string, text: string, sources: string[], extra: Partial<SummaryItem> & { details?: object } = {}): SummaryItem {
  return {
    key,
    section: 'medications',
    codes: [],
    text,
    status: 'active',
    sealed: false,
    sources: sources.map((s) => prov(s)),
    conflicts: [],
    group: 'current',
    ...extra,
    details: { recordKind: 'prescribed', dose: '1 tablett', route: 'oral', ...(extra.details ?? {}) },
  } as SummaryItem;
}

const eliquis = med('B01AF02', 'Eliquis 2,5 mg tablett', ['nord', 'syd', 'vast'], {
  reconciliation: { class: 'similar', substance: 'B01AF02 apixaban' },
  doubleMedication: true,
  conflicts: [
    {
      field: 'strength',
      values: [
        { sourceId: 'nord', value: '2.5 mg' },
        { sourceId: 'syd', value: '2.5 mg' },
        { sourceId: 'vast', value: '5 mg' },
      ],
    },
  ],
});
const metoprolol = med('C07AB02', 'Metoprolol 50 mg', ['nord', 'vast'], { reconciliation: { class: 'identical', substance: 'C07AB02' } });
const stopped = med('N02BE01', 'Alvedon 500 mg', ['syd'], { status: 'completed', group: 'history', reconciliation: { class: 'single' } });
const national = med('npl-1', 'Waran 2,5 mg', ['npl'], {
  reconciliation: { class: 'single', substance: 'B01AA03' },
  details: { recordKind: 'dispensed', nationalList: 'SE' },
});
const noneKnown = med('none', 'Inga kända läkemedel', ['syd'], { details: { absence: 'noneKnown' } });

describe('medication reconciliation table', () => {
  const table = reconcileTable([stopped, metoprolol, national, eliquis, noneKnown], [
    { sourceId: 'vast', name: 'Kommun Väst' },
    { sourceId: 'nord', name: 'Region Nord' },
    { sourceId: 'syd', name: 'Region Syd' },
  ]);

  it('has a column per source that gave medications, in the summary order, others after', () => {
    expect(table.sources.map((s) => s.sourceId)).toEqual(['vast', 'nord', 'syd', 'npl']);
    expect(table.statedNone).toEqual(['Region Syd']);
  });

  it('orders current before stopped; among current a double medication first, then differences, one source, identical', () => {
    expect(table.rows.map((r) => r.key)).toEqual(['B01AF02', 'npl-1', 'C07AB02', 'N02BE01']);
    expect(table.counts).toEqual({ identical: 1, similar: 1, single: 2, doubleMedication: 1, current: 3, stopped: 1 });
  });

  it("puts each source's own value in its cell and marks the fields that differ", () => {
    const row = table.rows[0];
    expect(row?.class).toBe('similar');
    expect(row?.differing).toEqual(['strength']);
    expect(row?.cells.get('vast')?.values.strength).toEqual(['5 mg']);
    expect(row?.cells.get('nord')?.values.strength).toEqual(['2.5 mg']);
    expect(row?.cells.get('vast')?.differs).toEqual(['strength']);
    // Where sources agree, the merged value is every source's, unmarked.
    expect(row?.cells.get('syd')?.values.route).toEqual(['oral']);
    expect(row?.cells.get('npl')).toBeUndefined();
  });

  it('reads identical rows as the same statement in each source, with the strength from the name', () => {
    const row = table.rows.find((r) => r.key === 'C07AB02');
    expect(row?.cells.get('nord')?.values.strength).toEqual(['50 mg']);
    expect(row?.cells.get('vast')?.differs).toEqual([]);
    expect([...(row?.cells.keys() ?? [])].sort()).toEqual(['nord', 'vast']);
  });

  it('keeps a national list record a row of its own, never compared with a care unit', () => {
    const row = table.rows.find((r) => r.key === 'npl-1');
    expect(row?.national).toBe(true);
    expect(row?.class).toBe('single');
    expect(row?.recordKind).toBe('dispensed');
  });

  it('counts several records of one source, and a cell only cached when every record is', () => {
    const refill = med('x', 'Omeprazol 20 mg', ['nord'], { sources: [prov('nord', true), prov('nord', false)] as never });
    const cell = reconcileTable([refill]).rows[0]?.cells.get('nord');
    expect(cell?.records).toBe(2);
    expect(cell?.cached).toBe(false);
    const cachedOnly = med('y', 'Omeprazol 20 mg', ['nord'], { sources: [prov('nord', true)] as never });
    expect(reconcileTable([cachedOnly]).rows[0]?.cells.get('nord')?.cached).toBe(true);
  });

  it('reads strengths like the merge does', () => {
    expect(strengthOf('Eliquis 2,5 mg filmdragerad tablett')).toBe('2.5 mg');
    expect(strengthOf('Insulin 100 E/ml')).toBe('100 e/ml');
    expect(strengthOf('Alvedon')).toBeUndefined();
    // Shown as on the pack.
    expect(displayStrength('100 e/ml')).toBe('100 E/ml');
    expect(displayStrength('800 ie')).toBe('800 IE');
    expect(displayStrength('2.5 mg')).toBe('2.5 mg');
  });

  it('handles thousands of rows (the heavy patient) in one pass', () => {
    const many = Array.from({ length: 5000 }, (_, i) => med(`k${i}`, `Med ${i} 10 mg`, [i % 2 ? 'nord' : 'syd'], { reconciliation: { class: 'single' } }));
    const big = reconcileTable(many);
    expect(big.rows).toHaveLength(5000);
    expect(big.counts.single).toBe(5000);
  });
});

describe('section header marks', () => {
  it('counts current critical, disputed and double-medication entries, not stopped ones or statements', () => {
    expect(sectionMarks([eliquis, metoprolol, stopped, noneKnown])).toEqual({ critical: 0, conflicts: 1, doubleMedication: 1 });
    const disputedButStopped = { ...eliquis, group: 'history' } as SummaryItem;
    expect(sectionMarks([disputedButStopped])).toEqual({ critical: 0, conflicts: 0, doubleMedication: 0 });
  });
});
