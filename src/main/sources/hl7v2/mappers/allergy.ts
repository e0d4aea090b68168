/** AL1 (allergy) and IAM (allergy with action code, v2.4+) → allergies. */
import type { AllergyDetails, Reaction } from '../../../../shared/details';
import type { ClinicalItemOf } from '../../../../shared/summary';
import type { Hl7Segment } from '../hl7Parse';
import { codedText, codingsOf, type Hl7MapContext, hl7Date, hl7Item, nonEmpty, provenance, texts } from './common';

/** HL7 table 0128 allergy severity: the reactions' severity. */
const SEVERITY: Record<string, string> = { SV: 'severe', MO: 'moderate', MI: 'mild', U: 'unknown' };
/**
 * Table 0128 is the reactions' severity, not the risk of a next reaction: only
 * a severe one is raised as high criticality (critical information). Moderate
 * or mild is never shown as "low risk": that would claim more than was sent.
 */
const CRITICALITY: Record<string, string> = { SV: 'high' };
/** HL7 table 0127 allergen type. */
const ALLERGEN_TYPE: Record<string, string> = {
  DA: 'drug',
  FA: 'food',
  MA: 'miscellaneous',
  MC: 'miscellaneous contraindication',
  EA: 'environmental',
  AA: 'animal',
  PA: 'plant',
  LA: 'pollen',
};
/** HL7 table 0323 action code: a deleted record stays visible as retracted. */
const ACTION_STATUS: Record<string, string> = { D: 'entered-in-error' };
/** HL7 table 0438 allergy clinical status: what is known about the record. */
const CLINICAL_STATUS: Record<string, { status: string; verification: string }> = {
  C: { status: 'active', verification: 'confirmed' },
  U: { status: 'active', verification: 'unconfirmed' },
  P: { status: 'active', verification: 'unconfirmed' },
  S: { status: 'active', verification: 'unconfirmed' },
  I: { status: 'inactive', verification: 'confirmed' },
  E: { status: 'entered-in-error', verification: 'entered-in-error' },
};

/** "No known allergies" as HL7 v2 feeds send it: the NKA code, its words, or SNOMED CT's situation codes. */
const NO_KNOWN_ALLERGY_CODES = new Set(['NKA', 'NKDA', '716186003', '409137002']);
function statesNoKnownAllergy(seg: Hl7Segment): boolean {
  const code = seg.get(3, 1).trim().toUpperCase();
  const text = (codedText(seg, 3) ?? '').trim().toLowerCase();
  return NO_KNOWN_ALLERGY_CODES.has(code) || /^(no known (drug )?allergies|inga kända allergier|nka|nkda)$/.test(text);
}

/** AL1-5 / IAM-5 repetitions, each with the segment's severity; a severity with no reaction is kept too. */
function reactionsOf(manifestations: string[], severity: string | undefined): Reaction[] {
  const withSeverity = severity ? { severity } : {};
  if (manifestations.length === 0) return severity ? [{ manifestations: [], ...withSeverity }] : [];
  return manifestations.map((manifestation) => ({ manifestations: [manifestation], ...withSeverity }));
}

function allergyItem(seg: Hl7Segment, ctx: Hl7MapContext, severityField: number, reactionField: number, extra: {
  status: string | undefined;
  date: string | undefined;
  recordId: string;
  details: Partial<AllergyDetails>;
}): ClinicalItemOf<'allergies'> {
  const severityCode = seg.get(severityField, 1).toUpperCase();
  const severity = SEVERITY[severityCode] ?? nonEmpty(seg.get(severityField, 2)) ?? nonEmpty(severityCode);
  const typeCode = seg.get(2, 1).toUpperCase();
  return hl7Item({
    section: 'allergies',
    codes: codingsOf(seg, 3),
    text: codedText(seg, 3) ?? 'Allergy or intolerance (unspecified)',
    status: extra.status,
    date: extra.date,
    details: {
      absence: statesNoKnownAllergy(seg) ? 'noneKnown' : undefined,
      criticality: CRITICALITY[severityCode],
      category: texts([ALLERGEN_TYPE[typeCode] ?? nonEmpty(seg.get(2, 2)) ?? nonEmpty(typeCode)]),
      reactions: reactionsOf(seg.all(reactionField), severity),
      ...extra.details,
    },
    provenance: provenance(ctx, extra.recordId),
  });
}

export function mapAl1(seg: Hl7Segment, ctx: Hl7MapContext): ClinicalItemOf<'allergies'> {
  return allergyItem(seg, ctx, 4, 5, {
    status: 'active',
    date: hl7Date(seg.get(6)),
    recordId: `AL1/${seg.get(1) || seg.position}`,
    details: {},
  });
}

export function mapIam(seg: Hl7Segment, ctx: Hl7MapContext): ClinicalItemOf<'allergies'> {
  const action = seg.get(6).toUpperCase();
  const clinical = CLINICAL_STATUS[seg.get(17, 1).toUpperCase()];
  return allergyItem(seg, ctx, 4, 5, {
    status: ACTION_STATUS[action] ?? clinical?.status ?? 'active',
    date: hl7Date(seg.get(11)) ?? hl7Date(seg.get(13)),
    recordId: `IAM/${nonEmpty(seg.get(7)) ?? nonEmpty(seg.get(1)) ?? seg.position}`,
    details: {
      action: nonEmpty(action),
      reportedAt: hl7Date(seg.get(13)),
      verificationStatus: clinical?.verification,
      // IAM-20 "statused at": when IAM-17's clinical status was set.
      ...(hl7Date(seg.get(20)) ? { statusDate: hl7Date(seg.get(20)), statusDateKind: 'statused' as const } : {}),
    },
  });
}
