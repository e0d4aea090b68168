/** The pregnancy card's and home section's readers, from items the FHIR mapper makes of IPS pregnancy and check-up Observations. */
import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapFhirResource, type MapContext } from '../../../../src/main/sources/fhir/mappers';
import { mergeItems } from '../../../../src/main/summary/merge';
import { gestationalAge, pregnancyFacts } from '../../../../src/renderer/model/pregnancy';
import { trendRows } from '../../../../src/renderer/model/trends';
import type { ClinicalItem } from '../../../../src/shared/summary';

const mvc: MapContext = { sourceId: 'mvc', sourceName: 'Barnmorskemottagningen', fetchedAt: '2026-11-25T10:00:00Z', role: 'maternityCare' };
const home: MapContext = { sourceId: 'hem', sourceName: 'Hemmonitorering', fetchedAt: '2026-11-25T10:00:00Z', role: 'homeMonitoring' };
const subject = { reference: 'Patient/p' };

function obs(code: string, date: string, value: Partial<Observation>): Observation {
  return { resourceType: 'Observation', id: `${code}-${date}`, status: 'final', subject, code: { coding: [{ system: 'http://loinc.org', code }] }, effectiveDateTime: date, ...value };
}
const map = (o: Observation, ctx: MapContext) => mapFhirResource(o, ctx) as ClinicalItem;

describe('gestational age from the expected delivery date', () => {
  it('counts 280 days back from the EDD, on the injected day', () => {
    expect(gestationalAge('2027-03-10', new Date(2026, 10, 25, 12))).toEqual({ weeks: 25, days: 0, daysLeft: 105 });
    expect(gestationalAge('2027-03-10', new Date(2026, 10, 28, 23, 59))).toEqual({ weeks: 25, days: 3, daysLeft: 102 });
    expect(gestationalAge('2027-03-10', new Date(2027, 2, 12))).toEqual({ weeks: 40, days: 2, daysLeft: -2 });
  });

  it('gives nothing for a date that cannot be a current pregnancy', () => {
    expect(gestationalAge('2027-12-24', new Date(2026, 10, 25))).toBeUndefined();
    expect(gestationalAge('2025-01-01', new Date(2026, 10, 25))).toBeUndefined();
    expect(gestationalAge('not a date', new Date(2026, 10, 25))).toBeUndefined();
  });
});

describe('the pregnancy card’s facts', () => {
  const items = mergeItems([
    map(obs('82810-3', '2026-08-10', { valueCodeableConcept: { text: 'Gravid' } }), mvc),
    map(obs('11778-8', '2026-08-10', { valueDateTime: '2027-03-10' }), mvc),
    map(obs('11640-0', '2026-08-10', { valueInteger: 1 }), mvc),
    map(obs('11614-5', '2026-08-10', { valueInteger: 1 }), mvc),
    map(obs('882-1', '2026-08-10', { valueCodeableConcept: { text: 'A RhD negativ' } }), mvc),
    map(obs('718-7', '2026-10-19', { valueQuantity: { value: 118, unit: 'g/L' }, referenceRange: [{ low: { value: 110, unit: 'g/L' } }] }), mvc),
    map(obs('718-7', '2026-11-16', { valueQuantity: { value: 109, unit: 'g/L' }, referenceRange: [{ low: { value: 110, unit: 'g/L' } }] }), mvc),
    map(obs('29463-7', '2026-11-16', { valueQuantity: { value: 70.6, unit: 'kg' } }), mvc),
  ]).pregnancy;

  it('reads status, EDD, history and blood group by their LOINC codes', () => {
    const facts = pregnancyFacts(items);
    expect(facts.status?.value).toBe('Gravid');
    expect(facts.edd).toBe('2027-03-10');
    expect(facts.history.map((h) => [h.key, h.item.value])).toEqual([
      ['births', { value: 1 }],
      ['spontaneous', { value: 1 }],
    ]);
    expect(facts.bloodGroup?.value).toBe('A RhD negativ');
  });

  it('shows check-ups in the card’s order with the latest value, the one before and the direction', () => {
    const [weight, hb] = [pregnancyFacts(items).checkups[0], pregnancyFacts(items).checkups[1]];
    expect(weight?.key).toBe('weight');
    expect(weight?.previous).toBeUndefined();
    expect(hb).toMatchObject({ key: 'haemoglobin', direction: 'down', outsideCount: 1, count: 2 });
    expect(hb?.latest.section === 'pregnancy' && hb.latest.details.outside).toBe('low');
    expect(hb?.points).toEqual([
      { date: '2026-10-19', value: 118 },
      { date: '2026-11-16', value: 109 },
    ]);
  });
});

describe('home measurements against the care plan’s thresholds', () => {
  const treatment = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'treatment' }] } };
  const bp = (date: string, sys: number) =>
    obs('85354-9', date, {
      performer: [{ reference: 'Patient/p' }],
      device: { display: 'Omron M7' },
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }], text: 'Systoliskt' }, valueQuantity: { value: sys, unit: 'mmHg' }, referenceRange: [{ ...treatment, low: { value: 100, unit: 'mmHg' }, high: { value: 150, unit: 'mmHg' } }] },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }], text: 'Diastoliskt' }, valueQuantity: { value: 80, unit: 'mmHg' }, referenceRange: [{ ...treatment, high: { value: 90, unit: 'mmHg' } }] },
      ],
    });

  it('marks device, measured by the patient, care-plan thresholds and a component above them', () => {
    const item = map(bp('2026-11-21T08:00:00+01:00', 159), home);
    expect(item.section).toBe('homeMeasurements');
    expect(item.details).toMatchObject({ device: 'Omron M7', selfReported: 'performer', thresholds: 'carePlan', outside: 'high' });
    const inside = map(bp('2026-11-22T08:00:00+01:00', 131), home);
    expect(inside.details).not.toHaveProperty('outside');
  });

  it('puts a home-monitoring source’s observation in home measurements even without a patient mark', () => {
    const item = map(obs('8867-4', '2026-11-21', { valueQuantity: { value: 108, unit: '/min' }, referenceRange: [{ high: { value: 100, unit: '/min' } }] }), home);
    expect(item.section).toBe('homeMeasurements');
    expect(item.details).toMatchObject({ outside: 'high', thresholds: 'reference' });
    // The same observation from a care provider is a result.
    expect(map(obs('8867-4', '2026-11-21', { valueQuantity: { value: 108, unit: '/min' } }), { ...home, role: undefined }).section).toBe('results');
  });

  it('trends blood pressure by its systolic value', () => {
    const rows = trendRows(mergeItems([map(bp('2026-11-21T08:00:00+01:00', 159), home), map(bp('2026-11-22T08:00:00+01:00', 131), home)]).homeMeasurements);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ code: '85354-9', direction: 'down', outsideCount: 1, count: 2 });
  });
});
