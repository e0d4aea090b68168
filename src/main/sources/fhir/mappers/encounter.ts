import type { Encounter } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, referenceDisplay, referenceDisplays, toCoding, str } from './common';

export function mapEncounter(r: Encounter, ctx: MapContext): ClinicalItemOf<'encounters'> {
  const cls = r.class ? toCoding(r.class) : undefined;
  const types = conceptTexts(r.type);
  return item({
    section: 'encounters',
    codes: codingsOf(...(r.type ?? []), r.serviceType),
    text:
      firstText(types[0], conceptText(r.serviceType), cls?.display, cls?.code) ?? 'Encounter (unspecified)',
    status: str(r.status, 'status'),
    date: periodStart(r.period),
    details: {
      class: cls,
      types,
      serviceType: conceptText(r.serviceType),
      periodEnd: periodEnd(r.period),
      careUnit: referenceDisplay(r.serviceProvider),
      reason: [...conceptTexts(r.reasonCode), ...referenceDisplays(r.reasonReference)],
      locations: (r.location ?? []).map((l) => referenceDisplay(l.location)).filter((t): t is string => t !== undefined),
      participants: (r.participant ?? [])
        .map((p) => referenceDisplay(p.individual))
        .filter((t): t is string => t !== undefined),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, undefined, ctx),
  });
}
