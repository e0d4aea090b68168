/**
 * Small helpers shared by the FHIR mappers: codings, labels, dates, provenance
 * and the confidentiality test. Kept free of I/O so the CLI and the adapter map
 * exactly the same way.
 */
import type {
  CodeableConcept,
  Coding as FhirCoding,
  Meta,
  Period,
  Quantity as FhirQuantity,
  Range,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { StatedAbsence } from '../../../../shared/details';
import type { SourceCountry, SourceRole } from '../../../../shared/sourceRoles';
import type { Coding, Provenance, Quantity } from '../../../../shared/summary';
import { firstText, nonEmpty, provenance, type SourceContext } from '../../common/items';

export { compact, firstText, item, nonEmpty, texts } from '../../common/items';

export interface MapContext extends SourceContext {
  /** What the source is (configuration `role`); a care provider when not given. */
  role?: SourceRole;
  country?: SourceCountry;
  /**
   * Resolves a reference to another resource of the same response (a bundle
   * entry by fullUrl, an `_include`d Medication...). `owner` is the resource
   * the reference is written in: in a Bundle a relative reference is read
   * against the base of the owner's own fullUrl. Contained resources (`#id`)
   * are resolved by resolveReference itself.
   */
  resolve?: (reference: string, owner?: Resource) => Resource | undefined;
  /**
   * The record id of a resource that has no `id`: in a Bundle its fullUrl
   * (`urn:uuid:…`), else its place in the response. Used as is.
   */
  fallbackId?: (resource: Resource) => string | undefined;
}

/**
 * A resource that does not have the shape FHIR R4 requires, found while it is
 * mapped (a primitive of the wrong type: a `status` that is an object, a
 * `criticality` that is a list...). mapFhirResource makes it
 * SOURCE_BAD_RESPONSE naming the resource type and the element, never the
 * value: the source is shown as failed with its reason rather than shown
 * without the element (a missing criticality or status reads as none).
 */
export class ResourceShapeError extends Error {
  constructor(readonly element: string) {
    super('resource-shape');
  }
}

/** A FHIR string-like primitive (string, code, dateTime...) as it is, absent when absent; any other type is a ResourceShapeError. */
export function str(value: unknown, element: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new ResourceShapeError(element);
}

/** A FHIR boolean, absent when absent; any other type is a ResourceShapeError. */
export function bool(value: unknown, element: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  throw new ResourceShapeError(element);
}

/** A repeated FHIR code (a list of strings), absent when absent; anything else is a ResourceShapeError. */
export function strs(value: unknown, element: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new ResourceShapeError(element);
}

const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const SEALED_CONFIDENTIALITY = new Set(['R', 'V']);

export function toCoding(c: FhirCoding): Coding | undefined {
  const coding: Coding = {};
  if (nonEmpty(c.system)) coding.system = c.system;
  if (nonEmpty(c.code)) coding.code = c.code;
  if (nonEmpty(c.display)) coding.display = c.display;
  return coding.code || coding.display ? coding : undefined;
}

export function codingsOf(...concepts: (CodeableConcept | undefined)[]): Coding[] {
  const out: Coding[] = [];
  for (const cc of concepts) {
    for (const c of cc?.coding ?? []) {
      const coding = toCoding(c);
      if (coding) out.push(coding);
    }
  }
  return out;
}

const LOINC_SYSTEM = 'http://loinc.org';

/**
 * Human text of a concept: its text; else a display from the source's own or
 * national code systems, which speak the user's language; then LOINC's
 * (English long names); else the first code.
 */
export function conceptText(cc: CodeableConcept | undefined): string | undefined {
  if (!cc) return undefined;
  const text = nonEmpty(cc.text);
  if (text) return text;
  // Three passes over the codings in that order; no intermediate arrays (every mapped resource comes here).
  const codings = cc.coding ?? [];
  for (const c of codings) {
    if (c.system === LOINC_SYSTEM) continue;
    const t = nonEmpty(c.display);
    if (t) return t;
  }
  for (const c of codings) {
    if (c.system !== LOINC_SYSTEM) continue;
    const t = nonEmpty(c.display);
    if (t) return t;
  }
  for (const c of codings) {
    const t = nonEmpty(c.code);
    if (t) return t;
  }
  return undefined;
}

export function conceptTexts(concepts: CodeableConcept[] | undefined): string[] {
  const out: string[] = [];
  for (const cc of concepts ?? []) {
    const t = conceptText(cc);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** The code of a status-like concept (clinicalStatus, verificationStatus). */
export function conceptCode(cc: CodeableConcept | undefined): string | undefined {
  if (!cc) return undefined;
  for (const c of cc.coding ?? []) {
    const t = nonEmpty(c.code);
    if (t) return t;
  }
  return nonEmpty(cc.text);
}

export function hasCode(cc: CodeableConcept | undefined, system: string, codes: ReadonlySet<string>): boolean {
  return (cc?.coding ?? []).some((c) => c.system === system && c.code !== undefined && codes.has(c.code));
}

export function referenceDisplay(ref: Reference | undefined): string | undefined {
  return nonEmpty(ref?.display);
}

export function referenceDisplays(refs: Reference[] | undefined): string[] {
  return (refs ?? []).map((r) => nonEmpty(r.display)).filter((t): t is string => t !== undefined);
}

export function toQuantity(q: FhirQuantity | undefined): Quantity | undefined {
  if (!q || typeof q.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const out: Quantity = { value: q.value };
  const unit = firstText(q.unit, q.code);
  if (unit) out.unit = unit;
  if (q.comparator) out.comparator = q.comparator;
  return out;
}

export function rangeText(range: Range | undefined): string | undefined {
  if (!range) return undefined;
  const low = toQuantity(range.low);
  const high = toQuantity(range.high);
  if (!low && !high) return undefined;
  const fmt = (q: Quantity | undefined): string => (q ? `${q.value}${q.unit ? ` ${q.unit}` : ''}` : '');
  return `${fmt(low)}–${fmt(high)}`.trim();
}

export function periodStart(p: Period | undefined): string | undefined {
  return nonEmpty(p?.start);
}

export function periodEnd(p: Period | undefined): string | undefined {
  return nonEmpty(p?.end);
}

/** SE spärr / NO sperret / FI luovutuskielto arrive as v3-Confidentiality R or V. */
export function isSealed(meta: Meta | undefined): boolean {
  return (meta?.security ?? []).some(
    (c) =>
      (c.system === undefined || c.system === CONFIDENTIALITY_SYSTEM) &&
      c.code !== undefined &&
      SEALED_CONFIDENTIALITY.has(c.code),
  );
}

/**
 * A resource's provenance. Its record id is `Type/id`; a resource with no id
 * (IPS documents, Synthea bundles identify entries by fullUrl) is named by the
 * `fallbackId` its reader gives (the fullUrl), so every item can be traced. A
 * record id is never empty and never ends in `/`.
 */
export function provenanceOf(resource: Resource, recordedAt: string | undefined, ctx: MapContext): Provenance {
  const id = nonEmpty(resource.id);
  const recordId = id
    ? `${resource.resourceType}/${id}`
    : (nonEmpty(ctx.fallbackId?.(resource)) ?? `${resource.resourceType}/#no-id`);
  return provenance(ctx, recordId, firstText(recordedAt, resource.meta?.lastUpdated));
}

/** Finds a contained resource (`#id`) or asks the context for any other reference. */
export function resolveReference<T extends Resource>(
  owner: Resource & { contained?: Resource[] },
  ref: Reference | undefined,
  ctx: MapContext,
  resourceType: T['resourceType'],
): T | undefined {
  const reference = nonEmpty(ref?.reference);
  if (!reference) return undefined;
  let found: Resource | undefined;
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    found = (owner.contained ?? []).find((r) => r.id === id);
  } else {
    found = ctx.resolve?.(reference, owner);
  }
  return found?.resourceType === resourceType ? (found as T) : undefined;
}

/**
 * Codes that state an absence ("no known allergies") or that nothing is known.
 * SNOMED CT situation codes and the IPS absent-unknown code system.
 */
const SNOMED = 'http://snomed.info/sct';
const IPS_ABSENT_UNKNOWN = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';

const ABSENCE_SNOMED = new Set([
  '716186003', // No known allergy
  '409137002', // No known drug allergy
  '428607008', // No known environmental allergy
  '429625007', // No known food allergy
  '428197003', // No known insect allergy
  '1003774007', // No known Hevea brasiliensis latex allergy
  '160245001', // No current problems or disability
]);

/** A stated absence ("no known allergies") or a statement that nothing is known. */
export function absenceKind(cc: CodeableConcept | undefined): StatedAbsence | undefined {
  for (const c of cc?.coding ?? []) {
    if (!c.code) continue;
    if (c.system === SNOMED && ABSENCE_SNOMED.has(c.code)) return 'noneKnown';
    if (c.system === IPS_ABSENT_UNKNOWN) {
      if (c.code.startsWith('no-known-')) return 'noneKnown';
      if (c.code.endsWith('-info')) return 'noInformation';
    }
  }
  return undefined;
}

/** Statuses that must survive mapping so the clinician sees a retraction. */
const RETRACTED_VERIFICATION = new Set(['refuted', 'entered-in-error']);

/** clinicalStatus, unless verification says the record is refuted or in error. */
export function clinicalOrVerificationStatus(
  clinical: CodeableConcept | undefined,
  verification: CodeableConcept | undefined,
): string | undefined {
  const v = conceptCode(verification);
  if (v && RETRACTED_VERIFICATION.has(v)) return v;
  return conceptCode(clinical) ?? v;
}
