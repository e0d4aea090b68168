import type {
  CodeableConcept,
  Meta,
  Observation,
  ObservationComponent as FhirComponent,
  ObservationReferenceRange,
  Reference,
} from '@medplum/fhirtypes';
import type { ObservationComponent, ReferenceRange } from '../../../../shared/details';
import type { SourceRole } from '../../../../shared/sourceRoles';
import type { ClinicalItemOf, Quantity } from '../../../../shared/summary';
import { codingsOf, conceptCode, conceptText, firstText, isSealed, item, type MapContext, nonEmpty, periodStart, provenanceOf, rangeText, referenceDisplay, referenceDisplays, texts, toQuantity, str } from './common';

const LOINC = 'http://loinc.org';

/** The sections an Observation can land in. */
export type ObservationSection = 'results' | 'pregnancy' | 'homeMeasurements';

/** IPS pregnancy section: status, expected delivery dates and outcome counts. */
const PREGNANCY_LOINC = new Set([
  '82810-3', // Pregnancy status
  '11778-8', // Delivery date Estimated
  '11779-6', // Delivery date Estimated from last menstrual period
  '11780-4', // Delivery date Estimated from ovulation date
  '11636-8', // Births.live
  '11637-6', // Births.preterm
  '11638-4', // Births.still living
  '11639-2', // Births.term
  '11640-0', // Births total
  '11612-9', // Abortions
  '11613-7', // Abortions.induced
  '11614-5', // Abortions.spontaneous
  '33065-4', // Ectopic pregnancy
]);

/** Category codes that mean the patient measured or reported it. */
const SELF_REPORTED_CATEGORIES = new Set(['survey', 'self', 'self-reported', 'patient-reported']);
/** meta.tag codes (any system) a source may use to mark patient-generated data. */
const SELF_REPORTED_TAGS = new Set(['self-reported', 'patient-reported', 'patient-generated', 'home-measurement']);

function isPregnancy(code: CodeableConcept | undefined): boolean {
  return (code?.coding ?? []).some((c) => c.system === LOINC && c.code !== undefined && PREGNANCY_LOINC.has(c.code));
}

function performedByPatient(performers: Reference[] | undefined): boolean {
  return (performers ?? []).some((p) => {
    const ref = nonEmpty(p.reference);
    return p.type === 'Patient' || (ref !== undefined && /(^|\/)Patient\/[^/]+/.test(ref));
  });
}

function selfReportedReason(r: Observation): 'performer' | 'category' | 'tag' | undefined {
  if (performedByPatient(r.performer)) return 'performer';
  const categories = (r.category ?? []).flatMap((c) => c.coding ?? []);
  if (categories.some((c) => c.code !== undefined && SELF_REPORTED_CATEGORIES.has(c.code))) return 'category';
  if (hasSelfTag(r.meta)) return 'tag';
  return undefined;
}

function hasSelfTag(meta: Meta | undefined): boolean {
  return (meta?.tag ?? []).some((t) => t.code !== undefined && SELF_REPORTED_TAGS.has(t.code));
}

/**
 * Observations are fetched without a category filter, so everything lands here:
 * pregnancy codes win, then patient-generated data, and every other observation
 * (laboratory, vital signs, uncategorised, social history...) is a result with
 * its category kept, so nothing the source holds disappears.
 */
export function observationSection(r: Observation, role?: SourceRole): ObservationSection {
  if (isPregnancy(r.code)) return 'pregnancy';
  // A maternity-care record's check-ups (blood pressure, weight, Hb, urine...) belong to the pregnancy.
  if (role === 'maternityCare') return 'pregnancy';
  if (role === 'homeMonitoring' || selfReportedReason(r)) return 'homeMeasurements';
  return 'results';
}

const RANGE_MEANING = 'http://terminology.hl7.org/CodeSystem/referencerange-meaning';

function mapRange(rr: ObservationReferenceRange): ReferenceRange {
  const low = toQuantity(rr.low);
  const high = toQuantity(rr.high);
  const text = firstText(rr.text, rangeText({ ...(rr.low ? { low: rr.low } : {}), ...(rr.high ? { high: rr.high } : {}) }));
  return { ...(text ? { text } : {}), ...(low ? { low } : {}), ...(high ? { high } : {}) };
}

/** A care plan's treatment range (referenceRange.type 'treatment'), else the first range with a bound. */
function thresholdRange(ranges: ObservationReferenceRange[] | undefined): ObservationReferenceRange | undefined {
  const list = ranges ?? [];
  return (
    list.find((rr) => (rr.type?.coding ?? []).some((c) => c.code === 'treatment' && (c.system === undefined || c.system === RANGE_MEANING))) ??
    list.find((rr) => rr.low?.value !== undefined || rr.high?.value !== undefined)
  );
}

function isCarePlanRange(rr: ObservationReferenceRange | undefined): boolean {
  return (rr?.type?.coding ?? []).some((c) => c.code === 'treatment');
}

