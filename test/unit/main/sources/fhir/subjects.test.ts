import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { foreignSubject, patientToSubject } from '../../../../../src/main/sources/fhir/subjects';
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

describe('foreignSubject', () => {
  const known = (ref: string): boolean => ref === 'Patient/p1';

  it('accepts a known reference, also with a history suffix', () => {
    expect(foreignSubject({ resourceType: 'Flag', status: 'active', code: {}, subject: { reference: 'Patient/p1/_history/2' } }, known)).toBeUndefined();
  });

  it('reports an unknown patient reference with no identifiers', () => {
    expect(
      foreignSubject({ resourceType: 'Immunization', status: 'completed', vaccineCode: {}, patient: { reference: 'Patient/p2' } }, known),
    ).toEqual({ ref: 'Patient/p2', identifiers: [] });
  });

  it('reports a subject that is not a Patient', () => {
    expect(
      foreignSubject({ resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Group/g1' } }, known),
    ).toEqual({ ref: 'Group/g1', identifiers: [] });
  });
});
