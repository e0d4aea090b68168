/**
 * Merge items from all sources into sections in IPS order. Items that state the
 * same fact (same section, same code, and for point-in-time facts the same time)
 * become one MergedItem listing every source; where those sources disagree on
 * status, value or text, the disagreement is kept side by side, never resolved
 * by picking a winner.
 */
import { normalizeSystem } from '../../shared/codeSystems';
import {
  SECTION_KEYS,
  emptySections,
  isPointInTime,
  type ClinicalItem,
  type Coding,
  type Conflict,
  type MergedItem,
  type Quantity,
  type Sections,
} from '../../shared/summary';


function primaryCode(codes: Coding[]): string | undefined {
  const coded = codes
    .filter((c) => c.code)
    .map((c) => `${normalizeSystem(c.system)}|${(c.code ?? '').trim().toUpperCase()}`)
    .sort();
  return coded[0];
}

function normalizeText(text: string): string {
  return text.trim().toLocaleLowerCase('sv').replace(/\s+/g, ' ');
}

function valueToString(value: Quantity | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  return `${value.comparator ?? ''}${value.value}${value.unit ? ` ${value.unit}` : ''}`;
}

export function mergeKey(item: ClinicalItem): string {
  const what = primaryCode(item.codes) ?? `text:${normalizeText(item.text)}`;
  const when = isPointInTime(item.section) ? `@${item.date ?? ''}` : '';
  return `${item.section}:${what}${when}`;
}

function conflictsOf(items: ClinicalItem[]): Conflict[] {
  const fields: { field: Conflict['field']; get: (i: ClinicalItem) => string | undefined }[] = [
    { field: 'status', get: (i) => i.status },
    { field: 'value', get: (i) => valueToString(i.value) },
  ];
  const out: Conflict[] = [];
  for (const { field, get } of fields) {
    const seen = new Set<string>();
    const values = items
      .map((i) => ({ sourceId: i.provenance.sourceId, value: get(i) }))
      .filter((v): v is { sourceId: string; value: string } => v.value !== undefined && v.value !== '')
      .filter((v) => {
        const k = `${v.sourceId}\u0000${v.value}`;
        return seen.has(k) ? false : (seen.add(k), true);
      });
    // A disagreement is between sources: one source's own history (a medication
    // first active, later stopped) is not a conflict to show.
    const sources = new Set(values.map((v) => v.sourceId));
    if (sources.size > 1 && new Set(values.map((v) => v.value)).size > 1) out.push({ field, values });
  }
  return out;
}

function mergeGroup(key: string, items: ClinicalItem[]): MergedItem {
  const [first, ...rest] = items as [ClinicalItem, ...ClinicalItem[]];
  const codes = [...first.codes];
  for (const other of rest) {
    for (const c of other.codes) {
      const seen = codes.some(
        (k) => normalizeSystem(k.system) === normalizeSystem(c.system) && k.code === c.code,
      );
      if (!seen) codes.push(c);
    }
  }
  const { provenance: _p, ...base } = first;
  return {
    ...base,
    key,
    codes,
    sealed: items.some((i) => i.sealed),
    sources: items.map((i) => i.provenance),
    conflicts: conflictsOf(items),
  };
}

function byDateDesc(a: MergedItem, b: MergedItem): number {
  if (a.date === b.date) return a.text.localeCompare(b.text, 'sv');
  if (!a.date) return 1;
  if (!b.date) return -1;
  return a.date < b.date ? 1 : -1;
}

export function mergeItems(items: ClinicalItem[]): Sections {
  const groups = new Map<string, ClinicalItem[]>();
  for (const item of items) {
    const key = mergeKey(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const sections = emptySections();
  for (const [key, group] of groups) {
    const merged = mergeGroup(key, group);
    (sections[merged.section] as MergedItem[]).push(merged);
  }
  for (const section of SECTION_KEYS) sections[section].sort(byDateDesc);
  return sections;
}
