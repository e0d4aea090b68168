/**
 * How every source kind builds a ClinicalItem and its provenance, so items from
 * FHIR and HL7 v2 (and any later kind) have one shape and merge alike.
 */
import type { DetailsOf } from '../../../shared/details';
import type { ClinicalItemOf, Provenance, SectionKey } from '../../../shared/summary';

/** Who answered and when: what every provenance a mapper writes shares. */
export interface SourceContext {
  sourceId: string;
  sourceName: string;
  fetchedAt: string;
}

export function nonEmpty(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** The first candidate that is a non-blank string. */
export function firstText(...candidates: (string | undefined | null)[]): string | undefined {
  for (const c of candidates) {
    const t = nonEmpty(c);
    if (t) return t;
  }
  return undefined;
}

/** Non-blank strings only, in order. */
export function texts(values: readonly (string | undefined | null)[] | undefined): string[] {
  return (values ?? []).map(nonEmpty).filter((t): t is string => t !== undefined);
}

/**
 * The provenance of one record. `recordedAt` is the date the source itself
 * gives for recording or asserting it; never the fetch time, which is kept apart.
 */
export function provenance(ctx: SourceContext, recordId: string, recordedAt?: string): Provenance {
  const p: Provenance = { sourceId: ctx.sourceId, sourceName: ctx.sourceName, recordId, fetchedAt: ctx.fetchedAt };
  const recorded = nonEmpty(recordedAt);
  if (recorded) p.recordedAt = recorded;
  return p;
}

export interface ItemFields<K extends SectionKey> {
  section: K;
  codes: ClinicalItemOf<K>['codes'];
  text: string;
  status?: string | undefined;
  date?: string | undefined;
  value?: ClinicalItemOf<K>['value'] | undefined;
  details: DetailsOf<K>;
  sealed: boolean;
  provenance: Provenance;
}

/** Drops undefined values and empty lists so details stay small and comparable. */
export function compact<T extends object>(details: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** Builds an item of section K, dropping optional fields that have no value. */
export function item<K extends SectionKey>(fields: ItemFields<K>): ClinicalItemOf<K> {
  return itemWithDetails(fields, compact<DetailsOf<K>>(fields.details), fields.sealed);
}

/**
 * The item's shape, with its details already compacted: one place for the keys
 * and their order, so items of every source kind merge alike (the HL7 hot path
 * compacts its details its own way, mappers/common.ts `hl7Item`).
 */
export function itemWithDetails<K extends SectionKey>(fields: Omit<ItemFields<K>, 'details' | 'sealed'>, details: DetailsOf<K>, sealed: boolean): ClinicalItemOf<K> {
  const out = {
    section: fields.section,
    codes: fields.codes,
    text: fields.text,
    details,
    sealed,
    provenance: fields.provenance,
  } as ClinicalItemOf<K>;
  const status = nonEmpty(fields.status);
  if (status) out.status = status;
  const date = nonEmpty(fields.date);
  if (date) out.date = date;
  if (fields.value !== undefined && fields.value !== '') out.value = fields.value;
  return out;
}
