/**
 * Results as series: one series per test (its code) and unit, newest first,
 * with what a trend chart and a nurse need: the latest value, the reference
 * range, whether each value is abnormal (by the source's flag, else by the
 * range), each value's sources, and a name in the reader's words rather than
 * LOINC's English long name. Pure functions; no React, no DOM.
 */
import { displayUnit } from '../i18n/formatters';
import { resultGroupKey } from './groupResults';
import { interpretationOf, referenceRangeOf, type ReferenceRange } from './itemDetails';
import type { SummaryItem } from './types';

const LOINC = 'http://loinc.org';

export type Severity = 'critical' | 'abnormal' | 'normal' | 'unknown';

export interface Abnormality {
  severity: Severity;
  /** Above or below the range, when known (from the flag's code or the range). */
  direction?: 'high' | 'low';
  /** Where the judgement comes from: the source's interpretation flag, or our comparison with its range. */
  by: 'flag' | 'range';
}

export interface SeriesPoint {
  item: SummaryItem;
  /** Milliseconds since the epoch. */
  time: number;
  value: number;
  abnormality?: Abnormality;
  /** Source names of this value, as the table and tooltip show them. */
  sources: string[];
}

export interface ResultSeries {
  /** Unique per series: the test key plus the unit when a test comes in more than one unit. */
  key: string;
  /** The test this series measures (code, or text when uncoded). */
  testKey: string;
  /** The name to show (see `seriesName`). */
  name: string;
  /** The unit of the series' numeric values, as the source wrote it. */
  unit?: string;
  /** The same test also comes in another unit: shown as a separate series and marked, never one line. */
  unitSplit: boolean;
  latest: SummaryItem;
  /** Every item of the series, newest first (values without a date last). */
  items: SummaryItem[];
  /** Numeric values with a date, oldest first: the chart's line. */
  points: SeriesPoint[];
  /** The latest item's reference range. */
  range?: ReferenceRange;
  /** The LOINC code, when the test has one (for a localized name). */
  loinc?: string;
}

export function timeOf(item: SummaryItem): number {
  const t = item.date ? Date.parse(item.date) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function numericValue(item: SummaryItem): { value: number; unit?: string } | undefined {
  const v = item.value;
  if (v === undefined || typeof v === 'string' || !Number.isFinite(v.value)) return undefined;
  return v.unit ? { value: v.value, unit: v.unit } : { value: v.value };
}

/** Units compared loosely: case, spaces, the micro sign and UCUM's "u" for it, UCUM braces. */
export function unitKey(unit: string | undefined): string {
  return (displayUnit(unit) ?? '')
    .toLowerCase()
    .replace(/[µμ]/g, 'u')
    .replace(/\s+/g, '')
    .replace(/[{}]/g, '');
}

function sameUnit(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || unitKey(a) === unitKey(b);
}

/**
 * Whether a value is outside normal: the source's own flag wins (H, L, HH, A...);
 * without a flag, a numeric value is compared with its reference range when the
 * range is in the same unit. Undefined when neither says anything.
 */
export function abnormalityOf(item: SummaryItem): Abnormality | undefined {
  const flag = interpretationOf(item);
  if (flag && flag.severity !== 'unknown') {
    const code = flag.code ?? '';
    const direction = code.startsWith('H') ? 'high' : code.startsWith('L') ? 'low' : undefined;
    return { severity: flag.severity, ...(direction ? { direction } : {}), by: 'flag' };
  }
  const v = numericValue(item);
  const range = referenceRangeOf(item);
  if (v && range && (range.low || range.high)) {
    const comparator = typeof item.value === 'object' ? item.value.comparator : undefined;
    if (range.high && sameUnit(v.unit, range.high.unit) && v.value > range.high.value && comparator !== '<' && comparator !== '<=') {
      return { severity: 'abnormal', direction: 'high', by: 'range' };
    }
    if (range.low && sameUnit(v.unit, range.low.unit) && v.value < range.low.value && comparator !== '>' && comparator !== '>=') {
      return { severity: 'abnormal', direction: 'low', by: 'range' };
    }
    const comparable = (!range.high || sameUnit(v.unit, range.high.unit)) && (!range.low || sameUnit(v.unit, range.low.unit));
    if (comparable && !comparator) return { severity: 'normal', by: 'range' };
  }
  if (flag) return { severity: 'unknown', by: 'flag' };
  return undefined;
}

/**
 * LOINC's English long name ("C reactive protein [Mass/volume] in Serum or
 * Plasma"): the display of one of the item's LOINC codings, or bracketed
 * LOINC-style text on an item with a LOINC code.
 */
export function isLoincLongName(item: SummaryItem): boolean {
  const text = item.text.trim();
  const loinc = item.codes.filter((c) => c.system === LOINC);
  if (loinc.length === 0) return false;
  if (loinc.some((c) => c.display?.trim() === text)) return true;
  return /\[[^\]]+\]/.test(text);
}

/**
 * The name a series is shown by. The rule: (1) the sources' own words — the
 * most used item text that is not LOINC's English long name (ties: the newest);
 * (2) else a localized name for the LOINC code, when we have one; (3) else the
 * text as sent. So a Swedish "P-Kreatinin" from one region names the series even
 * when another system sent only "Creatinine [Moles/volume] in Serum or Plasma".
 */
