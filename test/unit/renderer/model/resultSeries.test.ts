import { describe, expect, it } from 'vitest';
import {
  abnormalityOf,
  buildSeries,
  filterSeries,
  isLoincLongName,
  panelValue,
  seriesName,
  trendOf,
} from '../../../../src/renderer/model/resultSeries';
import type { SummaryItem } from '../../../../src/renderer/model/types';

const LOINC = 'http://loinc.org';
const CREA_LONG = 'Creatinine [Moles/volume] in Serum or Plasma';

interface Opts {
  key: string;
  code?: string;
  text?: string;
  date?: string;
  value?: number | string;
  unit?: string;
  flag?: string;
  low?: number;
  high?: number;
  rangeUnit?: string;
  source?: string;
  comparator?: string;
}

function result(o: Opts): SummaryItem {
  const code = o.code ?? '14682-9';
  const unit = o.unit ?? 'umol/L';
  return {
    key: o.key,
    section: 'results',
    codes: [{ system: LOINC, code, display: CREA_LONG }],
    text: o.text ?? 'P-Kreatinin',
    ...(o.date ? { date: o.date } : {}),
    ...(o.value !== undefined
      ? { value: typeof o.value === 'string' ? o.value : { value: o.value, unit, ...(o.comparator ? { comparator: o.comparator } : {}) } }
      : {}),
    details: {
      ...(o.flag ? { interpretation: [{ code: o.flag }] } : {}),
      ...(o.low !== undefined || o.high !== undefined
        ? {
            referenceRange: [
              {
                ...(o.low !== undefined ? { low: { value: o.low, unit: o.rangeUnit ?? unit } } : {}),
                ...(o.high !== undefined ? { high: { value: o.high, unit: o.rangeUnit ?? unit } } : {}),
              },
            ],
          }
        : {}),
    },
    sealed: false,
    sources: [{ sourceId: o.source ?? 'nord', sourceName: o.source === 'vast' ? 'Kommun Väst' : 'Region Nord', recordId: o.key, fetchedAt: '2026-01-01T00:00:00Z' }],
    conflicts: [],
  };
}

describe('buildSeries', () => {
  it('groups by test code, newest first, the latest value up front, series ordered by their newest value', () => {
    const series = buildSeries([
      result({ key: 'c1', date: '2024-01-01', value: 90 }),
      result({ key: 'k1', code: '2823-3', text: 'P-Kalium', unit: 'mmol/L', date: '2024-02-01', value: 4 }),
      result({ key: 'c2', date: '2024-03-01', value: 112 }),
    ]);
    expect(series.map((s) => s.latest.key)).toEqual(['c2', 'k1']);
    expect(series[0]!.items.map((i) => i.key)).toEqual(['c2', 'c1']);
    // The chart's line runs oldest to newest.
    expect(series[0]!.points.map((p) => p.value)).toEqual([90, 112]);
    expect(series[0]!.points[1]!.sources).toEqual(['Region Nord']);
  });

  it('never merges values in different units into one line: one series per unit, marked as split', () => {
    const series = buildSeries([
      result({ key: 'a', date: '2024-01-01', value: 90, unit: 'umol/L' }),
      result({ key: 'b', date: '2024-02-01', value: 95, unit: 'µmol/L' }),
      result({ key: 'c', date: '2024-03-01', value: 1.1, unit: 'mg/dL' }),
    ]);
    expect(series).toHaveLength(2);
    expect(series.every((s) => s.unitSplit)).toBe(true);
    const umol = series.find((s) => s.points.length === 2)!;
    expect(umol.points.map((p) => p.value)).toEqual([90, 95]);
    const mg = series.find((s) => s.unit === 'mg/dL')!;
    expect(mg.points.map((p) => p.value)).toEqual([1.1]);
    expect(new Set(series.map((s) => s.key)).size).toBe(2);
  });

  it('keeps values without a number in the table but not on the chart line', () => {
    const [s] = buildSeries([
      result({ key: 'a', date: '2024-01-01', value: 90 }),
      result({ key: 'b', date: '2024-02-01', value: 'hemolys' }),
      result({ key: 'c', value: 91 }),
    ]);
    expect(s!.items.map((i) => i.key)).toEqual(['b', 'a', 'c']);
    expect(s!.points.map((p) => p.item.key)).toEqual(['a']);
    expect(s!.unitSplit).toBe(false);
  });
});

