import type { SummaryItem } from './types';

export interface ResultGroup {
  key: string;
  /** The most recent value of this test. */
  latest: SummaryItem;
  /** Earlier values, newest first. */
  earlier: SummaryItem[];
}

function timeOf(item: SummaryItem): number {
  const t = item.date ? Date.parse(item.date) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** One test is one code (its first coded coding), or its text when it has no code. */
export function resultGroupKey(item: SummaryItem): string {
  const coded = item.codes.find((c) => c.code !== undefined && c.code !== '');
  if (coded) return `code|${coded.system ?? ''}|${coded.code ?? ''}`;
  return `text|${item.text.trim().toLowerCase()}`;
}

/**
 * Groups results by test, newest value first inside each group and groups
 * ordered by their newest value. Linear apart from the sorts, so the heavy
 * patient (thousands of observations) groups in well under a frame budget.
 */
export function groupResults(items: readonly SummaryItem[]): ResultGroup[] {
  const byKey = new Map<string, SummaryItem[]>();
  for (const item of items) {
    const key = resultGroupKey(item);
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  }
  const groups: { group: ResultGroup; time: number }[] = [];
  for (const [key, list] of byKey) {
    const sorted = list
      .map((item) => ({ item, time: timeOf(item) }))
      .sort((a, b) => b.time - a.time || a.item.key.localeCompare(b.item.key));
    const [first, ...rest] = sorted;
    if (!first) continue;
    groups.push({ group: { key, latest: first.item, earlier: rest.map((r) => r.item) }, time: first.time });
  }
  return groups
    .sort((a, b) => b.time - a.time || a.group.latest.text.localeCompare(b.group.latest.text))
    .map((g) => g.group);
}
