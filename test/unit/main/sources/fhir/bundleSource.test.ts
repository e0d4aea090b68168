import { describe, expect, it } from 'vitest';
import type { Bundle, CarePlan } from '@medplum/fhirtypes';
import { bundleToSourceResult } from '../../../../../src/main/sources/fhir/fhirSource';
import type { MapContext } from '../../../../../src/main/sources/fhir/mappers';
import { loadFhirFixture, TOLVAN } from '../../../../fixtures/fhir/load';
import { codeOf } from '../../../../fixtures/codeOf';

const ctx: MapContext = { sourceId: 'file-0', sourceName: 'ips.json', fetchedAt: '2024-11-02T10:00:00.000Z' };

describe('bundleToSourceResult', () => {
  it('reads an IPS document: patient as subject, items mapped, Composition skipped', () => {
    const result = bundleToSourceResult(loadFhirFixture<Bundle>('bundle-ips-document.json'), ctx);
    expect(result.subjects).toEqual([
      { ref: 'tolvan-ups', identifiers: [TOLVAN], name: 'Tolvan Tolvansson', birthDate: '1912-12-12', gender: 'male' },
    ]);
    expect(result.fetchedAt).toBe(ctx.fetchedAt);
    expect(result.items.map((i) => i.provenance.recordId).sort()).toEqual([
      'AllergyIntolerance/alg-ups-1',
      'Condition/cond-ups-1',
      'MedicationStatement/ms-ups-1',
    ]);
    const med = result.items.find((i) => i.section === 'medications');
    // The Medication entry is resolved by its urn:uuid fullUrl.
    expect(med?.text).toBe('Metformin');
    expect(med?.codes[0]?.code).toBe('A10BA02');
    const allergy = result.items.find((i) => i.section === 'allergies');
    expect(allergy?.details.absence).toBe('noneKnown');
  });

  it('adds a subject without identifiers for a resource about a patient not in the bundle', () => {
    const bundle = loadFhirFixture<Bundle>('bundle-ips-document.json');
    bundle.entry?.push({
      fullUrl: 'urn:uuid:0b1e4d7a-0000-4000-8000-0000000000ff',
      resource: loadFhirFixture('observation-hba1c.json'),
    });
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toHaveLength(2);
    expect(result.subjects[1]).toEqual({ ref: 'Patient/tolvan-1', identifiers: [] });
    expect(result.items.some((i) => i.provenance.recordId === 'Observation/obs-hba1c-1')).toBe(true);
  });

  it('reports a resource that names nobody as an unidentified subject', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'Hb' } } }],
    };
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toEqual([{ identifiers: [] }]);
    expect(result.items).toHaveLength(1);
  });

  it('uses a reference by identifier as the subject identity', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          search: { mode: 'match' },
          resource: {
            resourceType: 'Flag',
            id: 'f',
            status: 'active',
            code: { text: 'Smittsam' },
            subject: { identifier: { system: TOLVAN.system, value: TOLVAN.value } },
          },
        },
        { search: { mode: 'outcome' }, resource: { resourceType: 'OperationOutcome', issue: [] } },
      ],
    };
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toEqual([{ identifiers: [TOLVAN] }]);
    expect(result.items).toHaveLength(1);
  });

  it('matches absolute and versioned references to the bundle patient', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://fhir.region.example/fhir/Patient/p1', resource: loadFhirFixture('patient-tolvan.json') },
        {
          resource: {
            resourceType: 'Flag',
            id: 'f',
            status: 'active',
            code: { text: 'Tolk' },
            subject: { reference: 'https://fhir.region.example/fhir/Patient/p1/_history/3' },
          },
        },
      ],
    };
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toHaveLength(1);
    expect(result.subjects[0]?.ref).toBe('tolvan-1');
  });

  it('refuses what is not a Bundle or not a patient record bundle', () => {
    expect(codeOf(() => bundleToSourceResult(loadFhirFixture('patient-tolvan.json') as never, ctx))).toBe('FILE_NOT_FHIR_BUNDLE');
    expect(codeOf(() => bundleToSourceResult([] as never, ctx))).toBe('FILE_NOT_FHIR_BUNDLE');
    expect(codeOf(() => bundleToSourceResult(null as never, ctx))).toBe('FILE_NOT_FHIR_BUNDLE');
    expect(codeOf(() => bundleToSourceResult({ resourceType: 'Bundle', type: 'history' }, ctx))).toBe('FILE_NOT_FHIR_BUNDLE');
  });

  it('reads a transaction bundle as written by synthetic-data generators, skipping deletes', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:p', resource: loadFhirFixture('patient-tolvan.json'), request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:c',
          resource: { ...loadFhirFixture<CarePlan>('careplan-diabetes.json'), subject: { reference: 'urn:uuid:p' } },
          request: { method: 'POST', url: 'CarePlan' },
        },
        { resource: loadFhirFixture('flag-interpreter.json'), request: { method: 'DELETE', url: 'Flag/flag-1' } },
      ],
    };
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toHaveLength(1);
    expect(result.items.map((i) => i.section)).toEqual(['carePlans']);
  });
});
