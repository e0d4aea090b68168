/**
 * The record's canonical text: independent of the order a caller wrote its
 * fields in, absent fields as null, read back to the same record; the hash
 * covers seq, predecessor, patient key and text, so any of them changing
 * changes it.
 */
import { describe, expect, it } from 'vitest';
import { canonicalRecordText, checkEntry, recordFromText } from '../../../../src/main/audit/accessEntry';
import { recordHash } from '../../../../src/main/audit/accessLog';
import type { SignedInUser } from '../../../../src/shared/session';

const user: SignedInUser = {
  userId: 'u-1',
  displayName: 'Test User',
  role: 'dental',
  careUnit: { id: 'c', name: 'Clinic' },
  organisation: { id: 'o', name: 'Org' },
  provider: 'local',
  signedInAt: '2026-11-25T07:00:00Z',
};

describe('access record text', () => {
  it('is the same whatever order the fields came in, and reads back to the record', () => {
    const a = checkEntry({ user, action: 'print', outcome: { result: 'granted' }, patient: { system: 's', value: 'v' }, what: 'pdf' });
    const b = checkEntry({ what: 'pdf', outcome: { result: 'granted' }, patient: { value: 'v', system: 's' }, action: 'print', user });
    const at = '2026-11-25T08:00:00.000Z';
    const text = canonicalRecordText({ ...a, at });
    expect(canonicalRecordText({ ...b, at })).toBe(text);
    expect(text).not.toContain('signedInAt');
    expect(JSON.parse(text)).toMatchObject({ purpose: null, reason: null, outcome: { code: null } });
    expect(recordFromText(4, text)).toEqual({
      seq: 4,
      at,
      action: 'print',
      outcome: { result: 'granted' },
      user: { userId: 'u-1', displayName: 'Test User', role: 'dental', careUnit: user.careUnit, organisation: user.organisation },
      patient: { system: 's', value: 'v' },
      what: 'pdf',
    });
    expect(recordFromText(4, '{"at":1}')).toBeUndefined();
    expect(recordFromText(4, 'not json')).toBeUndefined();
  });

  it('hashes seq, predecessor, patient key and text: each one changed changes the hash', () => {
    const base = recordHash(3, 'p'.repeat(64), 'k', '{}');
    expect(recordHash(3, 'p'.repeat(64), 'k', '{}')).toBe(base);
    for (const other of [
      recordHash(4, 'p'.repeat(64), 'k', '{}'),
      recordHash(3, 'q'.repeat(64), 'k', '{}'),
      recordHash(3, 'p'.repeat(64), null, '{}'),
      recordHash(3, 'p'.repeat(64), 'k', '{ }'),
    ]) {
      expect(other).not.toBe(base);
    }
  });

  it('caps every field: a display name or unit name over its cap is AUDIT_FIELD_TOO_LONG with the path', () => {
    expect(() => checkEntry({ user: { ...user, displayName: 'x'.repeat(201) }, action: 'print', outcome: { result: 'granted' } })).toThrow(
      /AUDIT_FIELD_TOO_LONG \{"field":"user.displayName","max":200\}/,
    );
    expect(() =>
      checkEntry({ user: { ...user, careUnit: { id: 'c', name: 'x'.repeat(201) } }, action: 'print', outcome: { result: 'granted' } }),
    ).toThrow(/AUDIT_FIELD_TOO_LONG \{"field":"user.careUnit.name","max":200\}/);
  });

  it('refuses an entry without a user or outcome, naming only the field', () => {
    expect(() => checkEntry({ action: 'print', outcome: { result: 'granted' } } as never)).toThrow(/AUDIT_ENTRY_INVALID \{"field":"user"\}/);
    expect(() => checkEntry({ user, action: 'print', outcome: { result: 'maybe' } } as never)).toThrow(/AUDIT_ENTRY_INVALID \{"field":"outcome.result"\}/);
  });
});
