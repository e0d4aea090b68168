import type { Flag } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { codingsOf, conceptText, conceptTexts, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, referenceDisplay, str } from './common';

export function mapFlag(r: Flag, ctx: MapContext): ClinicalItemOf<'alerts'> {
  return item({
    section: 'alerts',
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Alert (unspecified)',
    status: str(r.status, 'status'),
    date: periodStart(r.period),
    details: {
      category: conceptTexts(r.category),
      periodEnd: periodEnd(r.period),
      author: referenceDisplay(r.author),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, undefined, ctx),
  });
}
