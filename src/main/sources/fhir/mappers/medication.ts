import type {
  CodeableConcept,
  Dosage,
  Medication,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { frequencyFromCode, frequencyOf } from '../../../../shared/frequency';
import { absenceKind, codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, nonEmpty, periodEnd, periodStart, provenanceOf, referenceDisplay, referenceDisplays, resolveReference, toQuantity, str } from './common';

/** v3 ActPharmacySupplyType codes that mean multi-dose (unit-dose / daily-fill) dispensing. */
const MULTI_DOSE_SUPPLY = new Set(['UD', 'DF', 'UDE']);
/** A MedicationRequest.category code a national list uses for a multi-dose prescription. */
const MULTI_DOSE_CATEGORY = new Set(['multi-dose', 'multidose', 'dosdispensering']);

function anyCode(concepts: (CodeableConcept | undefined)[], codes: ReadonlySet<string>): boolean {
  return concepts.some((cc) => (cc?.coding ?? []).some((c) => c.code !== undefined && codes.has(c.code)));
}

/** The national list a record comes from, when its source is declared one. */
function nationalOf(ctx: MapContext): { nationalList?: NonNullable<MapContext['country']> } {
  return ctx.role === 'nationalMedicationList' && ctx.country ? { nationalList: ctx.country } : {};
}

function amountText(q: { value: number; unit?: string | undefined } | undefined): string | undefined {
  return q ? `${q.value}${q.unit ? ` ${q.unit}` : ''}` : undefined;
}

interface MedicationFacts {
  concept: CodeableConcept | undefined;
  text: string | undefined;
  form?: string;
}

/**
 * The medicine itself: a code given inline, or a Medication that is contained
 * or included in the same response (common in IPS documents and some regional
 * servers), or at least the reference's display.
 */
function medicationFacts(
  owner: Resource & { contained?: Resource[] },
  concept: CodeableConcept | undefined,
  reference: Reference | undefined,
  ctx: MapContext,
): MedicationFacts {
  if (concept) return { concept, text: conceptText(concept) };
  const med = resolveReference<Medication>(owner, reference, ctx, 'Medication');
  const form = conceptText(med?.form);
  return {
    concept: med?.code,
    text: firstText(conceptText(med?.code), referenceDisplay(reference)),
    ...(form ? { form } : {}),
  };
}

/** The route of the first dosage that names one. */
function dosageRoute(dosage: Dosage[] | undefined): string | undefined {
  return firstText(...(dosage ?? []).map((d) => conceptText(d.route)));
}

/** How often, from the first dosage with structured timing (repeat, else its code); never from text. */
function dosageFrequency(dosage: Dosage[] | undefined): string | undefined {
  for (const d of dosage ?? []) {
    const repeat = d.timing?.repeat;
    const fromRepeat = frequencyOf(repeat?.frequency, repeat?.period, repeat?.periodUnit);
    const found = fromRepeat ?? frequencyFromCode(d.timing?.code?.coding?.find((c) => c.code)?.code);
    if (found) return found;
  }
  return undefined;
}

function dosageTexts(dosage: Dosage[] | undefined): string[] {
  return (dosage ?? [])
    .map((d) => firstText(d.text, d.patientInstruction))
    .filter((t): t is string => t !== undefined);
}

export function mapMedicationStatement(r: MedicationStatement, ctx: MapContext): ClinicalItemOf<'medications'> {
  const med = medicationFacts(r, r.medicationCodeableConcept, r.medicationReference, ctx);
  return item({
    section: 'medications',
    codes: codingsOf(med.concept),
    text: med.text ?? 'Medication (unspecified)',
    status: str(r.status, 'status'),
    date: firstText(r.effectiveDateTime, periodStart(r.effectivePeriod), r.dateAsserted),
    details: {
      recordKind: 'stated',
      dosage: dosageTexts(r.dosage),
      frequency: dosageFrequency(r.dosage),
      route: dosageRoute(r.dosage),
      form: med.form,
      periodEnd: periodEnd(r.effectivePeriod),
      reason: [...conceptTexts(r.reasonCode), ...referenceDisplays(r.reasonReference)],
      absence: absenceKind(med.concept),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.dateAsserted, ctx),
  });
}

export function mapMedicationRequest(r: MedicationRequest, ctx: MapContext): ClinicalItemOf<'medications'> {
  const med = medicationFacts(r, r.medicationCodeableConcept, r.medicationReference, ctx);
  const validity = r.dispenseRequest?.validityPeriod;
  return item({
    section: 'medications',
    codes: codingsOf(med.concept),
    text: med.text ?? 'Medication (unspecified)',
    status: str(r.status, 'status'),
    date: nonEmpty(r.authoredOn),
    details: {
      recordKind: 'prescribed',
      intent: str(r.intent, 'intent'),
      dosage: dosageTexts(r.dosageInstruction),
      frequency: dosageFrequency(r.dosageInstruction),
      route: dosageRoute(r.dosageInstruction),
      form: med.form,
      validFrom: periodStart(validity),
      validUntil: periodEnd(validity),
      requester: referenceDisplay(r.requester),
      reason: [...conceptTexts(r.reasonCode), ...referenceDisplays(r.reasonReference)],
      ...nationalOf(ctx),
      ...(anyCode(r.category ?? [], MULTI_DOSE_CATEGORY) ? { multiDose: true } : {}),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.authoredOn, ctx),
  });
}

/**
 * A dispensing at a pharmacy: proof that the medicine was handed over, when and
 * how much, never that the patient takes it.
 */
export function mapMedicationDispense(r: MedicationDispense, ctx: MapContext): ClinicalItemOf<'medications'> {
  const med = medicationFacts(r, r.medicationCodeableConcept, r.medicationReference, ctx);
  const handedOver = firstText(r.whenHandedOver, r.whenPrepared);
  return item({
    section: 'medications',
    codes: codingsOf(med.concept),
    text: med.text ?? 'Medication (unspecified)',
    status: str(r.status, 'status'),
    date: handedOver,
    details: {
      recordKind: 'dispensed',
      dosage: dosageTexts(r.dosageInstruction),
      frequency: dosageFrequency(r.dosageInstruction),
      route: dosageRoute(r.dosageInstruction),
      form: med.form,
      lastDispensed: handedOver,
      lastDispensedAmount: amountText(toQuantity(r.quantity)),
      ...nationalOf(ctx),
      ...(anyCode([r.type], MULTI_DOSE_SUPPLY) ? { multiDose: true } : {}),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, handedOver, ctx),
  });
}
