/** PRB (problem detail) and DG1 (diagnosis) → problems; ICD-10, ICD-10-SE, ICPC-2 and others kept. */
import type { ClinicalItemOf, Coding } from '../../../../shared/summary';
import type { Hl7Segment } from '../hl7Parse';
import { codedText, codingSystem, codingsOf, type Hl7MapContext, hl7Date, hl7Item, nonEmpty, provenance } from './common';

/** HL7 table 0287 problem action: a deleted problem stays visible as retracted. */
const PRB_ACTION: Record<string, string> = { DE: 'entered-in-error' };

export function mapPrb(seg: Hl7Segment, ctx: Hl7MapContext): ClinicalItemOf<'problems'> {
  const lifeCycle = nonEmpty(seg.get(14, 1))?.toLowerCase();
  const confirmation = nonEmpty(seg.get(13, 2)) ?? nonEmpty(seg.get(13, 1));
  const onset = hl7Date(seg.get(16)) ?? hl7Date(seg.get(7));
  return hl7Item({
    section: 'problems',
    codes: codingsOf(seg, 3),
    text: codedText(seg, 3) ?? 'Problem (unspecified)',
    status: PRB_ACTION[seg.get(1).toUpperCase()] ?? lifeCycle ?? 'active',
    date: onset,
    details: {
      clinicalStatus: lifeCycle,
      verificationStatus: confirmation,
      abatement: hl7Date(seg.get(9)),
    },
    provenance: provenance(ctx, `PRB/${nonEmpty(seg.get(4)) ?? seg.position}`, hl7Date(seg.get(2))),
  });
}

/** `{ ...coding, system }` written out (codingsOf's keys: code, then display), without a spread per coding. */
function withCodingSystem(coding: Coding, system: string): Coding {
  const out: Coding = {};
  for (const key in coding) {
    if (Object.hasOwn(coding, key)) (out as Record<string, unknown>)[key] = (coding as Record<string, unknown>)[key];
  }
  out.system = system;
  return out;
}

export function mapDg1(seg: Hl7Segment, ctx: Hl7MapContext): ClinicalItemOf<'problems'> {
  const codes = codingsOf(seg, 3);
  // DG1-2 (coding method, withdrawn in 2.5 yet common) names the system when DG1-3 does not.
  const method = codingSystem(seg.get(2));
  const withSystem = method ? codes.map((c) => (c.system ? c : withCodingSystem(c, method))) : codes;
  return hl7Item({
    section: 'problems',
    codes: withSystem,
    text: codedText(seg, 3) ?? nonEmpty(seg.get(4)) ?? 'Diagnosis (unspecified)',
    status: 'active',
    date: hl7Date(seg.get(5)),
    details: { diagnosisType: nonEmpty(seg.get(6)) },
    provenance: provenance(ctx, `DG1/${nonEmpty(seg.get(20)) ?? nonEmpty(seg.get(1)) ?? seg.position}`, hl7Date(seg.get(5))),
  });
}