describe('abnormalityOf', () => {
  it("takes the source's flag first, with its direction and severity", () => {
    expect(abnormalityOf(result({ key: 'a', value: 112, flag: 'H' }))).toEqual({ severity: 'abnormal', direction: 'high', by: 'flag' });
    expect(abnormalityOf(result({ key: 'a', value: 2, flag: 'LL' }))).toEqual({ severity: 'critical', direction: 'low', by: 'flag' });
    // The flag says normal although the range disagrees: the source's own judgement stands.
    expect(abnormalityOf(result({ key: 'a', value: 200, flag: 'N', high: 105 }))?.severity).toBe('normal');
  });

  it('compares with the reference range when there is no flag', () => {
    expect(abnormalityOf(result({ key: 'a', value: 112, low: 60, high: 105 }))).toEqual({ severity: 'abnormal', direction: 'high', by: 'range' });
    expect(abnormalityOf(result({ key: 'a', value: 50, low: 60, high: 105 }))).toEqual({ severity: 'abnormal', direction: 'low', by: 'range' });
    expect(abnormalityOf(result({ key: 'a', value: 80, low: 60, high: 105 }))).toEqual({ severity: 'normal', by: 'range' });
    // The micro sign and UCUM's u are the same unit.
    expect(abnormalityOf(result({ key: 'a', value: 112, unit: 'µmol/L', rangeUnit: 'umol/L', high: 105 }))?.direction).toBe('high');
  });

  it('does not compare across units, nor a "<" value with its upper limit', () => {
    expect(abnormalityOf(result({ key: 'a', value: 1.3, unit: 'mg/dL', rangeUnit: 'umol/L', high: 1 }))).toBeUndefined();
    expect(abnormalityOf(result({ key: 'a', value: 5, comparator: '<', high: 4 }))?.severity).not.toBe('abnormal');
    expect(abnormalityOf(result({ key: 'a', value: 80 }))).toBeUndefined();
  });
});

describe('series names', () => {
  it("recognizes LOINC's English long name", () => {
    expect(isLoincLongName(result({ key: 'a', text: CREA_LONG }))).toBe(true);
    expect(isLoincLongName(result({ key: 'a', text: 'P-Kreatinin' }))).toBe(false);
  });

  it("prefers the sources' own words to LOINC's English long name", () => {
    const items = [
      result({ key: 'a', text: CREA_LONG, source: 'vast', date: '2026-09-15' }),
      result({ key: 'b', text: 'P-Kreatinin', date: '2026-01-01' }),
    ];
    expect(seriesName(items)).toBe('P-Kreatinin');
    const [s] = buildSeries(items);
    expect(s!.name).toBe('P-Kreatinin');
  });

  it('falls back to a localized name for the LOINC code, then to the text as sent', () => {
    const only = [result({ key: 'a', text: CREA_LONG })];
    expect(seriesName(only, (code) => (code === '14682-9' ? 'Kreatinin' : undefined))).toBe('Kreatinin');
    expect(seriesName(only, () => undefined)).toBe(CREA_LONG);
  });

  it('picks the most used own text, ties to the newest', () => {
    expect(
      seriesName([
        result({ key: 'a', text: 'S-Kreatinin' }),
        result({ key: 'b', text: 'P-Kreatinin' }),
        result({ key: 'c', text: 'P-Kreatinin' }),
      ]),
    ).toBe('P-Kreatinin');
    expect(seriesName([result({ key: 'a', text: 'S-Kreatinin' }), result({ key: 'b', text: 'P-Kreatinin' })])).toBe('S-Kreatinin');
  });
});

describe('trend and filter', () => {
  it('says whether the last value rose, fell or stayed', () => {
    const series = (a: number, b: number) =>
      buildSeries([result({ key: 'a', date: '2024-01-01', value: a }), result({ key: 'b', date: '2024-02-01', value: b })])[0]!;
    expect(trendOf(series(90, 112))).toBe('rising');
    expect(trendOf(series(112, 90))).toBe('falling');
    expect(trendOf(series(100, 100.5))).toBe('stable');
    expect(trendOf(buildSeries([result({ key: 'a', date: '2024-01-01', value: 1 })])[0]!)).toBeUndefined();
  });

  it('filters series by name, case-insensitively', () => {
    const series = buildSeries([
      result({ key: 'a', date: '2024-01-01', value: 90 }),
      result({ key: 'k', code: '2823-3', text: 'P-Kalium', unit: 'mmol/L', date: '2024-02-01', value: 4 }),
    ]);
    expect(filterSeries(series, 'kal').map((s) => s.name)).toEqual(['P-Kalium']);
    expect(filterSeries(series, '  ')).toHaveLength(2);
    expect(filterSeries(series, 'zzz')).toHaveLength(0);
  });
});

describe('panelValue', () => {
  it('writes a blood pressure panel as systolic/diastolic, not as its English component names', () => {
    const bp = {
      ...result({ key: 'bp', code: '85354-9', text: 'Blodtryck' }),
      section: 'results' as const,
      value: 'Systolic blood pressure: 138 mmHg; Diastolic blood pressure: 78 mmHg',
      details: {
        components: [
          { text: 'Systolic blood pressure', codes: [{ system: LOINC, code: '8480-6' }], value: { value: 138, unit: 'mm[Hg]' } },
          { text: 'Diastolic blood pressure', codes: [{ system: LOINC, code: '8462-4' }], value: { value: 78, unit: 'mm[Hg]' } },
        ],
      },
    };
    expect(panelValue(bp as SummaryItem)).toEqual({ text: '138/78 mm[Hg]', systolic: 138 });
    expect(panelValue(result({ key: 'x', value: 1 }))).toBeUndefined();
  });
});
