import { describe, expect, it } from 'vitest';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { onServer, patientToSubject, serverBaseOf, unverifiedSubjects } from '../../../../../src/main/sources/fhir/subjects';
import { loadFhirFixture, TOLVAN } from '../../../../fixtures/fhir/load';

describe('patientToSubject', () => {
  it('takes identifiers, the official name, birth date and gender', () => {
    const subject = patientToSubject(loadFhirFixture<Patient>('patient-tolvan.json'), 'tolvan-1');
    expect(subject).toEqual({
      ref: 'tolvan-1',
      identifiers: [TOLVAN, { system: 'urn:oid:1.2.752.97.3.1.3', value: 'SLL-000123' }],
      name: 'Tolvan Tolle Tolvansson',
      birthDate: '1912-12-12',
      gender: 'male',
    });
  });

  it('falls back to the first name and skips identifiers without a value', () => {
    const subject = patientToSubject(
      { resourceType: 'Patient', identifier: [{ system: 'x' }], name: [{ text: 'Kari Nordmann' }] },
      undefined,
    );
    expect(subject).toEqual({ identifiers: [], name: 'Kari Nordmann' });
  });
});

describe('patientToSubject: address', () => {
  it('takes the current home address as one line, skipping old ones', () => {
    const subject = patientToSubject(
      {
        resourceType: 'Patient',
        address: [
          { use: 'old', line: ['Gamla vägen 1'], city: 'Älvby' },
          { use: 'work', line: ['Kontorsgatan 2'], city: 'Älvby' },
          { use: 'home', line: ['Tolvgatan 12'], postalCode: '97231', city: 'Älvby', country: 'SE' },
        ],
      },
      undefined,
    );
    expect(subject.address).toBe('Tolvgatan 12, 97231 Älvby, SE');
    expect(patientToSubject({ resourceType: 'Patient', address: [{ text: 'Tolvgatan 12, Älvby' }] }, undefined).address).toBe(
      'Tolvgatan 12, Älvby',
    );
    expect(patientToSubject({ resourceType: 'Patient', address: [{ use: 'home', city: 'Älvby', period: { end: '2020-01-01' } }] }, undefined).address).toBeUndefined();
  });
});

describe('unverifiedSubjects', () => {
  const p1: Patient = { resourceType: 'Patient', id: 'p1', identifier: [{ system: TOLVAN.system, value: '19121212-1212' }] };
  const lookup = (ref: string): Patient | undefined => (ref === 'Patient/p1' ? p1 : undefined);

  it('reports nothing for a known reference, also with a history suffix', () => {
    expect(unverifiedSubjects({ resourceType: 'Flag', status: 'active', code: {}, subject: { reference: 'Patient/p1/_history/2' } }, lookup)).toEqual([]);
  });

  it('reports an unknown patient reference with no identifiers', () => {
    expect(
      unverifiedSubjects({ resourceType: 'Immunization', status: 'completed', vaccineCode: {}, patient: { reference: 'Patient/p2' } }, lookup),
    ).toEqual([{ ref: 'Patient/p2', identifiers: [] }]);
  });

  it('reports a subject that is not a Patient', () => {
    expect(
      unverifiedSubjects({ resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Group/g1' } }, lookup),
    ).toEqual([{ ref: 'Group/g1', identifiers: [] }]);
  });

  it('reports an identifier beside a known reference unless that Patient carries it', () => {
    const flag = (value: string) =>
      ({ resourceType: 'Flag', status: 'active', code: {}, subject: { reference: 'Patient/p1', identifier: { system: TOLVAN.system, value } } }) as const;
    // The same number in another notation is the Patient's own identifier.
    expect(unverifiedSubjects(flag('191212121212'), lookup)).toEqual([]);
    expect(unverifiedSubjects(flag('198112189876'), lookup)).toEqual([{ identifiers: [{ system: TOLVAN.system, value: '198112189876' }] }]);
  });

  it('reports a contained Patient as itself, and a dangling # reference as unknown', () => {
    const contained: Patient = { resourceType: 'Patient', id: 'c', identifier: [{ system: 'urn:x', value: '7' }] };
    expect(
      unverifiedSubjects({ resourceType: 'Flag', status: 'active', code: {}, contained: [contained], subject: { reference: '#c' } }, lookup),
    ).toEqual([{ identifiers: [{ system: 'urn:x', value: '7' }] }]);
    expect(unverifiedSubjects({ resourceType: 'Flag', status: 'active', code: {}, subject: { reference: '#c' } }, lookup)).toEqual([
      { ref: '#c', identifiers: [] },
    ]);
  });

  it('reports a resource naming nobody as an unidentified subject', () => {
    expect(unverifiedSubjects({ resourceType: 'Flag', status: 'active', code: {} } as Resource, lookup)).toEqual([{ identifiers: [] }]);
  });
});

describe('reference helpers', () => {
  it('finds the server base of a RESTful fullUrl only', () => {
    expect(serverBaseOf('HTTPS://Fhir.Example:443/r4/Patient/p1/_history/2')).toBe('https://fhir.example/r4');
    expect(serverBaseOf('urn:uuid:0b1e4d7a-0000-4000-8000-000000000002')).toBeUndefined();
    expect(serverBaseOf(undefined)).toBeUndefined();
  });

  it('places a reference on a server: relative against it, absolute only when on the same server', () => {
    const base = 'https://fhir.example/r4';
    expect(onServer('Patient/p1', base)).toBe('Patient/p1');
    expect(onServer('https://FHIR.example/r4/Patient/p1/_history/1', base)).toBe('Patient/p1');
    expect(onServer('https://other.example/r4/Patient/p1', base)).toBeUndefined();
    expect(onServer('https://fhir.example/other/Patient/p1', base)).toBeUndefined();
    expect(onServer('urn:uuid:0b1e4d7a-0000-4000-8000-000000000002', base)).toBeUndefined();
    expect(onServer('Patient?identifier=x', base)).toBeUndefined();
  });
});
