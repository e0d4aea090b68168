import { describe, expect, it } from 'vitest';
import { groupResults } from '../../../../src/renderer/model/groupResults';
import type { SummaryItem } from '../../../../src/renderer/model/types';

const LOINC = 'http://loinc.org';

function result(key: string, code: string | undefined, text: string, date: string | undefined, value: number): SummaryItem {
  return {
    key,
    section: 'results',
    codes: code ? [{ system: LOINC, code }] : [],
    text,
    ...(date ? { date } : {}),
    value: { value, unit: 'mmol/L' },
    details: {},
    sealed: false,
    sources: [{ sourceId: 'nord', sourceName: 'Region Nord', recordId: key, fetchedAt: '2025-01-01T00:00:00Z' }],
    conflicts: [],
  };
}

describe('groupResults', () => {
  it('groups by code, newest value first, groups ordered by their newest value', () => {
    const groups = groupResults([
      result('k1', '2345-7', 'Glukos', '2024-01-01', 5.1),
      result('k2', '2823-3', 'Kalium', '2024-02-01', 4.0),
      result('k3', '2345-7', 'P-Glukos', '2024-03-01', 6.2),
      result('k4', '2345-7', 'Glukos', undefined, 4.4),
    ]);
    expect(groups.map((g) => g.latest.key)).toEqual(['k3', 'k2']);
    expect(groups[0]!.earlier.map((i) => i.key)).toEqual(['k1', 'k4']);
    expect(groups[1]!.earlier).toEqual([]);
  });

  it('groups uncoded results by their text', () => {
    const groups = groupResults([
      result('a', undefined, 'Blodtryck', '2024-01-01', 1),
      result('b', undefined, 'blodtryck ', '2024-01-02', 2),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.latest.key).toBe('b');
  });

  it('folds a heavy patient into one row per test', () => {
    const items: SummaryItem[] = [];
    for (let i = 0; i < 2400; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
      items.push(result(`r${i}`, `code-${i % 30}`, `Test ${i % 30}`, `20${10 + (i % 15)}-${month}-${day}`, i));
    }
    const groups = groupResults(items);
    expect(groups).toHaveLength(30);
    expect(groups.reduce((n, g) => n + 1 + g.earlier.length, 0)).toBe(2400);
    for (const g of groups) {
      const times = [g.latest, ...g.earlier].map((i) => Date.parse(i.date!));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });
});