/** Above or below a range, comparing numbers only (a unit the range does not share is not compared). */
function outsideOf(value: Quantity | string | undefined, rr: ObservationReferenceRange | undefined): 'high' | 'low' | undefined {
  if (!rr || value === undefined || typeof value === 'string') return undefined;
  const low = toQuantity(rr.low);
  const high = toQuantity(rr.high);
  const sameUnit = (q: Quantity) => !q.unit || !value.unit || q.unit === value.unit;
  if (high && sameUnit(high) && value.value > high.value) return 'high';
  if (low && sameUnit(low) && value.value < low.value) return 'low';
  return undefined;
}

type ValueSource = Pick<
  Observation,
  | 'valueQuantity'
  | 'valueString'
  | 'valueCodeableConcept'
  | 'valueBoolean'
  | 'valueInteger'
  | 'valueDateTime'
  | 'valueTime'
  | 'valuePeriod'
  | 'valueRange'
  | 'valueRatio'
>;

export function observationValue(v: ValueSource): Quantity | string | undefined {
  const q = toQuantity(v.valueQuantity);
  if (q) return q;
  if (typeof v.valueInteger === 'number') return { value: v.valueInteger };
  const s = nonEmpty(v.valueString) ?? conceptText(v.valueCodeableConcept) ?? nonEmpty(v.valueDateTime) ?? nonEmpty(v.valueTime);
  if (s) return s;
  if (typeof v.valueBoolean === 'boolean') return v.valueBoolean ? 'true' : 'false';
  if (v.valuePeriod) {
    const p = [v.valuePeriod.start, v.valuePeriod.end].filter(Boolean).join(' – ');
    if (p) return p;
  }
  const range = rangeText(v.valueRange);
  if (range) return range;
  const num = toQuantity(v.valueRatio?.numerator);
  const den = toQuantity(v.valueRatio?.denominator);
  if (num && den) return `${formatValue(num)} / ${formatValue(den)}`;
  return undefined;
}

function formatValue(value: Quantity | string): string {
  if (typeof value === 'string') return value;
  return `${value.comparator ?? ''}${value.value}${value.unit ? ` ${value.unit}` : ''}`;
}

function mapComponent(c: FhirComponent): ObservationComponent {
  const value = observationValue(c);
  const rr = thresholdRange(c.referenceRange);
  const outside = outsideOf(value, rr);
  return {
    text: conceptText(c.code) ?? 'Component',
    codes: codingsOf(c.code),
    ...(value !== undefined ? { value } : {}),
    ...(rr ? { range: mapRange(rr) } : {}),
    ...(outside ? { outside } : {}),
  };
}

type ObservationItem = ClinicalItemOf<'results'> | ClinicalItemOf<'pregnancy'> | ClinicalItemOf<'homeMeasurements'>;

export function mapObservation(r: Observation, ctx: MapContext): ObservationItem {
  const components = (r.component ?? []).map(mapComponent);
  let value = observationValue(r);
  if (value === undefined && components.some((c) => c.value !== undefined)) {
    // A panel such as blood pressure carries its values in components only.
    value = components
      .filter((c) => c.value !== undefined)
      .map((c) => `${c.text}: ${formatValue(c.value as Quantity | string)}`)
      .join('; ');
  }
  const details = {
    category: (r.category ?? []).map((c) => conceptCode(c)).filter((c): c is string => c !== undefined),
    referenceRange: (r.referenceRange ?? []).map(mapRange),
    interpretation: (r.interpretation ?? []).flatMap((i) => codingsOf(i)),
    components,
    specimen: referenceDisplay(r.specimen),
    performers: referenceDisplays(r.performer),
    dataAbsentReason: conceptCode(r.dataAbsentReason),
    method: conceptText(r.method),
    bodySite: conceptText(r.bodySite),
    notes: texts((r.note ?? []).map((n) => n.text)),
  };
  const fields = {
    codes: codingsOf(r.code),
    text: conceptText(r.code) ?? 'Observation (unspecified)',
    status: str(r.status, 'status'),
    date: firstText(r.effectiveDateTime, periodStart(r.effectivePeriod), r.effectiveInstant, r.issued),
    value,
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.issued, ctx),
  };
  const section = observationSection(r, ctx.role);
  if (section === 'results') return item({ ...fields, section, details });
  // Home measurements and check-ups: the value (or a component) against the care plan's thresholds.
  const rr = thresholdRange(r.referenceRange);
  const outside = outsideOf(value, rr) ?? components.find((c) => c.outside)?.outside;
  const anyRange = rr ?? (r.component ?? []).map((c) => thresholdRange(c.referenceRange)).find((x) => x !== undefined);
  const thresholds = {
    ...(outside ? { outside } : {}),
    ...(anyRange ? { thresholds: isCarePlanRange(anyRange) ? ('carePlan' as const) : ('reference' as const) } : {}),
  };
  if (section === 'homeMeasurements') {
    return item({
      ...fields,
      section,
      details: { ...details, ...thresholds, selfReported: selfReportedReason(r), device: referenceDisplay(r.device) },
    });
  }
  return item({ ...fields, section, details: { ...details, ...thresholds } });
}
