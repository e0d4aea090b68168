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
  MedicationRequest,
  MedicationStatement,
  Observation,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
import type { ClinicalItem } from '../../../../shared/summary';
import { mapAllergyIntolerance } from './allergy';
import { mapCarePlan } from './carePlan';
import type { MapContext } from './common';
import { mapCondition } from './condition';
import { mapDocumentReference } from './documentReference';
import { mapEncounter } from './encounter';
import { mapFlag } from './flag';
import { mapImmunization } from './immunization';
import { mapMedicationRequest, mapMedicationStatement } from './medication';
import { mapObservation } from './observation';
import { mapProcedure } from './procedure';

export type { MapContext } from './common';

/** The resource types that become summary items; the adapter searches exactly these. */
export const MAPPED_RESOURCE_TYPES = [
  'AllergyIntolerance',
  'MedicationStatement',
  'MedicationRequest',
  'Condition',
  'Observation',
  'Immunization',
  'Encounter',
  'Procedure',
  'DocumentReference',
  'CarePlan',
  'Flag',
] as const;

export type MappedResourceType = (typeof MAPPED_RESOURCE_TYPES)[number];

export function isMappedResourceType(type: string): type is MappedResourceType {
  return (MAPPED_RESOURCE_TYPES as readonly string[]).includes(type);
}

export function mapFhirResource(resource: Resource, ctx: MapContext): ClinicalItem | null {
  switch (resource.resourceType) {
    case 'AllergyIntolerance':
      return mapAllergyIntolerance(resource as AllergyIntolerance, ctx);
    case 'MedicationStatement':
      return mapMedicationStatement(resource as MedicationStatement, ctx);
    case 'MedicationRequest':
      return mapMedicationRequest(resource as MedicationRequest, ctx);
    case 'Condition':
      return mapCondition(resource as Condition, ctx);
    case 'Observation':
      return mapObservation(resource as Observation, ctx);
    case 'Immunization':
      return mapImmunization(resource as Immunization, ctx);
    case 'Encounter':
      return mapEncounter(resource as Encounter, ctx);
    case 'Procedure':
      return mapProcedure(resource as Procedure, ctx);
    case 'DocumentReference':
      return mapDocumentReference(resource as DocumentReference, ctx);
    case 'CarePlan':
      return mapCarePlan(resource as CarePlan, ctx);
    case 'Flag':
      return mapFlag(resource as Flag, ctx);
    default:
      return null;
  }
}
