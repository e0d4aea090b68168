import { describe, expect, it } from 'vitest';
import type { Bundle, BundleEntry, CarePlan, Flag, Medication, MedicationStatement, Patient, Reference } from '@medplum/fhirtypes';
import type { PatientQuery } from '../../../../../src/main/sources/types';
import { guardIdentity } from '../../../../../src/main/summary/identityGuard';
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

describe('bundleToSourceResult: references resolve only as FHIR defines them', () => {
  const REGION = 'https://fhir.region.example/fhir';
  const OTHER = 'https://fhir.other.example/fhir';
  const query: PatientQuery = { identifier: { ...TOLVAN } };
  const flag = (subject: Flag['subject'], id = 'f'): Flag => ({ resourceType: 'Flag', id, status: 'active', code: { text: 'Tolk' }, subject });
  const bundleOf = (...entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'collection', entry });
  const tolvanAt = (fullUrl?: string): BundleEntry => ({ ...(fullUrl ? { fullUrl } : {}), resource: loadFhirFixture('patient-tolvan.json') });
  const guarded = (bundle: Bundle) => codeOf(() => guardIdentity(bundleToSourceResult(bundle, ctx), query));

  it('reads a relative reference against the base of the referring entry’s own fullUrl', () => {
    const same = bundleOf(tolvanAt(`${REGION}/Patient/tolvan-1`), { fullUrl: `${REGION}/Flag/f`, resource: flag({ reference: 'Patient/tolvan-1' }) });
    expect(guarded(same)).toBeUndefined();
    // The same words written by another server name that server's patient.
    const other = bundleOf(tolvanAt(`${REGION}/Patient/tolvan-1`), { fullUrl: `${OTHER}/Flag/f`, resource: flag({ reference: 'Patient/tolvan-1' }) });
    expect(bundleToSourceResult(other, ctx).subjects[1]).toEqual({ ref: 'Patient/tolvan-1', identifiers: [] });
    expect(guarded(other)).toBe('PATIENT_MISMATCH');
    // An entry with no server base cannot reach a Patient that has one.
    const unplaced = bundleOf(tolvanAt(`${REGION}/Patient/tolvan-1`), { resource: flag({ reference: 'Patient/tolvan-1' }) });
    expect(guarded(unplaced)).toBe('PATIENT_MISMATCH');
  });

  it('resolves an absolute reference only to the entry with that fullUrl (scheme and host in any case)', () => {
    const same = bundleOf(tolvanAt(`${REGION}/Patient/tolvan-1`), { resource: flag({ reference: 'HTTPS://FHIR.Region.example/fhir/Patient/tolvan-1' }) });
    expect(guarded(same)).toBeUndefined();
    // Another server's Patient/tolvan-1 is someone else, also when the bundle's Patient has no fullUrl.
    for (const patient of [tolvanAt(`${REGION}/Patient/tolvan-1`), tolvanAt(), tolvanAt('urn:uuid:5b2c1d00-0000-4000-8000-000000000001')]) {
      expect(guarded(bundleOf(patient, { resource: flag({ reference: `${OTHER}/Patient/tolvan-1` }) }))).toBe('PATIENT_MISMATCH');
    }
  });

  it('resolves a urn:uuid only within the Bundle', () => {
    const urn = 'urn:uuid:5b2c1d00-0000-4000-8000-000000000001';
    expect(guarded(bundleOf(tolvanAt(urn), { resource: flag({ reference: urn }) }))).toBeUndefined();
    expect(guarded(bundleOf(tolvanAt(urn), { resource: flag({ reference: 'urn:uuid:5b2c1d00-0000-4000-8000-000000000009' }) }))).toBe(
      'PATIENT_MISMATCH',
    );
  });

  it('rejects a subject identifier naming someone else beside a reference to the right patient', () => {
    const url = `${REGION}/Patient/tolvan-1`;
    const someoneElse = flag({ reference: url, identifier: { system: TOLVAN.system, value: '198112189876' } });
    expect(guarded(bundleOf(tolvanAt(url), { resource: someoneElse }))).toBe('PATIENT_MISMATCH');
    const local = flag({ reference: url, identifier: { system: 'urn:oid:1.2.752.97.3.1.3', value: 'SLL-000999' } });
    expect(guarded(bundleOf(tolvanAt(url), { resource: local }))).toBe('PATIENT_MISMATCH');
    // The patient's own identifier, in any notation, agrees with the reference.
    const own = flag({ reference: url, identifier: { system: TOLVAN.system, value: '19121212-1212' } });
    expect(guarded(bundleOf(tolvanAt(url), { resource: own }))).toBeUndefined();
  });

  it('checks a contained Patient like any other', () => {
    const other: Patient = { resourceType: 'Patient', id: 'p', identifier: [{ system: TOLVAN.system, value: '198112189876' }] };
    const me: Patient = { resourceType: 'Patient', id: 'p', identifier: [{ ...TOLVAN }] };
    const withContained = (p: Patient): Flag => ({ ...flag({ reference: '#p' }), contained: [p] });
    expect(guarded(bundleOf(tolvanAt(), { resource: withContained(other) }))).toBe('PATIENT_MISMATCH');
    expect(guarded(bundleOf(tolvanAt(), { resource: withContained(me) }))).toBeUndefined();
  });
});

