/**
 * A fresh summary that follows a cached answer ('summary.updated') is pushed
 * only to the session that opened the patient: after a switch of user, a lock
 * or a sign-out it is dropped in the main process (issue 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/app/createServices';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { signInForTest } from '../../fixtures/session';

const NOW = new Date('2026-11-29T12:00:00Z');
const dirs: string[] = [];
const caches: CacheHandle[] = [];

afterEach(() => {
  for (const c of caches.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A source whose answers wait for the test, one gate per request. */
function gatedSource() {
  const gates: (() => void)[] = [];
  const adapter: SourceAdapter = {
    id: 'gated',
    name: 'Gated',
    kind: 'memory',
    timeoutMs: 10_000,
    fetchPatient: async (query) => {
      await new Promise<void>((r) => gates.push(r));
      return {
        subjects: [{ identifiers: [query.identifier] }],
        fetchedAt: NOW.toISOString(),
        items: [
          {
            section: 'allergies',
            codes: [{ system: 'http://snomed.info/sct', code: '91936005' }],
            text: 'Penicillin',
            status: 'active',
            details: {},
            sealed: false,
            provenance: { sourceId: 'gated', sourceName: 'Gated', recordId: 'A/1', fetchedAt: NOW.toISOString() },
          },
        ],
      } as Awaited<ReturnType<SourceAdapter['fetchPatient']>>;
    },
  };
  const released = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 5));
    gates.shift()!();
  };
  return { adapter, releaseNext: released };
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-push-guard-'));
  dirs.push(dir);
  const clock = { now: () => NOW };
  const cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger: createLogger('test'), retentionHours: 12 });
  caches.push(cache);
  const source = gatedSource();
  const services = createServices({ config: { sources: [] }, sources: [source.adapter], cache, clock, logger: createLogger('test'), transport: 'preview', version: 't' });
  const pushed: string[] = [];
  services.events.subscribe((event) => pushed.push(event));
  await signInForTest(services);
  // First open: live, then cached.
  const first = services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
  await source.releaseNext();
  expect((await first).ok).toBe(true);
  await services.summary.settled();
  pushed.length = 0;
  // Second open: the cached answer at once, the refresh waits at the source.
  const second = await services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
  expect(second.ok).toBe(true);
  return { services, source, pushed };
}

describe('fresh summary push and the session', () => {
  it('is pushed to the user who opened the patient', async () => {
    const { services, source, pushed } = await setup();
    await source.releaseNext();
    await services.summary.settled();
    expect(pushed).toEqual(['summary.updated']);
  });

  for (const change of ['switch', 'lock', 'signOut'] as const) {
    it(`is dropped after a ${change}`, async () => {
      const { services, source, pushed } = await setup();
      if (change === 'switch') await services.handlers['session.signIn']({ userId: 'erik.homecare' });
      if (change === 'lock') await services.handlers['session.lock']({});
      if (change === 'signOut') await services.handlers['session.signOut']({});
      await source.releaseNext();
      await services.summary.settled();
      expect(pushed).toEqual(['session.changed']);
    });
  }
});
