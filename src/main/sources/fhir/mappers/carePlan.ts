import type { CarePlan } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, referenceDisplay, referenceDisplays, str } from './common';

export function mapCarePlan(r: CarePlan, ctx: MapContext): ClinicalItemOf<'carePlans'> {
  return item({
    section: 'carePlans',
    codes: codingsOf(...(r.category ?? [])),
    text:
      firstText(r.title, r.description, ...(r.category ?? []).map(conceptText)) ?? 'Care plan (untitled)',
    status: str(r.status, 'status'),
    date: firstText(periodStart(r.period), r.created),
    details: {
      title: str(r.title, 'title'),
      description: str(r.description, 'description'),
      intent: str(r.intent, 'intent'),
      category: conceptTexts(r.category),
      periodEnd: periodEnd(r.period),
      author: referenceDisplay(r.author),
      addresses: referenceDisplays(r.addresses),
      activities: (r.activity ?? [])
        .map((a) => firstText(conceptText(a.detail?.code), a.detail?.description, referenceDisplay(a.reference)))
        .filter((t): t is string => t !== undefined),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.created, ctx),
  });
}
