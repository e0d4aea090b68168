import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import {
  absenceKind,
  clinicalOrVerificationStatus,
  codingsOf,
  conceptCode,
  conceptText,
  conceptTexts,
  firstText,
  isSealed,
  item,
  type MapContext,
  provenanceOf,
} from './common';

export function mapAllergyIntolerance(r: AllergyIntolerance, ctx: MapContext): ClinicalItemOf<'allergies'> {
  const reactions = (r.reaction ?? []).map((reaction) => ({
    manifestations: conceptTexts(reaction.manifestation),
    ...(reaction.severity ? { severity: reaction.severity } : {}),
    ...(conceptText(reaction.substance) ? { substance: conceptText(reaction.substance) } : {}),
  }));
  return item({
    section: 'allergies',
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Allergy or intolerance (unspecified)',
    status: clinicalOrVerificationStatus(r.clinicalStatus, r.verificationStatus),
    date: firstText(r.onsetDateTime, r.onsetPeriod?.start, r.recordedDate),
    details: {
      criticality: r.criticality,
      category: r.category,
      type: r.type,
      clinicalStatus: conceptCode(r.clinicalStatus),
      verificationStatus: conceptCode(r.verificationStatus),
      reactions,
      absence: absenceKind(r.code),
      lastOccurrence: r.lastOccurrence,
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recordedDate, ctx),
  });
}
