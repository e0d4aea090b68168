/**
 * A FHIR Bundle read from a file (the CLI's `summarize`): the same mappers and
 * the same subject rules as the live adapter, without a server.
 *
 * References resolve as FHIR R4 defines it for Bundles (bundle.html#references,
 * docs/adr/0011-strict-patient-identity.md): an absolute reference (a URL,
 * `urn:uuid:`, `urn:oid:`) only to the entry with that fullUrl; a relative
 * `Type/id` against the server base of the referring entry's own RESTful
 * fullUrl. An entry with no server base (a `urn:uuid:` fullUrl or none) resolves
 * `Type/id` only among the entries that have no server base either. Nothing
 * else resolves, so data about a patient elsewhere surfaces as a foreign subject.
 */
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import type { ClinicalItem } from '../../../shared/summary';
import type { SourceResult, SubjectIdentity } from '../types';
import { emptySectionItems } from './emptySections';
import { isMappedResourceType, isShapeError, type MapContext, mapReadable, UNREADABLE } from './mappers';
import { nonEmpty } from './mappers/common';
import {
  addSubject,
  isRelativeReference,
  normalizeAbsolute,
  patientToSubject,
  serverBaseOf,
  unverifiedSubjects,
  withoutHistory,
} from './subjects';

/**
 * searchset, collection and document are what exports look like; transaction
 * and batch are accepted too because synthetic-data generators (Synthea) write
 * their patients that way. History and message bundles are not a patient record.
 */
const SUPPORTED_TYPES = new Set(['searchset', 'collection', 'document', 'transaction', 'batch']);

interface Entry {
  resource: Resource;
  fullUrl?: string;
  /** The position in Bundle.entry, for a record id when neither id nor fullUrl names the resource. */
  index: number;
}

/** The entries' resources by the references that may name them (see the module comment). */
function bundleResolver(entries: Entry[]): (reference: string, from: string | undefined) => Resource | undefined {
  const byFullUrl = new Map<string, Resource>();
  const local = new Map<string, Resource>();
  for (const { resource, fullUrl } of entries) {
    if (fullUrl) byFullUrl.set(normalizeAbsolute(fullUrl), resource);
    if (!serverBaseOf(fullUrl) && resource.id) local.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  return (reference, from) => {
    const bare = withoutHistory(reference.trim());
    if (isRelativeReference(bare)) {
      const base = serverBaseOf(from);
      return base ? byFullUrl.get(`${base}/${bare}`) : local.get(bare);
    }
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(bare)) return byFullUrl.get(normalizeAbsolute(bare));
    return undefined;
  };
}

/** A Composition's stated empty sections; one whose shape breaks the reading is SOURCE_BAD_RESPONSE, as a mapped resource's is. */
function compositionItems(resource: Resource, ctx: MapContext): ClinicalItem[] {
  try {
    return emptySectionItems(resource, ctx);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'resource-shape', resourceType: 'Composition' });
  }
}

export function bundleToSourceResult(bundle: Bundle, ctx: MapContext): SourceResult {
  const candidate = bundle as unknown;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    (candidate as { resourceType?: unknown }).resourceType !== 'Bundle'
  ) {
    throw new CodedError('FILE_NOT_FHIR_BUNDLE');
  }
  if (!SUPPORTED_TYPES.has(bundle.type)) {
    throw new CodedError('FILE_NOT_FHIR_BUNDLE', { type: String(bundle.type) });
  }

  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) throw new CodedError('FILE_NOT_FHIR_BUNDLE', { reason: 'entry' });
  const entries: Entry[] = [];
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    // A null or non-object entry holds nothing (found by npm run fuzz).
    const resource = typeof entry === 'object' && entry !== null ? entry.resource : undefined;
    if (!resource || typeof resource.resourceType !== 'string') continue;
    if (entry.search?.mode === 'outcome' || resource.resourceType === 'OperationOutcome') continue;
    if (entry.request?.method === 'DELETE') continue;
    const fullUrl = nonEmpty(entry.fullUrl);
    entries.push(fullUrl ? { resource, fullUrl, index } : { resource, index });
  }
  const fullUrlOf = new Map<Resource, string | undefined>(entries.map((e) => [e.resource, e.fullUrl]));
  const indexOf = new Map<Resource, number>(entries.map((e) => [e.resource, e.index]));
  const resolve = bundleResolver(entries);

  const subjects: SubjectIdentity[] = [];
  for (const { resource, fullUrl } of entries) {
    if (resource.resourceType !== 'Patient') continue;
    // Every Patient is listed, duplicates included: each must pass the guard.
    subjects.push(patientToSubject(resource as Patient, resource.id ?? fullUrl));
  }

  const mapCtx: MapContext = {
    ...ctx,
    resolve: (reference, owner) =>
      resolve(reference, owner ? fullUrlOf.get(owner) : undefined) ?? ctx.resolve?.(reference, owner),
    // A resource without id is named by its fullUrl, else by its place in the Bundle.
    fallbackId: (resource) => {
      const fullUrl = fullUrlOf.get(resource);
      if (fullUrl) return fullUrl;
      const index = indexOf.get(resource);
      return index === undefined ? ctx.fallbackId?.(resource) : `${resource.resourceType}/#entry-${index}`;
    },
  };
  const items: ClinicalItem[] = [];
  // A record of the wrong shape is counted and left out (the file's other records are shown); who it is
  // about is still read, so one about anyone else refuses the file as before (ADR 0033).
  let skipped = 0;
  for (const { resource, fullUrl } of entries) {
    // The Composition of a document organizes the other entries; what it adds is
    // which sections it states as empty, and why.
    if (resource.resourceType === 'Composition') {
      try {
        items.push(...compositionItems(resource, mapCtx));
      } catch (err) {
        if (!isShapeError(err)) throw err;
        skipped += 1;
      }
      continue;
    }
    if (!isMappedResourceType(resource.resourceType)) continue;
    const lookup = (reference: string): Patient | undefined => {
      const found = resolve(reference, fullUrl);
      return found?.resourceType === 'Patient' ? (found as Patient) : undefined;
    };
    for (const subject of unverifiedSubjects(resource, lookup)) addSubject(subjects, subject);
    const mapped = mapReadable(resource, mapCtx);
    if (mapped === UNREADABLE) skipped += 1;
    else if (mapped) items.push(mapped);
  }
  return { subjects, items, fetchedAt: ctx.fetchedAt, ...(skipped > 0 ? { skipped: { code: 'SOURCE_BAD_RESPONSE', count: skipped } } : {}) };
}
