/**
 * Latest value per measurement, with the one before it and which way it went:
 * what the home-measurement section and the pregnancy card show as a compact
 * table above their series and trend charts (ResultTable, TrendChart).
 */
import type { Quantity } from '../../shared/summary';
import type { SummaryItem } from './types';

export type Direction = 'up' | 'down' | 'same';

export interface TrendPoint {
  date: string;
  value: number;
}

export interface TrendRow {
  /** The first code of the measurement (LOINC where the source gives it). */
  code: string;
  text: string;
  latest: SummaryItem;
  previous?: SummaryItem;
  direction?: Direction;
  /** Values outside the thresholds, among all shown. */
  outsideCount: number;
  count: number;
  /** Oldest first: for the trend chart. */
  points: TrendPoint[];
}

/** The number a trend compares: the value, else the first component's (blood pressure: systolic). */
export function numberOf(item: SummaryItem): number | undefined {
  const v = item.value;
  if (v !== undefined && typeof v !== 'string') return v.value;
  if (item.section === 'homeMeasurements' || item.section === 'pregnancy' || item.section === 'results') {
    for (const c of item.details.components ?? []) {
      if (c.value !== undefined && typeof c.value !== 'string') return (c.value as Quantity).value;
    }
  }
  return undefined;
}

export function isOutside(item: SummaryItem): 'high' | 'low' | undefined {
  if (item.section === 'homeMeasurements' || item.section === 'pregnancy' || item.section === 'results') return item.details.outside;
  return undefined;
}

function direction(latest: number | undefined, previous: number | undefined): Direction | undefined {
  if (latest === undefined || previous === undefined) return undefined;
  if (latest > previous) return 'up';
  if (latest < previous) return 'down';
  return 'same';
}

/** One row per measurement code, in the order given; items without a date are left out. */
export function trendRows(items: readonly SummaryItem[], order?: readonly string[]): TrendRow[] {
  const byCode = new Map<string, SummaryItem[]>();
  for (const item of items) {
    const code = item.codes[0]?.code ?? `text:${item.text}`;
    if (!item.date) continue;
    const list = byCode.get(code);
    if (list) list.push(item);
    else byCode.set(code, [item]);
  }
  const codes = order ? order.filter((c) => byCode.has(c)) : [...byCode.keys()];
  return codes.map((code) => {
    const list = [...(byCode.get(code) as SummaryItem[])].sort((a, b) => ((a.date as string) < (b.date as string) ? 1 : -1));
    const latest = list[0] as SummaryItem;
    const previous = list[1];
    const points = list
      .map((i) => ({ date: i.date as string, value: numberOf(i) }))
      .filter((p): p is TrendPoint => p.value !== undefined)
      .reverse();
    return {
      code,
      text: latest.text,
      latest,
      ...(previous ? { previous } : {}),
      ...(previous && direction(numberOf(latest), numberOf(previous)) ? { direction: direction(numberOf(latest), numberOf(previous)) as Direction } : {}),
      outsideCount: list.filter((i) => isOutside(i) !== undefined).length,
      count: list.length,
      points,
    };
  });
}
