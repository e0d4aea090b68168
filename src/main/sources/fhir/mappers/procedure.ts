import type { Procedure } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { absenceKind, codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, referenceDisplay, referenceDisplays, str } from './common';

export function mapProcedure(r: Procedure, ctx: MapContext): ClinicalItemOf<'procedures'> {
  return item({
    section: 'procedures',
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Procedure (unspecified)',
    status: str(r.status, 'status'),
    date: firstText(r.performedDateTime, periodStart(r.performedPeriod)),
    details: {
      performedText: str(r.performedString, 'performedString'),
      performedEnd: periodEnd(r.performedPeriod),
      category: conceptText(r.category),
      bodySite: conceptTexts(r.bodySite),
      outcome: conceptText(r.outcome),
      performers: (r.performer ?? [])
        .map((p) => referenceDisplay(p.actor))
        .filter((t): t is string => t !== undefined),
      reason: [...conceptTexts(r.reasonCode), ...referenceDisplays(r.reasonReference)],
      statusReason: conceptText(r.statusReason),
      absence: absenceKind(r.code),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, undefined, ctx),
  });
}