export function seriesName(items: readonly SummaryItem[], localized?: (loinc: string) => string | undefined): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (isLoincLongName(item)) continue;
    const text = item.text.trim();
    if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  // Items come newest first: a strictly greater count is needed to replace, so ties go to the newest.
  for (const [text, count] of counts) {
    if (count > bestCount) {
      best = text;
      bestCount = count;
    }
  }
  if (best) return best;
  const loinc = loincOf(items);
  const local = loinc ? localized?.(loinc) : undefined;
  return local ?? items[0]?.text ?? '';
}

function loincOf(items: readonly SummaryItem[]): string | undefined {
  for (const item of items) {
    const code = item.codes.find((c) => c.system === LOINC && c.code)?.code;
    if (code) return code;
  }
  return undefined;
}

function sourceNames(item: SummaryItem): string[] {
  return [...new Set(item.sources.map((s) => s.sourceName))];
}

function byNewest(a: SummaryItem, b: SummaryItem): number {
  return timeOf(b) - timeOf(a) || a.key.localeCompare(b.key);
}

/**
 * Groups results into series: by test (`resultGroupKey`), then by unit — values
 * in different units are never one line. Values without a number (text, "<5"
 * as text) join the test's largest numeric series. Series are ordered by their
 * newest value, newest first.
 */
export function buildSeries(
  results: readonly SummaryItem[],
  localized?: (loinc: string) => string | undefined,
): ResultSeries[] {
  const byTest = new Map<string, SummaryItem[]>();
  for (const item of results) {
    const key = resultGroupKey(item);
    const list = byTest.get(key);
    if (list) list.push(item);
    else byTest.set(key, [item]);
  }
  const out: ResultSeries[] = [];
  for (const [testKey, items] of byTest) {
    items.sort(byNewest);
    const name = seriesName(items, localized);
    const loinc = loincOf(items);
    const byUnit = new Map<string, { unit?: string; items: SummaryItem[] }>();
    const unnumbered: SummaryItem[] = [];
    for (const item of items) {
      const v = numericValue(item);
      if (!v) {
        unnumbered.push(item);
        continue;
      }
      const k = unitKey(v.unit);
      const slot = byUnit.get(k);
      if (slot) slot.items.push(item);
      else byUnit.set(k, { ...(v.unit ? { unit: v.unit } : {}), items: [item] });
    }
    const slots = [...byUnit.entries()];
    if (slots.length === 0) slots.push(['', { items: [] }]);
    const largest = slots.reduce((a, b) => (b[1].items.length > a[1].items.length ? b : a));
    largest[1].items.push(...unnumbered);
    const unitSplit = slots.length > 1;
    for (const [unitK, slot] of slots) {
      const list = unitSplit ? slot.items.sort(byNewest) : slot.items.sort(byNewest);
      const latest = list[0];
      if (!latest) continue;
      const points: SeriesPoint[] = [];
      for (const item of list) {
        const v = numericValue(item);
        const time = timeOf(item);
        if (!v || time === Number.NEGATIVE_INFINITY) continue;
        const abnormality = abnormalityOf(item);
        points.push({ item, time, value: v.value, ...(abnormality ? { abnormality } : {}), sources: sourceNames(item) });
      }
      points.reverse();
      const range = referenceRangeOf(latest);
      out.push({
        key: unitSplit ? `${testKey}|unit|${unitK}` : testKey,
        testKey,
        name,
        ...(slot.unit ? { unit: slot.unit } : {}),
        unitSplit,
        latest,
        items: list,
        points,
        ...(range ? { range } : {}),
        ...(loinc ? { loinc } : {}),
      });
    }
  }
  return out.sort((a, b) => timeOf(b.latest) - timeOf(a.latest) || a.name.localeCompare(b.name));
}

export type Trend = 'rising' | 'falling' | 'stable';

/** The direction of the last change: latest against the value before it (within 1% is stable). */
export function trendOf(series: ResultSeries): Trend | undefined {
  const n = series.points.length;
  if (n < 2) return undefined;
  const last = series.points[n - 1]!.value;
  const before = series.points[n - 2]!.value;
  const tolerance = Math.abs(before) * 0.01;
  if (Math.abs(last - before) <= tolerance) return 'stable';
  return last > before ? 'rising' : 'falling';
}

/** Series whose name (or any of its items' texts or codes) contains the filter text, case-insensitively. */
export function filterSeries(series: readonly ResultSeries[], text: string): ResultSeries[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...series];
  return series.filter(
    (s) =>
      s.name.toLowerCase().includes(needle) ||
      s.latest.text.toLowerCase().includes(needle) ||
      s.latest.codes.some((c) => c.code?.toLowerCase() === needle),
  );
}

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/**
 * A panel's value as a clinician writes it. Blood pressure (systolic and
 * diastolic LOINC components) reads "138/78 mmHg" rather than the components'
 * English names; other panels are left to the caller (undefined).
 */
export function panelValue(item: SummaryItem): { text: string; systolic: number } | undefined {
  if (item.section !== 'results' && item.section !== 'homeMeasurements' && item.section !== 'pregnancy') return undefined;
  const components = item.details.components ?? [];
  const quantity = (code: string) => {
    const c = components.find((x) => x.codes.some((k) => k.system === LOINC && k.code === code));
    return c && typeof c.value === 'object' ? c.value : undefined;
  };
  const sys = quantity(SYSTOLIC);
  const dia = quantity(DIASTOLIC);
  if (!sys || !dia) return undefined;
  const unit = displayUnit(sys.unit ?? dia.unit);
  return { text: `${sys.value}/${dia.value}${unit ? ` ${unit}` : ''}`, systolic: sys.value };
}
