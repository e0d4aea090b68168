import { describe, expect, it } from 'vitest';
import { createAccessContexts } from '../../../../src/main/access/accessContexts';

function setup() {
  let now = Date.parse('2026-11-25T10:00:00Z');
  const clock = { now: () => new Date(now) };
  return { contexts: createAccessContexts({ clock, consentHours: 24 }), advance: (ms: number) => (now += ms) };
}

describe('access contexts', () => {
  it('knows nothing of a patient until a purpose is stated; an emergency needs a reason', () => {
    const { contexts } = setup();
    expect(contexts.context('unit-a', 'p1')).toBeUndefined();
    expect(contexts.state('unit-a', 'p1', { purpose: 'emergency' })).toBe('ACCESS_REASON_REQUIRED');
    expect(contexts.state('unit-a', 'p1', { purpose: 'emergency', reason: '  ' })).toBe('ACCESS_REASON_REQUIRED');
    expect(contexts.state('unit-a', 'p1', { purpose: 'emergency', reason: 'x'.repeat(501) })).toBe('ACCESS_REASON_REQUIRED');
    expect(contexts.context('unit-a', 'p1')).toBeUndefined();
    expect(contexts.state('unit-a', 'p1', { purpose: 'emergency', reason: 'Medvetslös på akuten' })).toBeUndefined();
    expect(contexts.context('unit-a', 'p1')).toEqual({ purpose: 'emergency', consent: false, revealed: new Map() });
  });

  it('scopes consent to the care unit and ends it when it expires', () => {
    const { contexts, advance } = setup();
    contexts.state('unit-a', 'p1', { purpose: 'care', consent: true });
    contexts.state('unit-b', 'p1', { purpose: 'care' });
    expect(contexts.context('unit-a', 'p1')?.consent).toBe(true);
    expect(contexts.context('unit-b', 'p1')?.consent).toBe(false);
    advance(24 * 3_600_000 + 1);
    expect(contexts.context('unit-a', 'p1')?.consent).toBe(false);
  });

  it('reveals by law and basis, with a reason, and forgets every purpose and reveal on sign-out', () => {
    const { contexts } = setup();
    expect(contexts.reveal('u', 'p1', 'no-source', 'NO', 'emergency', 'Behöver se allt')).toBe('ACCESS_PURPOSE_REQUIRED');
    contexts.state('u', 'p1', { purpose: 'care' });
    // An emergency reveal needs a declared emergency.
    expect(contexts.reveal('u', 'p1', 'no-source', 'NO', 'emergency', 'Behöver se allt')).toBe('ACCESS_PURPOSE_REQUIRED');
    expect(contexts.reveal('u', 'p1', 'se-source', 'SE', 'consent', 'Patienten samtycker')).toBe('ACCESS_CONSENT_REQUIRED');
    expect(contexts.reveal('u', 'p1', 'se-source', 'SE', 'consent', '')).toBe('ACCESS_REASON_REQUIRED');
    contexts.state('u', 'p1', { purpose: 'care', consent: true });
    expect(contexts.reveal('u', 'p1', 'se-source', 'SE', 'consent', 'Patienten samtycker')).toBeUndefined();
    expect(contexts.reveal('u', 'p1', 'fi-source', 'FI', 'consent', 'Patienten samtycker')).toBe('SEALED_NOT_REVEALABLE');
    expect([...(contexts.context('u', 'p1')?.revealed ?? [])]).toEqual([['se-source', 'consent']]);
    contexts.clear();
    expect(contexts.context('u', 'p1')).toBeUndefined();
  });
});
