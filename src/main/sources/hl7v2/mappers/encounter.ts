/** PV1 (patient visit) with its PV2 → encounters. */
import type { ClinicalItemOf } from '../../../../shared/summary';
import type { Hl7Segment } from '../hl7Parse';
import { codedText, codingsOf, type Hl7MapContext, hl7Date, hl7Item, nonEmpty, provenance } from './common';

/** HL7 table 0004 patient class. */
const PATIENT_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0004';
const PATIENT_CLASS: Record<string, string> = {
  I: 'Inpatient stay',
  O: 'Outpatient visit',
  E: 'Emergency visit',
  P: 'Pre-admission',
  R: 'Recurring visit',
  B: 'Obstetrics',
  H: 'Home visit',
};

export function mapPv1(seg: Hl7Segment, ctx: Hl7MapContext): ClinicalItemOf<'encounters'> {
  const patientClass = seg.get(2).toUpperCase();
  const start = hl7Date(seg.get(44));
  const end = hl7Date(seg.get(45));
  const location = [seg.get(3, 1), seg.get(3, 4)].map((v) => v.trim()).filter(Boolean).join(', ');
  return hl7Item({
    section: 'encounters',
    codes: [],
    text: PATIENT_CLASS[patientClass] ?? 'Visit',
    status: end ? 'finished' : start ? 'in-progress' : undefined,
    date: start,
    details: {
      class: patientClass ? { system: PATIENT_CLASS_SYSTEM, code: patientClass } : undefined,
      careUnit: location || undefined,
      service: nonEmpty(seg.get(10)),
      periodEnd: end,
    },
    provenance: provenance(ctx, `PV1/${nonEmpty(seg.get(19)) ?? seg.position}`, start),
  });
}

/** PV2: the reason for the visit names the encounter. */
export function applyPv2(item: ClinicalItemOf<'encounters'>, pv2: Hl7Segment): void {
  const reason = codedText(pv2, 3) ?? nonEmpty(pv2.get(12));
  if (reason) {
    item.text = reason;
    item.codes = codingsOf(pv2, 3);
    // The item's details were built for it alone (hl7Item): set in place, as a copy with the reason would read.
    item.details.reason = [reason];
  }
}
