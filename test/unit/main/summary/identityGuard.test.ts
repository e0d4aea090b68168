import { describe, expect, it } from 'vitest';
import { guardIdentity } from '../../../../src/main/summary/identityGuard';
import type { PatientQuery, SourceResult } from '../../../../src/main/sources/types';
import type { ClinicalItem } from '../../../../src/shared/summary';
import { codeOf } from '../../../fixtures/codeOf';
import { patientQuery } from '../../../fixtures/patientQuery';
import { CodedError } from '../../../../src/shared/errors';

const SE = 'urn:oid:1.2.752.129.2.1.3.1';
const query: PatientQuery = { identifier: { system: SE, value: '191212121212' } };
const item: ClinicalItem = {
  section: 'allergies',
  codes: [],
  text: 'Penicillin',
  details: {},
  sealed: false,
  provenance: { sourceId: 's', sourceName: 'S', recordId: 'A/1', fetchedAt: '2026-11-25T10:00:00Z' },
};
const result = (subjects: SourceResult['subjects'], items = [item]): SourceResult => ({
  subjects,
  items,
  fetchedAt: '2026-11-25T10:00:00Z',
});

describe('guardIdentity', () => {
  it('passes an answer about the requested patient, in either Swedish notation', () => {
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ system: SE, value: '191212121212' }] }]), query))).toBeUndefined();
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ system: SE, value: '19121212-1212' }] }]), query))).toBeUndefined();
  });

  it('passes a source that does not know the patient', () => {
    expect(codeOf(() => guardIdentity(result([], []), query))).toBeUndefined();
  });

  it('rejects another patient', () => {
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ system: SE, value: '198112189876' }] }]), query))).toBe(
      'PATIENT_MISMATCH',
    );
  });

  it('rejects the whole answer when one of several subjects is someone else', () => {
    const subjects = [
      { identifiers: [{ system: SE, value: '191212121212' }] },
      { ref: 'Patient/x', identifiers: [] },
    ];
    expect(codeOf(() => guardIdentity(result(subjects), query))).toBe('PATIENT_MISMATCH');
  });

  it('rejects items with nobody named', () => {
    expect(codeOf(() => guardIdentity(result([]), query))).toBe('PATIENT_MISMATCH');
  });

  it('does not match the same number under another identifier system', () => {
    const other = [{ identifiers: [{ system: 'urn:oid:1.2.246.21', value: '191212121212' }] }];
    expect(codeOf(() => guardIdentity(result(other), query))).toBe('PATIENT_MISMATCH');
  });

  it('does not accept a 10-digit Swedish number, whose century would be a guess', () => {
    const short = [{ identifiers: [{ system: SE, value: '1212121212' }] }];
    expect(codeOf(() => guardIdentity(result(short), query))).toBe('PATIENT_MISMATCH');
  });

  it('matches a |VALUE request only against identifiers that have no system', () => {
    const local: PatientQuery = { identifier: { value: '454721' } };
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ value: '454721' }] }]), local))).toBeUndefined();
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ system: 'EPIC-MRN', value: '454721' }] }]), local))).toBe(
      'PATIENT_MISMATCH',
    );
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ system: SE, value: '454721' }] }]), local))).toBe(
      'PATIENT_MISMATCH',
    );
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ value: '454722' }] }]), local))).toBe('PATIENT_MISMATCH');
  });

  it('does not match a SYSTEM|VALUE request against the same value without a system', () => {
    expect(codeOf(() => guardIdentity(result([{ identifiers: [{ value: '191212121212' }] }]), query))).toBe('PATIENT_MISMATCH');
  });

  describe('demographics a national id implies', () => {
    const tolvan = patientQuery('19121212-1212', new Date(2026, 10, 25));
    const me = (extra: Partial<SourceResult['subjects'][number]>) => result([{ identifiers: [{ system: SE, value: '191212121212' }], ...extra }]);
    const failure = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof CodedError ? err.toAppError() : 'not-coded';
      }
      return undefined;
    };

    it('rejects a source whose birth date or sex contradicts the number asked for, naming only the field', () => {
      expect(failure(() => guardIdentity(me({ birthDate: '1912-12-21', gender: 'male' }), tolvan))).toEqual({
        code: 'PATIENT_DEMOGRAPHICS_MISMATCH',
        params: { fields: 'birthDate' },
      });
      expect(failure(() => guardIdentity(me({ birthDate: '1912-12-12', gender: 'female' }), tolvan))).toEqual({
        code: 'PATIENT_DEMOGRAPHICS_MISMATCH',
        params: { fields: 'sex' },
      });
    });

    it('passes what agrees, and never rejects an absence or a partial date that fits', () => {
      for (const extra of [{ birthDate: '1912-12-12', gender: 'male' }, {}, { birthDate: '1912' }, { gender: 'unknown' }, { gender: 'other' }]) {
        expect(codeOf(() => guardIdentity(me(extra), tolvan)), JSON.stringify(extra)).toBeUndefined();
      }
    });

    it('checks a national id the subject carries itself, also when a local identifier was asked for', () => {
      const local: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.97.3.1.3', value: 'SLL-000123' } };
      const subject = (birthDate: string) =>
        result([{ identifiers: [local.identifier, { system: SE, value: '191212121212' }], birthDate }]);
      expect(codeOf(() => guardIdentity(subject('1912-12-12'), local))).toBeUndefined();
      expect(codeOf(() => guardIdentity(subject('1981-12-18'), local))).toBe('PATIENT_DEMOGRAPHICS_MISMATCH');
    });

    it('still rejects another patient as PATIENT_MISMATCH first', () => {
      const other = result([{ identifiers: [{ system: SE, value: '198112189876' }], birthDate: '1981-12-18' }]);
      expect(codeOf(() => guardIdentity(other, tolvan))).toBe('PATIENT_MISMATCH');
    });
  });
});
