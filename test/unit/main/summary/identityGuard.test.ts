import { describe, expect, it } from 'vitest';
import { guardIdentity } from '../../../../src/main/summary/identityGuard';
import type { PatientQuery, SourceResult } from '../../../../src/main/sources/types';
import type { ClinicalItem } from '../../../../src/shared/summary';
import { codeOf } from '../../../fixtures/codeOf';

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
});
