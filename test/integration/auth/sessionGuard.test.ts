/**
 * Patient commands and the session (issue 10): no summary without an unlocked
 * sign-in, and an answer that was on its way when the user switched, signed
 * out or the screen locked is dropped in the main process.
 */
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { signInForTest } from '../../fixtures/session';

const NOW = new Date('2026-11-29T12:00:00Z');

/** A source that answers only when the test lets it. */
function heldSource() {
  let release!: () => void;
  let asked!: () => void;
  const wasAsked = new Promise<void>((r) => (asked = r));
  const gate = new Promise<void>((r) => (release = r));
  const adapter: SourceAdapter = {
    id: 'held',
    name: 'Held',
    kind: 'memory',
    timeoutMs: 10_000,
    fetchPatient: async (query) => {
      asked();
      await gate;
      return { subjects: [{ identifiers: [query.identifier] }], fetchedAt: NOW.toISOString(), items: [] };
    },
  };
  return { adapter, wasAsked, release };
}

function servicesWith(adapter: SourceAdapter) {
  return createServices({ config: { sources: [] }, sources: [adapter], clock: { now: () => NOW }, logger: createLogger('test'), transport: 'preview', version: 't' });
}

describe('patient commands need an unlocked session', () => {
  it('AUTH_REQUIRED before sign-in, SESSION_LOCKED when locked, a summary when signed in', async () => {
    const services = servicesWith(heldSource().adapter);
    expect(await services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' })).toEqual({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    await signInForTest(services);
    await services.handlers['session.lock']({});
    expect(await services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' })).toEqual({ ok: false, error: { code: 'SESSION_LOCKED' } });
  });

  for (const change of ['switch', 'signOut', 'lock'] as const) {
    it(`drops the updates still on their way after a ${change}`, async () => {
      const held = heldSource();
      const services = servicesWith(held.adapter);
      await signInForTest(services);
      const pushed: string[] = [];
      services.events.subscribe((event) => pushed.push(event));
      // The first answer comes at once (every source pending, ADR 0014); the source's answer would follow as an update.
      const answer = await services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
      expect(answer.ok).toBe(true);
      await held.wasAsked;
      if (change === 'switch') await services.handlers['session.signIn']({ userId: 'maria.dental' });
      if (change === 'signOut') await services.handlers['session.signOut']({});
      if (change === 'lock') await services.handlers['session.lock']({});
      held.release();
      await services.summary.settled();
      expect(pushed.filter((e) => e === 'summary.updated')).toEqual([]);
    });
  }

  it('session.changed is pushed on every change, with no secret in it', async () => {
    const services = servicesWith(heldSource().adapter);
    const pushed: string[] = [];
    services.events.subscribe((event, payload) => pushed.push(`${event} ${JSON.stringify(payload)}`));
    await services.handlers['session.signIn']({ userId: 'erik.homecare' });
    await services.handlers['session.lock']({});
    await services.handlers['session.signOut']({});
    expect(pushed).toHaveLength(3);
    expect(pushed.every((p) => p.startsWith('session.changed '))).toBe(true);
    expect(pushed[0]).toContain('Erik Johansson');
    expect(pushed[1]).toContain('"locked":true');
  });
});
