import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../src/shared/identity';
import { NATIONAL_ID_SYSTEMS } from '../../../src/shared/identity/types';
import {
  loadRegionData,
  patientIdOf,
  SANDBOX_PATIENTS,
  SANDBOX_REGIONS,
  type FhirResource,
  type RegionData,
} from '../../../src/main/sandbox/fhirData';
import { generateHeavyPatient, HEAVY_PATIENT_ID } from '../../../src/main/sandbox/heavyPatient';

const regions: RegionData[] = Object.keys(SANDBOX_REGIONS).map((r) => loadRegionData(r));
const NATIONAL_SYSTEMS = new Set(Object.values(NATIONAL_ID_SYSTEMS));
// Parse as of a fixed day so the data cannot age out of validity.
const TODAY = new Date('2026-11-25T12:00:00Z');

function identifiers(patient: FhirResource): { system?: string; value?: string }[] {
  return (patient.identifier ?? []) as { system?: string; value?: string }[];
}

function allResources(data: RegionData): FhirResource[] {
  return [...data.byKey.values()];
}

describe('sandbox data sets', () => {
  it('carries only valid national test identity numbers, matching each Patient resource', () => {
    const seen: string[] = [];
    for (const data of regions) {
      for (const patient of data.patients) {
        const national = identifiers(patient).filter((i) => i.system && NATIONAL_SYSTEMS.has(i.system));
        expect(national, `${data.region}/${patient.id}`).toHaveLength(1);
        const [id] = national;
        const parsed = parseNationalId(id!.value ?? '', { today: TODAY });
        expect(parsed.ok, `${data.region}/${patient.id}`).toBe(true);
        if (!parsed.ok) continue;
        expect(parsed.value.value).toBe(id!.value);
        expect(NATIONAL_ID_SYSTEMS[parsed.value.kind]).toBe(id!.system);
        expect(patient.birthDate).toBe(parsed.value.birthDate);
        expect(patient.gender).toBe(parsed.value.sex);
        // NO and FI have official synthetic/test ranges; SE test numbers come from Skatteverket's list.
        if (parsed.value.country !== 'SE') expect(parsed.value.test).toBe(true);
        seen.push(id!.value!);
      }
    }
    expect(new Set(seen)).toEqual(new Set(SANDBOX_PATIENTS.map((p) => p.identifier.value)));
  });

  it('lists in SANDBOX_PATIENTS exactly the identifiers and regions the data holds', () => {
    for (const p of SANDBOX_PATIENTS) {
      const parsed = parseNationalId(p.identifier.value, { today: TODAY });
      expect(parsed.ok && parsed.value.country).toBe(p.country);
      for (const data of regions) {
        const holders = data.patients.filter((pt) =>
          identifiers(pt).some((i) => i.system === p.identifier.system && i.value === p.identifier.value),
        );
        expect(holders, `${p.key} in ${data.region}`).toHaveLength(p.regions.includes(data.region) ? 1 : 0);
      }
    }
  });

  it('gives every resource an id, meta.lastUpdated and, unless a Patient, a reference to its patient', () => {
    for (const data of regions) {
      const patientIds = new Set(data.patients.map((p) => p.id));
      for (const r of allResources(data)) {
        expect((r.meta as { lastUpdated?: string } | undefined)?.lastUpdated, `${r.resourceType}/${r.id}`).toMatch(
          /^\d{4}-\d{2}-\d{2}T/,
        );
        if (r.resourceType !== 'Patient') expect(patientIds.has(patientIdOf(r) ?? '')).toBe(true);
      }
    }
  });

  it('covers every summary section for every patient across the regions', () => {
    const types = ['AllergyIntolerance', 'MedicationStatement', 'MedicationRequest', 'Condition', 'Observation',
      'Immunization', 'Encounter', 'Procedure', 'DocumentReference', 'CarePlan'];
    for (const p of SANDBOX_PATIENTS) {
      const held = new Set<string>();
      for (const data of regions) {
        const patient = data.patients.find((pt) => identifiers(pt).some((i) => i.value === p.identifier.value));
        for (const type of patient ? data.byPatient.get(patient.id)?.keys() ?? [] : []) held.add(type);
      }
      for (const type of types) expect(held.has(type), `${p.key} has ${type}`).toBe(true);
    }
    const flags = regions.flatMap((d) => allResources(d).filter((r) => r.resourceType === 'Flag'));
    expect(flags.length).toBeGreaterThan(0);
  });

  it('states "no known allergies" explicitly for the Finnish patient', () => {
    const syd = regions.find((d) => d.region === 'syd')!;
    const matti = syd.patients.find((p) => identifiers(p).some((i) => i.system === NATIONAL_ID_SYSTEMS.henkilotunnus))!;
    const allergies = syd.byPatient.get(matti.id)?.get('AllergyIntolerance') ?? [];
    const codes = allergies.flatMap((a) => ((a.code as { coding?: { code?: string }[] }).coding ?? []).map((c) => c.code));
    expect(codes).toEqual(['716186003']);
  });

  it('generates the heavy patient deterministically, with over 2,000 laboratory results', () => {
    const first = generateHeavyPatient();
    expect(generateHeavyPatient()).toEqual(first);
    const labs = first.filter(
      (r) => r.resourceType === 'Observation' && r.category?.some((c) => c.coding?.some((x) => x.code === 'laboratory')),
    );
    expect(labs.length).toBeGreaterThanOrEqual(2000);
    expect(first[0]).toMatchObject({ resourceType: 'Patient', id: HEAVY_PATIENT_ID });
    const meds = first.filter((r) => r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest');
    expect(meds.length).toBeGreaterThan(50);
  });
});
