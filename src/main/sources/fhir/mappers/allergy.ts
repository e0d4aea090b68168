import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { ClinicalItem } from '../../../../shared/summary';
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

export function mapAllergyIntolerance(r: AllergyIntolerance, ctx: MapContext): ClinicalItem {
  const absence = absenceKind(r.code);
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
      // High criticality stays in its section; the flag lets the UI raise it.
      critical: r.criticality === 'high' ? true : undefined,
      category: r.category,
      type: r.type,
      clinicalStatus: conceptCode(r.clinicalStatus),
      verificationStatus: conceptCode(r.verificationStatus),
      reactions,
      absence: absence === 'absence' ? true : undefined,
      noInformation: absence === 'noInformation' ? true : undefined,
      lastOccurrence: r.lastOccurrence,
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recordedDate, ctx),
  });
}
