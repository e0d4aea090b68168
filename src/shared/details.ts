/**
 * What a clinician reads about an item beyond its text, status, date and value:
 * one typed shape per section, declared once as zod schemas; the TypeScript
 * types derive from them. Both mapper families (FHIR, HL7 v2) produce these
 * shapes and the renderer formats them without guessing.
 *
 * Every shape may carry the common fields: a stated absence ("no known
 * allergies", "no information") and free-text notes. Lists are left out when
 * empty and optional fields when unknown, so details stay small and comparable.
 */
import { z } from 'zod';
import type { SectionKey } from './sections';
import { sourceCountrySchema } from './sourceRoles';

export const codingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
  /** Samsyn added this coding from a configured table (a national drug code's ATC); the source did not state it. */
  mapped: z.literal(true).optional(),
});

export const quantitySchema = z.object({
  value: z.number(),
  unit: z.string().optional(),
  comparator: z.string().optional(),
});

const text = z.string();
const texts = z.array(z.string()).optional();

/**
 * 'noneKnown': the source states the patient has none ("no known allergies",
 * "no current medication"). 'noInformation': the source states it knows nothing
 * on the topic. Neither is a clinical item; both are facts from a source.
 */
export const statedAbsenceSchema = z.enum(['noneKnown', 'noInformation']);

const common = {
  absence: statedAbsenceSchema.optional(),
  /** Free-text notes attached to the record (FHIR note, HL7 NTE). */
  notes: texts,
};

export const reactionSchema = z.object({
  manifestations: z.array(text),
  severity: text.optional(),
  substance: text.optional(),
});

export const allergyDetailsSchema = z.object({
  ...common,
  /** food, medication, environment, biologic (FHIR) or the HL7 allergen type. */
  category: texts,
  /** allergy or intolerance. */
  type: text.optional(),
  /** low, high or unable-to-assess. */
  criticality: text.optional(),
  reactions: z.array(reactionSchema).optional(),
  clinicalStatus: text.optional(),
  verificationStatus: text.optional(),
  lastOccurrence: text.optional(),
  /** When the source was told of it (HL7 IAM-13). */
  reportedAt: text.optional(),
  /** HL7 IAM-6 action code, as sent. */
  action: text.optional(),
  /**
   * When an inactive, resolved or refuted allergy got that status, and what the
   * date is: `abatement` (FHIR's allergyintolerance-abatement extension),
   * `statused` (HL7 IAM-20) or `lastUpdated` (the record's last change — all a
   * source without either says; shown as that, never as the refute date).
   */
  statusDate: text.optional(),
  statusDateKind: z.enum(['abatement', 'statused', 'lastUpdated']).optional(),
});

/** What kind of record a medication item is: it changes what it proves. */
export const medicationRecordKindSchema = z.enum(['prescribed', 'dispensed', 'administered', 'stated']);

export const medicationDetailsSchema = z.object({
  ...common,
  recordKind: medicationRecordKindSchema,
  /** Dosage instructions as the source wrote them. */
  dosage: texts,
  /** The amount of one dose ("5 mg"). */
  dose: text.optional(),
  /** How often, from structured timing only ("2×/d"; src/shared/frequency.ts). */
  frequency: text.optional(),
  route: text.optional(),
  form: text.optional(),
  /** When the medication was or is to be stopped. */
  periodEnd: text.optional(),
  validFrom: text.optional(),
  validUntil: text.optional(),
  /** FHIR MedicationRequest.intent (order, plan, proposal...). */
  intent: text.optional(),
  requester: text.optional(),
  reason: texts,
  prescriptionNumber: text.optional(),
  placerOrder: text.optional(),
  /** The record comes from this country's national medication list (a source with role nationalMedicationList). */
  nationalList: sourceCountrySchema.optional(),
  /** The last dispensing at a pharmacy: when and how much (a dispensed record, or the merge's newest of several). */
  lastDispensed: text.optional(),
  lastDispensedAmount: text.optional(),
  /** How many dispensing records the item stands for (set by the merge for national dispensings). */
  dispenseCount: z.number().int().optional(),
  /** Dispensed in multi-dose packages (dosdispensering / multidose / annosjakelu). */
  multiDose: z.boolean().optional(),
});

export const referenceRangeSchema = z.object({
  low: quantitySchema.optional(),
  high: quantitySchema.optional(),
  text: text.optional(),
});

/** A value above or below the thresholds the source gave (a care plan's treatment range or a reference range). */
export const outsideSchema = z.enum(['high', 'low']);

export const componentSchema = z.object({
  text,
  codes: z.array(codingSchema),
  value: z.union([quantitySchema, z.string()]).optional(),
  /** The component's own thresholds (blood pressure: systolic and diastolic apart). */
  range: referenceRangeSchema.optional(),
  outside: outsideSchema.optional(),
});

/** Who measured a home measurement: how the source said it was patient-generated. */
export const selfReportedSchema = z.enum(['performer', 'category', 'tag']);

