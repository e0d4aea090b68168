/**
 * The medication reconciliation table (issue 11 item 4): one column per source
 * that gave medications, one row per substance group as main's merge made it
 * (src/main/summary/reconcile.ts: identical / similar / only in one source),
 * each cell what that source stated. Pure: the component only draws it.
 *
 * What each source stated comes from the merged item: where sources disagree,
 * the conflict lists every source's value; where they agree, the merged value
 * is every source's. Dosage text (frequency) and record kind are not compared
 * by the merge, so they are the row's, not a cell's.
 */
import type { Conflict, ItemGroup } from '../../shared/summary';
import { dosageText, isEntry, nationalListRecordOf, recordKindOf } from './itemDetails';
import type { SummaryItem } from './types';

/** The fields a cell shows, in this order. */
export const RECON_FIELDS = ['strength', 'dose', 'frequency', 'form', 'route', 'status'] as const;
export type ReconField = (typeof RECON_FIELDS)[number];

export type ReconClass = 'identical' | 'similar' | 'single';

export interface ReconSource {
  sourceId: string;
  name: string;
}

/** One source's statement of one substance. */
export interface ReconCell {
  sourceId: string;
  /** Per field: the value(s) this source stated; an empty list where it stated none. */
  values: Record<ReconField, string[]>;
  /** Fields where this source's value differs from another source's. */
  differs: ReconField[];
  /** How many records of this source stand behind the cell. */
  records: number;
  /** The source's records come from the local cache. */
  cached: boolean;
}

export interface ReconRow {
  key: string;
  item: SummaryItem;
  /** The name as the merge's representative record states it. */
  text: string;
  /** ATC code and name the sources were compared by, when coded. */
  substance: string | undefined;
  group: ItemGroup | 'none';
  class: ReconClass;
  doubleMedication: boolean;
  /** A national medication list's record (kept apart from the care units' lists). */
  national: boolean;
  /** Every field any two sources disagree on. */
  differing: ReconField[];
  /** Dosage as written (dose; frequency), from the merge's representative record. */
  dosage: string | undefined;
  recordKind: 'prescribed' | 'dispensed' | 'administered' | 'stated' | undefined;
  /** By source id; a source without a cell did not state this substance. */
  cells: ReadonlyMap<string, ReconCell>;
}

export interface ReconTable {
  sources: ReconSource[];
  rows: ReconRow[];
  counts: Record<ReconClass, number> & { doubleMedication: number; current: number; stopped: number };
  /** Sources that stated "no known medications" or "no information" (their names). */
  statedNone: string[];
}

/** Strength written in a product name ("Eliquis 2,5 mg filmdragerad tablett" → "2.5 mg"): the merge's reading (reconcile.ts strengthOf). */
export function strengthOf(text: string): string | undefined {
  const m = /(\d+(?:[.,]\d+)?)\s*(mg|g|µg|mikrog|mcg|ml|IE|E|%|mmol)(?:\s*\/\s*(ml|dos|h|g))?(?![\p{L}\d])/iu.exec(text);
  if (!m) return undefined;
  return `${(m[1] as string).replace(',', '.')} ${(m[2] as string).toLowerCase()}${m[3] ? `/${m[3].toLowerCase()}` : ''}`;
}

/** International units as written on the pack: the merge compares "ie" and "e" in lower case. */
export function displayStrength(value: string): string {
  return value.replace(/(^|[\s/])(ie|e)(?=$|[\s/])/g, (_m, before: string, unit: string) => `${before}${unit.toUpperCase()}`);
}

function mergedValue(item: SummaryItem, field: ReconField): string | undefined {
  if (item.section !== 'medications') return undefined;
  switch (field) {
    case 'strength': {
      const strength = strengthOf(item.text);
      return strength === undefined ? undefined : displayStrength(strength);
    }
    case 'dose':
      return item.details.dose;
    case 'frequency':
      return item.details.frequency;
    case 'form':
      return item.details.form;
    case 'route':
      return item.details.route;
    case 'status':
      return item.status;
  }
}

const COLLATOR = new Intl.Collator('sv');

