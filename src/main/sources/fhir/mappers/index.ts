/**
 * One entry point from a FHIR resource to a ClinicalItem, shared by the live
 * adapter and the Bundle reader (CLI), so both map identically.
 */
import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  DocumentReference,
  Encounter,
  Flag,
  Immunization,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
import { CodedError } from '../../../../shared/errors';
import type { SourceRole } from '../../../../shared/sourceRoles';
import type { ClinicalItem } from '../../../../shared/summary';
import { mapAllergyIntolerance } from './allergy';
import { mapCarePlan } from './carePlan';
import { type MapContext, ResourceShapeError } from './common';
import { mapCondition } from './condition';
import { mapDocumentReference } from './documentReference';
import { mapEncounter } from './encounter';
import { mapFlag } from './flag';
import { mapImmunization } from './immunization';
import { mapMedicationDispense, mapMedicationRequest, mapMedicationStatement } from './medication';
import { mapObservation } from './observation';
import { mapProcedure } from './procedure';

export type { MapContext } from './common';

type MapperFor<T extends Resource> = (resource: T, ctx: MapContext) => ClinicalItem;

/**
 * One mapper per resource type, declared as configuration: the adapter searches
 * exactly these types, in this order, and the Bundle reader maps the same set.
 */
const MAPPERS = {
  AllergyIntolerance: mapAllergyIntolerance as MapperFor<AllergyIntolerance>,
  MedicationStatement: mapMedicationStatement as MapperFor<MedicationStatement>,
  MedicationRequest: mapMedicationRequest as MapperFor<MedicationRequest>,
  MedicationDispense: mapMedicationDispense as MapperFor<MedicationDispense>,
  Condition: mapCondition as MapperFor<Condition>,
  Observation: mapObservation as MapperFor<Observation>,
  Immunization: mapImmunization as MapperFor<Immunization>,
  Encounter: mapEncounter as MapperFor<Encounter>,
  Procedure: mapProcedure as MapperFor<Procedure>,
  DocumentReference: mapDocumentReference as MapperFor<DocumentReference>,
  CarePlan: mapCarePlan as MapperFor<CarePlan>,
  Flag: mapFlag as MapperFor<Flag>,
} as const;

export type MappedResourceType = keyof typeof MAPPERS;

/** The resource types that become summary items; the adapter searches exactly these. */
export const MAPPED_RESOURCE_TYPES = Object.keys(MAPPERS) as readonly MappedResourceType[];

/**
 * The types a source of this role is searched for. Dispensings live in the
 * national medication lists: a care provider's server is not asked for
 * MedicationDispense, which many do not support (a 404 would fail the source).
 */
export function searchedResourceTypes(role: SourceRole | undefined): readonly MappedResourceType[] {
  return role === 'nationalMedicationList'
    ? MAPPED_RESOURCE_TYPES
    : MAPPED_RESOURCE_TYPES.filter((type) => type !== 'MedicationDispense');
}

export function isMappedResourceType(type: string): type is MappedResourceType {
  return Object.prototype.hasOwnProperty.call(MAPPERS, type);
}

/**
 * The resource as an item, or null for a type that is not mapped. A resource
 * whose shape breaks its mapper (a list where an object belongs...) is a coded
 * SOURCE_BAD_RESPONSE naming only its type: never a crash, never silently dropped.
 */
export function mapFhirResource(resource: Resource, ctx: MapContext): ClinicalItem | null {
  if (!isMappedResourceType(resource.resourceType)) return null;
  try {
    return (MAPPERS[resource.resourceType] as MapperFor<Resource>)(resource, ctx);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    const params: Record<string, string> = { reason: 'resource-shape', resourceType: resource.resourceType };
    // The element's name (never its value) when the mapper knew which one was wrong.
    if (err instanceof ResourceShapeError) params.element = err.element;
    throw new CodedError('SOURCE_BAD_RESPONSE', params);
  }
}

/** What mapReadable answers for a resource of the wrong shape: the caller counts it (SourceResult.skipped). */
export const UNREADABLE = Symbol('unreadable');

/**
 * mapFhirResource, except that a resource of the wrong shape (the coded
 * 'resource-shape' SOURCE_BAD_RESPONSE) is answered UNREADABLE for the caller
 * to count, so the source's other records are still shown (ADR 0033). Any
 * other error is thrown as it is. Who a resource is about is read apart
 * (subjects.ts), before this, and a wrong-shaped Patient still refuses the source.
 */
export function mapReadable(resource: Resource, ctx: MapContext): ClinicalItem | null | typeof UNREADABLE {
  try {
    return mapFhirResource(resource, ctx);
  } catch (err) {
    if (isShapeError(err)) return UNREADABLE;
    throw err;
  }
}

export function isShapeError(err: unknown): boolean {
  return err instanceof CodedError && err.code === 'SOURCE_BAD_RESPONSE' && err.params?.reason === 'resource-shape';
}
