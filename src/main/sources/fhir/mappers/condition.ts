import type { Condition } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { absenceKind, clinicalOrVerificationStatus, codingsOf, conceptCode, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, str } from './common';

export function mapCondition(r: Condition, ctx: MapContext): ClinicalItemOf<'problems'> {
  return item({
    section: 'problems',
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Problem (unspecified)',
    status: clinicalOrVerificationStatus(r.clinicalStatus, r.verificationStatus),
    date: firstText(r.onsetDateTime, periodStart(r.onsetPeriod), r.recordedDate),
    details: {
      category: (r.category ?? []).map((c) => conceptCode(c)).filter((c): c is string => c !== undefined),
      clinicalStatus: conceptCode(r.clinicalStatus),
      verificationStatus: conceptCode(r.verificationStatus),
      severity: conceptText(r.severity),
      bodySite: conceptTexts(r.bodySite),
      onsetText: str(r.onsetString, 'onsetString'),
      abatement: firstText(r.abatementDateTime, periodEnd(r.abatementPeriod), r.abatementString),
      absence: absenceKind(r.code),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recordedDate, ctx),
  });
}
