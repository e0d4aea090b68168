import type { Immunization } from '@medplum/fhirtypes';
import type { ClinicalItem } from '../../../../shared/summary';
import {
  codingsOf,
  conceptText,
  conceptTexts,
  firstText,
  isSealed,
  item,
  type MapContext,
  provenanceOf,
  referenceDisplay,
} from './common';

export function mapImmunization(r: Immunization, ctx: MapContext): ClinicalItem {
  const protocol = r.protocolApplied?.[0];
  return item({
    section: 'immunizations',
    codes: codingsOf(r.vaccineCode),
    text: conceptText(r.vaccineCode) ?? 'Vaccination (unspecified)',
    status: r.status,
    date: firstText(r.occurrenceDateTime),
    details: {
      occurrenceText: r.occurrenceString,
      lotNumber: r.lotNumber,
      expirationDate: r.expirationDate,
      doseNumber: protocol?.doseNumberPositiveInt ?? protocol?.doseNumberString,
      seriesDoses: protocol?.seriesDosesPositiveInt ?? protocol?.seriesDosesString,
      targetDisease: conceptTexts(protocol?.targetDisease),
      statusReason: conceptText(r.statusReason),
      site: conceptText(r.site),
      route: conceptText(r.route),
      manufacturer: referenceDisplay(r.manufacturer),
      primarySource: r.primarySource,
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recorded, ctx),
  });
}
