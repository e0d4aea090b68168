/**
 * A national medication list as a labelled source: its prescriptions and
 * dispensings are labelled for what they are, stay beside the care units'
 * own records (never merged into them) and tell each side what the other holds.
 */
import { describe, expect, it } from 'vitest';
import type { MedicationDispense, MedicationRequest, MedicationStatement } from '@medplum/fhirtypes';
import { mapFhirResource, type MapContext } from '../../../../src/main/sources/fhir/mappers';
import { mergeItems } from '../../../../src/main/summary/merge';
import type { ClinicalItem, MergedItem } from '../../../../src/shared/summary';

const NOW = new Date('2026-11-25T12:00:00Z');
const nll: MapContext = {
  sourceId: 'nll-se',
  sourceName: 'Nationella läkemedelslistan',
  fetchedAt: NOW.toISOString(),
  role: 'nationalMedicationList',
  country: 'SE',
};
const region: MapContext = { sourceId: 'region-nord', sourceName: 'Region Nord', fetchedAt: NOW.toISOString() };
const subject = { reference: 'Patient/p1' };
const apixaban = {
  coding: [{ system: 'http://www.whocc.no/atc', code: 'B01AF02', display: 'apixaban' }],
  text: 'Eliquis 2,5 mg filmdragerad tablett',
};
const omeprazole = {
  coding: [{ system: 'http://www.whocc.no/atc', code: 'A02BC01', display: 'omeprazole' }],
  text: 'Omeprazol Teva 20 mg enterokapsel',
};
const furosemide = {
  coding: [{ system: 'http://www.whocc.no/atc', code: 'C03CA01', display: 'furosemide' }],
  text: 'Furosemid Accord 40 mg tablett',
};

function map(resource: MedicationRequest | MedicationDispense | MedicationStatement, ctx: MapContext): ClinicalItem {
  const item = mapFhirResource(resource, ctx);
  if (!item) throw new Error('did not map');
  return item;
}

function dispense(id: string, when: string, qty: number, extra: Partial<MedicationDispense> = {}): MedicationDispense {
  return {
    resourceType: 'MedicationDispense',
    id,
    status: 'completed',
    subject,
    medicationCodeableConcept: apixaban,
    quantity: { value: qty, unit: 'tabletter' },
    whenHandedOver: when,
    ...extra,
  };
}

const prescription: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'rx-1',
  status: 'active',
  intent: 'order',
  subject,
  medicationCodeableConcept: apixaban,
  authoredOn: '2026-05-12',
  dispenseRequest: { validityPeriod: { start: '2026-05-12', end: '2027-05-12' } },
};

const regionStatement: MedicationStatement = {
  resourceType: 'MedicationStatement',
  id: 'ms-1',
  status: 'active',
  subject,
  medicationCodeableConcept: apixaban,
  effectivePeriod: { start: '2016-02-12' },
};

const meds = (items: ClinicalItem[]): MergedItem[] => mergeItems(items, { now: NOW }).medications;
const fromSource = (items: MergedItem[], sourceId: string) => items.filter((i) => i.sources.some((s) => s.sourceId === sourceId));

describe('mapping a national medication list', () => {
  it('labels a prescription with its country and a dispensing with its date and amount', () => {
    const rx = map(prescription, nll);
    expect(rx.details).toMatchObject({ recordKind: 'prescribed', nationalList: 'SE', validUntil: '2027-05-12' });
    const dx = map(dispense('dx-1', '2026-10-20T14:00:00+01:00', 60), nll);
    expect(dx.section).toBe('medications');
    expect(dx.date).toBe('2026-10-20T14:00:00+01:00');
    expect(dx.details).toMatchObject({
      recordKind: 'dispensed',
      nationalList: 'SE',
      lastDispensed: '2026-10-20T14:00:00+01:00',
      lastDispensedAmount: '60 tabletter',
    });
    expect(dx.provenance.recordId).toBe('MedicationDispense/dx-1');
  });

  it('marks multi-dose dispensing from the supply type and the prescription category', () => {
    const dx = map(dispense('dx-2', '2026-11-10', 14, { type: { coding: [{ code: 'UD' }] } }), nll);
    expect(dx.details).toMatchObject({ multiDose: true });
    const rx = map({ ...prescription, category: [{ coding: [{ code: 'dosdispensering' }] }] }, nll);
    expect(rx.details).toMatchObject({ multiDose: true });
    expect(map(prescription, nll).details).not.toHaveProperty('multiDose');
  });

  it('leaves a care unit’s records unlabelled (no role, or a role without a country)', () => {
    expect(map(prescription, region).details).not.toHaveProperty('nationalList');
    expect(map(dispense('dx-3', '2026-10-20', 60), region).details).not.toHaveProperty('nationalList');
  });
});

describe('reconciling a national list against the care units’ lists', () => {
  it('keeps the national prescription and dispensing beside the region’s item, never merged into it', () => {
    const items = meds([
      map(regionStatement, region),
      map(prescription, nll),
      map(dispense('dx-1', '2026-07-22', 60), nll),
      map(dispense('dx-2', '2026-10-20', 60), nll),
    ]);
    expect(items).toHaveLength(3);
    const [regional] = fromSource(items, 'region-nord');
    expect(regional?.sources.map((s) => s.sourceId)).toEqual(['region-nord']);
    expect(regional?.nationalList).toEqual({ prescribed: true, dispensed: true, lastDispensed: '2026-10-20' });
    // Not a double medication: the national records restate the therapy.
    expect(items.some((i) => i.doubleMedication)).toBe(false);

    const national = fromSource(items, 'nll-se');
    const dispensed = national.find((i) => i.section === 'medications' && i.details.recordKind === 'dispensed');
    expect(dispensed?.group).toBe('current');
    expect(dispensed?.details).toMatchObject({ lastDispensed: '2026-10-20', dispenseCount: 2 });
    expect(dispensed?.careUnits).toEqual(['Region Nord']);
    const prescribed = national.find((i) => i.section === 'medications' && i.details.recordKind === 'prescribed');
    expect(prescribed?.group).toBe('current');
  });

  it('tells a care unit when the national list holds nothing current for its medication', () => {
    const items = meds([
      map({ ...regionStatement, id: 'ms-2', medicationCodeableConcept: furosemide }, region),
      map(
        {
          ...prescription,
          id: 'rx-old',
          medicationCodeableConcept: furosemide,
          dispenseRequest: { validityPeriod: { start: '2024-03-01', end: '2025-03-01' } },
        },
        nll,
      ),
    ]);
    const [regional] = fromSource(items, 'region-nord');
    expect(regional?.nationalList).toEqual({ prescribed: false, dispensed: false });
    const [expired] = fromSource(items, 'nll-se');
    expect(expired?.group).toBe('history');
  });

  it('shows a national record no care unit lists, and an old dispensing as history', () => {
    const items = meds([
      map(regionStatement, region),
      map({ ...dispense('dx-9', '2026-08-16', 56), medicationCodeableConcept: omeprazole }, nll),
      map({ ...dispense('dx-10', '2025-01-10', 56), medicationCodeableConcept: furosemide }, nll),
    ]);
    const omep = items.find((i) => i.text.startsWith('Omeprazol'));
    expect(omep?.careUnits).toEqual([]);
    expect(omep?.group).toBe('current');
    expect(items.find((i) => i.text.startsWith('Furosemid'))?.group).toBe('history');
    // The one region is alone among the care units: no "only in" mark for it.
    expect(fromSource(items, 'region-nord')[0]?.reconciliation?.class).toBeUndefined();
  });
});
