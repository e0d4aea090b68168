/**
 * Hazard H9 (SAFETY.md): one user's patient seen by the next at a shared
 * workstation. Anna opens Tolvan; the region answers slowly; before it does,
 * Anna signs out and Erik signs in. The summary that then arrives is not
 * delivered to Erik's session, and Erik is asked for his own purpose before
 * he may open Tolvan.
 * Control: deliver() sends a summary only to the session generation that opened the patient (src/main/app/createServices.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import { readConfig } from '../../src/main/app/config';
import { createLogger } from '../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { signInForTest } from '../fixtures/session';
import { NOW } from './hazardFixtures';

let nord: FhirSandbox;
let services: Services;

beforeAll(async () => {
  nord = await startFhirSandbox({ region: 'nord' });
  services = createServices({
    config: readConfig({ sources: [{ id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 }] }),
    clock: { now: () => NOW },
    logger: createLogger('test'),
    transport: 'preview',
    version: 'test',
  });
});
afterAll(async () => {
  await services.summary.settled();
  await nord.close();
});

describe('H9 one user’s patient seen by the next', () => {
  it('a summary opened by Anna is never delivered after Erik signed in', async () => {
    const delivered: string[] = [];
    services.events.subscribe((event, payload) => {
      if (event === 'summary.updated') delivered.push((payload as { summary: { patient: { name?: string } } }).summary.patient.name ?? '?');
    });
    await signInForTest(services, 'anna.nurse');
    // Every request waits 1.5 s: the sign-out and the next sign-in happen long before any answer.
    nord.setLatency(1_500);
    const opened = await services.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
    expect(opened.ok).toBe(true);
    await services.handlers['session.signOut']({});
    await signInForTest(services, 'erik.homecare');
    await services.summary.settled();
    expect(delivered).toEqual([]);
    // Erik states his own purpose; Anna's is forgotten.
    expect(await services.handlers['summary.open']({ patient: '19121212-1212' })).toEqual({ ok: false, error: { code: 'ACCESS_PURPOSE_REQUIRED' } });
  });
});