const GROUP_ORDER: readonly (ItemGroup | 'none')[] = ['current', 'none', 'recentlyStopped', 'history', 'inactive'];
const CLASS_ORDER: readonly ReconClass[] = ['similar', 'single', 'identical'];

function isReconField(field: Conflict['field']): field is ReconField {
  return (RECON_FIELDS as readonly string[]).includes(field);
}

function rowOf(item: SummaryItem): ReconRow {
  const conflicts = new Map<ReconField, Conflict>();
  for (const c of item.conflicts) if (isReconField(c.field)) conflicts.set(c.field, c);
  const differing = RECON_FIELDS.filter((f) => conflicts.has(f));
  const bySource = new Map<string, { records: number; cached: boolean }>();
  for (const p of item.sources) {
    const seen = bySource.get(p.sourceId);
    bySource.set(p.sourceId, { records: (seen?.records ?? 0) + 1, cached: (seen?.cached ?? true) && p.cached === true });
  }
  const cells = new Map<string, ReconCell>();
  for (const [sourceId, { records, cached }] of bySource) {
    const values = {} as Record<ReconField, string[]>;
    const differs: ReconField[] = [];
    for (const field of RECON_FIELDS) {
      const conflict = conflicts.get(field);
      if (conflict) {
        values[field] = conflict.values.filter((v) => v.sourceId === sourceId).map((v) => (field === 'strength' ? displayStrength(v.value) : v.value));
        differs.push(field);
      } else {
        const v = mergedValue(item, field);
        values[field] = v === undefined || v === '' ? [] : [v];
      }
    }
    cells.set(sourceId, { sourceId, values, differs, records, cached });
  }
  const national = nationalListRecordOf(item) !== undefined;
  const reconClass: ReconClass = item.reconciliation?.class ?? (bySource.size > 1 ? (differing.length > 0 ? 'similar' : 'identical') : 'single');
  return {
    key: item.key,
    item,
    text: item.text,
    substance: item.reconciliation?.substance,
    group: item.group ?? 'none',
    class: national ? 'single' : reconClass,
    doubleMedication: item.doubleMedication === true,
    national,
    differing,
    dosage: dosageText(item),
    recordKind: recordKindOf(item),
    cells,
  };
}

function compareRows(a: ReconRow, b: ReconRow): number {
  return (
    GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
    Number(b.doubleMedication) - Number(a.doubleMedication) ||
    CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) ||
    Number(a.national) - Number(b.national) ||
    COLLATOR.compare(a.text, b.text) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * The reconciliation of a medications section: current first (possible double
 * medication, then differences, then one source only, then identical), then
 * recently stopped and history; columns in the order sources first appear in
 * the summary's source list (`sourceOrder`), others after by name.
 */
export function reconcileTable(items: readonly SummaryItem[], sourceOrder: readonly ReconSource[] = []): ReconTable {
  const entries = items.filter((i) => i.section === 'medications' && isEntry(i));
  const rows = entries.map(rowOf).sort(compareRows);
  const names = new Map<string, string>();
  for (const item of entries) for (const p of item.sources) if (!names.has(p.sourceId)) names.set(p.sourceId, p.sourceName);
  const ordered = sourceOrder.filter((s) => names.has(s.sourceId));
  const rest = [...names.entries()]
    .filter(([id]) => !ordered.some((s) => s.sourceId === id))
    .map(([sourceId, name]) => ({ sourceId, name }))
    .sort((a, b) => COLLATOR.compare(a.name, b.name));
  const statedNone = [
    ...new Set(items.filter((i) => i.section === 'medications' && !isEntry(i)).flatMap((i) => i.sources.map((p) => p.sourceName))),
  ];
  const counts = { identical: 0, similar: 0, single: 0, doubleMedication: 0, current: 0, stopped: 0 };
  for (const row of rows) {
    counts[row.class] += 1;
    if (row.doubleMedication) counts.doubleMedication += 1;
    if (row.group === 'current' || row.group === 'none') counts.current += 1;
    else counts.stopped += 1;
  }
  return { sources: [...ordered, ...rest], rows, counts, statedNone };
}