const observationShape = {
  ...common,
  category: texts,
  referenceRange: z.array(referenceRangeSchema).optional(),
  /** Interpretation flags (FHIR interpretation, HL7 OBX-8): H, L, A, HH... */
  interpretation: z.array(codingSchema).optional(),
  components: z.array(componentSchema).optional(),
  specimen: text.optional(),
  performers: texts,
  method: text.optional(),
  bodySite: text.optional(),
  dataAbsentReason: text.optional(),
  /** HL7 OBX-2 value type, as sent. */
  valueType: text.optional(),
  /** The order (OBR-4) the result answers. */
  order: text.optional(),
  placerOrder: text.optional(),
  fillerOrder: text.optional(),
  /** The value (or a component's) lies outside the thresholds given. */
  outside: outsideSchema.optional(),
  /** Where the thresholds come from: the care plan (FHIR referenceRange type 'treatment') or a reference range. */
  thresholds: z.enum(['carePlan', 'reference']).optional(),
};

export const resultDetailsSchema = z.object(observationShape);

export const homeMeasurementDetailsSchema = z.object({
  ...observationShape,
  selfReported: selfReportedSchema.optional(),
  device: text.optional(),
});

export const pregnancyDetailsSchema = z.object(observationShape);

export const immunizationDetailsSchema = z.object({
  ...common,
  doseNumber: text.optional(),
  seriesDoses: text.optional(),
  /** The amount given ("0.5 mL"). */
  dose: text.optional(),
  lotNumber: text.optional(),
  expirationDate: text.optional(),
  targetDisease: texts,
  statusReason: text.optional(),
  site: text.optional(),
  route: text.optional(),
  manufacturer: text.optional(),
  /** False when the record is not from the one who gave it. */
  primarySource: z.boolean().optional(),
  occurrenceText: text.optional(),
  placerOrder: text.optional(),
});

export const encounterDetailsSchema = z.object({
  ...common,
  class: codingSchema.optional(),
  types: texts,
  serviceType: text.optional(),
  periodEnd: text.optional(),
  /** The care unit that held the contact. */
  careUnit: text.optional(),
  locations: texts,
  participants: texts,
  reason: texts,
  /** HL7 PV1-10 hospital service, as sent. */
  service: text.optional(),
});

export const problemDetailsSchema = z.object({
  ...common,
  category: texts,
  clinicalStatus: text.optional(),
  verificationStatus: text.optional(),
  severity: text.optional(),
  bodySite: texts,
  onsetText: text.optional(),
  /** When or how it ended (resolved, in remission). */
  abatement: text.optional(),
  /** HL7 DG1-6 diagnosis type (admitting, working, final). */
  diagnosisType: text.optional(),
});

export const procedureDetailsSchema = z.object({
  ...common,
  performedText: text.optional(),
  performedEnd: text.optional(),
  category: text.optional(),
  bodySite: texts,
  outcome: text.optional(),
  performers: texts,
  reason: texts,
  statusReason: text.optional(),
});

export const attachmentSchema = z.object({
  contentType: text.optional(),
  title: text.optional(),
  url: text.optional(),
  size: z.number().optional(),
});

export const documentDetailsSchema = z.object({
  ...common,
  type: text.optional(),
  description: text.optional(),
  category: texts,
  authors: texts,
  custodian: text.optional(),
  periodEnd: text.optional(),
  facility: text.optional(),
  attachments: z.array(attachmentSchema).optional(),
});

export const carePlanDetailsSchema = z.object({
  ...common,
  title: text.optional(),
  description: text.optional(),
  intent: text.optional(),
  category: texts,
  periodEnd: text.optional(),
  author: text.optional(),
  addresses: texts,
  activities: texts,
});

export const alertDetailsSchema = z.object({
  ...common,
  category: texts,
  periodEnd: text.optional(),
  author: text.optional(),
});

/** The details schema of each section: the union's members, keyed by section. */
export const DETAILS_SCHEMAS = {
  alerts: alertDetailsSchema,
  allergies: allergyDetailsSchema,
  medications: medicationDetailsSchema,
  problems: problemDetailsSchema,
  results: resultDetailsSchema,
  immunizations: immunizationDetailsSchema,
  encounters: encounterDetailsSchema,
  procedures: procedureDetailsSchema,
  documents: documentDetailsSchema,
  carePlans: carePlanDetailsSchema,
  pregnancy: pregnancyDetailsSchema,
  homeMeasurements: homeMeasurementDetailsSchema,
} as const satisfies Record<SectionKey, z.ZodType>;

export type DetailsOf<K extends SectionKey> = z.output<(typeof DETAILS_SCHEMAS)[K]>;
export type StatedAbsence = z.output<typeof statedAbsenceSchema>;
export type MedicationRecordKind = z.output<typeof medicationRecordKindSchema>;
export type Reaction = z.output<typeof reactionSchema>;
export type ReferenceRange = z.output<typeof referenceRangeSchema>;
export type ObservationComponent = z.output<typeof componentSchema>;
export type AllergyDetails = DetailsOf<'allergies'>;
export type MedicationDetails = DetailsOf<'medications'>;
export type ResultDetails = DetailsOf<'results'>;
export type ImmunizationDetails = DetailsOf<'immunizations'>;
export type EncounterDetails = DetailsOf<'encounters'>;
