import type { Immunization } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, provenanceOf, referenceDisplay, toQuantity, str, bool } from './common';

/** A dose number as written: FHIR gives a positive integer or a string. */
function asText(value: number | string | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

export function mapImmunization(r: Immunization, ctx: MapContext): ClinicalItemOf<'immunizations'> {
  const protocol = r.protocolApplied?.[0];
  const doseQuantity = toQuantity(r.doseQuantity);
  return item({
    section: 'immunizations',
    codes: codingsOf(r.vaccineCode),
    text: conceptText(r.vaccineCode) ?? 'Vaccination (unspecified)',
    status: str(r.status, 'status'),
    date: firstText(r.occurrenceDateTime),
    details: {
      occurrenceText: str(r.occurrenceString, 'occurrenceString'),
      lotNumber: str(r.lotNumber, 'lotNumber'),
      expirationDate: str(r.expirationDate, 'expirationDate'),
      doseNumber: asText(protocol?.doseNumberPositiveInt ?? protocol?.doseNumberString),
      seriesDoses: asText(protocol?.seriesDosesPositiveInt ?? protocol?.seriesDosesString),
      dose: doseQuantity ? `${doseQuantity.value}${doseQuantity.unit ? ` ${doseQuantity.unit}` : ''}` : undefined,
      targetDisease: conceptTexts(protocol?.targetDisease),
      statusReason: conceptText(r.statusReason),
      site: conceptText(r.site),
      route: conceptText(r.route),
      manufacturer: referenceDisplay(r.manufacturer),
      primarySource: bool(r.primarySource, 'primarySource'),
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.recorded, ctx),
  });
}