describe('bundleToSourceResult: record identity', () => {
  it('names a resource without id by its fullUrl, and still resolves its references', () => {
    const bundle = loadFhirFixture<Bundle>('bundle-ips-document.json');
    const fullUrls = new Map<string, string>();
    for (const entry of bundle.entry ?? []) {
      if (entry.resource && entry.resource.resourceType !== 'Patient') {
        fullUrls.set(entry.resource.resourceType, entry.fullUrl ?? '');
        delete entry.resource.id;
      }
    }
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.items.map((i) => i.provenance.recordId).sort()).toEqual(
      [fullUrls.get('AllergyIntolerance'), fullUrls.get('Condition'), fullUrls.get('MedicationStatement')].sort(),
    );
    const med = result.items.find((i) => i.section === 'medications');
    expect(med?.text).toBe('Metformin');
    expect(med?.codes[0]?.code).toBe('A10BA02');
  });

  it('names a resource with neither id nor fullUrl by its place in the Bundle, never with an empty id', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: loadFhirFixture('patient-tolvan.json') },
        { resource: { resourceType: 'Flag', status: 'active', code: { text: 'Tolk' }, subject: { reference: 'Patient/tolvan-1' } } },
        { resource: { resourceType: 'Flag', status: 'active', code: { text: 'Smitta' }, subject: { reference: 'Patient/tolvan-1' } } },
      ],
    };
    const ids = bundleToSourceResult(bundle, ctx).items.map((i) => i.provenance.recordId);
    expect(ids).toEqual(['Flag/#entry-1', 'Flag/#entry-2']);
  });

  it('resolves a Medication by a relative reference against the entry’s server base, and a contained one', () => {
    const base = 'https://fhir.region.example/fhir';
    const statement = (medicationReference: Reference<Medication>, contained?: Medication[]): MedicationStatement => ({
      resourceType: 'MedicationStatement',
      id: contained ? 'ms-2' : 'ms-1',
      status: 'active',
      subject: { reference: 'Patient/tolvan-1' },
      medicationReference,
      ...(contained ? { contained } : {}),
    });
    const warfarin: Medication = {
      resourceType: 'Medication',
      id: 'med-1',
      code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'B01AA03', display: 'Warfarin' }] },
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: `${base}/Patient/tolvan-1`, resource: loadFhirFixture('patient-tolvan.json') },
        { fullUrl: `${base}/MedicationStatement/ms-1`, resource: statement({ reference: 'Medication/med-1' }) },
        { fullUrl: `${base}/MedicationStatement/ms-2`, resource: statement({ reference: '#m' }, [{ ...warfarin, id: 'm' }]) },
        { fullUrl: `${base}/Medication/med-1`, resource: warfarin },
      ],
    };
    const result = bundleToSourceResult(bundle, ctx);
    expect(result.subjects).toHaveLength(1);
    for (const item of result.items) {
      expect(item.text).toBe('Warfarin');
      expect(item.codes.map((c) => c.code)).toEqual(['B01AA03']);
    }
    expect(result.items).toHaveLength(2);
  });
});

describe('bundleToSourceResult: demographics against the personnummer', () => {
  it('lets the guard reject a Patient whose sex or birth date contradicts the number asked for', () => {
    const query: PatientQuery = { identifier: { ...TOLVAN }, nationalId: { country: 'SE', kind: 'personnummer', value: TOLVAN.value, birthDate: '1912-12-12', sex: 'male', test: false } };
    const bundle = (patient: Partial<Patient>): Bundle => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { ...loadFhirFixture<Patient>('patient-tolvan.json'), ...patient } },
        { resource: loadFhirFixture('flag-interpreter.json') },
      ],
    });
    const code = (patient: Partial<Patient>) => codeOf(() => guardIdentity(bundleToSourceResult(bundle(patient), ctx), query));
    expect(code({})).toBeUndefined();
    expect(code({ gender: 'female' })).toBe('PATIENT_DEMOGRAPHICS_MISMATCH');
    expect(code({ birthDate: '1921-12-12' })).toBe('PATIENT_DEMOGRAPHICS_MISMATCH');
    expect(code({ birthDate: '1912', gender: 'unknown' })).toBeUndefined();
  });
});

describe('a Bundle entry of the wrong shape (ADR 0033)', () => {
  const query: PatientQuery = { identifier: { ...TOLVAN } };
  /** The IPS document with one more Observation whose status is an object, not a code, about `subject`. */
  function withUnreadable(subject: Reference): Bundle {
    const bundle = loadFhirFixture<Bundle>('bundle-ips-document.json');
    bundle.entry?.push({
      fullUrl: 'urn:uuid:0b1e4d7a-0000-4000-8000-0000000000fe',
      resource: { ...loadFhirFixture('observation-hba1c.json'), id: 'obs-bad', status: { code: 'final' }, subject } as unknown as Patient,
    });
    return bundle;
  }
  const patientUrl = (): string => {
    const bundle = loadFhirFixture<Bundle>('bundle-ips-document.json');
    return bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.fullUrl as string;
  };

  it('is counted and left out; the other entries are read', () => {
    const result = guardIdentity(bundleToSourceResult(withUnreadable({ reference: patientUrl() }), ctx), query);
    expect(result.skipped).toEqual({ code: 'SOURCE_BAD_RESPONSE', count: 1 });
    expect(result.items.map((i) => i.provenance.recordId).sort()).toEqual([
      'AllergyIntolerance/alg-ups-1',
      'Condition/cond-ups-1',
      'MedicationStatement/ms-ups-1',
    ]);
  });

  it('about a patient not in the file still refuses it', () => {
    const result = bundleToSourceResult(withUnreadable({ reference: 'Patient/someone-else' }), ctx);
    expect(result.subjects).toContainEqual({ ref: 'Patient/someone-else', identifiers: [] });
    expect(() => guardIdentity(result, query)).toThrow(expect.objectContaining({ code: 'PATIENT_MISMATCH' }));
  });
});
