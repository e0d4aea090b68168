import type { AllergyIntolerance } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { absenceKind, clinicalOrVerificationStatus, codingsOf, conceptCode, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, provenanceOf, str, strs } from './common';

const ABATEMENT = 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-abatement';
const NOT_CURRENT = new Set(['inactive', 'resolved', 'refuted']);

/**
 * When an allergy stopped being current: the abatement extension's date (a
 * dateTime, or a Period's end, else its start); else, for an allergy that is
 * not current, the record's last change, labelled as such.
 */
function statusDateOf(r: AllergyIntolerance, status: string | undefined): { statusDate?: string; statusDateKind?: 'abatement' | 'lastUpdated' } {
  const ext = (r.extension ?? []).find((e) => e.url === ABATEMENT);
  const abated = firstText(ext?.valueDateTime, ext?.valuePeriod?.end, ext?.valuePeriod?.start);
  if (abated) return { statusDate: abated, statusDateKind: 'abatement' };
  if (status && NOT_CURRENT.has(status) && r.meta?.lastUpdated) return { statusDate: r.meta.lastUpdated, statusDateKind: 'lastUpdated' };
  return {};
}

export function mapAllergyIntolerance(r: AllergyIntolerance, ctx: MapContext): ClinicalItemOf<'allergies'> {
  const reactions = (r.reaction ?? []).map((reaction) => ({
    manifestations: conceptTexts(reaction.manifestation),
    ...(reaction.severity ? { severity: reaction.severity } : {}),
    ...(conceptText(reaction.substance) ? { substance: conceptText(reaction.substance) } : {}),
  }));
  const status = clinicalOrVerificationStatus(r.clinicalStatus, r.verificationStatus);
  return item({
    section: 'allergies',
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Allergy or intolerance (unspecified)',
    status,
    date: firstText(r.onsetDateTime, r.onsetPeriod?.start, r.recordedDate),
    details: {
      criticality: str(r.criticality, 'criticality') as typeof r.criticality,
      category: strs(r.category, 'category') as typeof r.category,
      type: str(r.type, 'type') as typeof r.type,
      clinicalStatus: conceptCode(r.clinicalStatus),
      verificationStatus: conceptCode(r.verificationStatus),
      reactions,
      absence: absenceKind(r.code),
      lastOccurrence: str(r.lastOccurrence, 'lastOccurrence'),
      ...statusDateOf(r, status),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recordedDate, ctx),
  });
}
