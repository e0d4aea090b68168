/**
 * A FHIR Bundle read from a file (the CLI's `summarize`): the same mappers and
 * the same subject rules as the live adapter, without a server.
 */
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import type { ClinicalItem } from '../../../shared/summary';
import type { SourceResult, SubjectIdentity } from '../types';
import { type MapContext, mapFhirResource } from './mappers';
import { nonEmpty } from './mappers/common';
import { addSubject, foreignSubject, patientToSubject, withoutHistory } from './subjects';

/**
 * searchset, collection and document are what exports look like; transaction
 * and batch are accepted too because synthetic-data generators (Synthea) write
 * their patients that way. History and message bundles are not a patient record.
 */
const SUPPORTED_TYPES = new Set(['searchset', 'collection', 'document', 'transaction', 'batch']);

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

  const resources: { resource: Resource; fullUrl?: string }[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource || typeof resource.resourceType !== 'string') continue;
    if (entry.search?.mode === 'outcome' || resource.resourceType === 'OperationOutcome') continue;
    if (entry.request?.method === 'DELETE') continue;
    const fullUrl = nonEmpty(entry.fullUrl);
    resources.push(fullUrl ? { resource, fullUrl } : { resource });
  }

  const byReference = new Map<string, Resource>();
  for (const { resource, fullUrl } of resources) {
    if (fullUrl) byReference.set(withoutHistory(fullUrl), resource);
    if (resource.id) byReference.set(`${resource.resourceType}/${resource.id}`, resource);
  }

  const subjects: SubjectIdentity[] = [];
  const knownPatientIdsWithoutBase = new Set<string>();
  for (const { resource, fullUrl } of resources) {
    if (resource.resourceType !== 'Patient') continue;
    // Every Patient is listed, duplicates included: each must pass the guard.
    subjects.push(patientToSubject(resource as Patient, resource.id ?? fullUrl));
    if (resource.id && !(fullUrl && /^https?:/.test(fullUrl))) knownPatientIdsWithoutBase.add(resource.id);
  }

  const isKnownPatient = (reference: string): boolean => {
    if (byReference.get(reference)?.resourceType === 'Patient') return true;
    // An absolute reference to a Patient whose entry gave no server base can only be matched by id.
    const m = /^https?:\/\/.+\/Patient\/([^/]+)$/.exec(reference);
    return m !== null && m[1] !== undefined && knownPatientIdsWithoutBase.has(m[1]);
  };

  const mapCtx: MapContext = {
    ...ctx,
    resolve: (reference) => byReference.get(withoutHistory(reference)) ?? ctx.resolve?.(reference),
  };
  const items: ClinicalItem[] = [];
  for (const { resource } of resources) {
    // The Composition of a document only organizes the other entries.
    if (resource.resourceType === 'Composition') continue;
    const mapped = mapFhirResource(resource, mapCtx);
    if (!mapped) continue;
    const foreign = foreignSubject(resource, isKnownPatient);
    if (foreign) addSubject(subjects, foreign);
    items.push(mapped);
  }
  return { subjects, items, fetchedAt: ctx.fetchedAt };
}
