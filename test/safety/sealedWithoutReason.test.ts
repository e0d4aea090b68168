/**
 * Hazard H7 (SAFETY.md): sealed information shown without a reason. Kari's
 * Norwegian region (Helse Vest, sperret) holds two sealed records: opened for
 * ordinary care they are hidden and only counted; an emergency needs a stated
 * reason; a reveal needs a declared emergency; only then are they shown.
 * Controls: the sealed-item policy (src/main/access/sealedPolicy.ts) and the reason required for an emergency
 * (src/main/access/accessContexts.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import { readConfig } from '../../src/main/app/config';
import { openAccessLog, type AccessLog } from '../../src/main/audit';
import { createLogger } from '../../src/main/platform/logger';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import type { Summary } from '../../src/shared/summary';
import { openFinal } from '../fixtures/openFinal';
import { signInForTest } from '../fixtures/session';
import { NOW } from './hazardFixtures';

const KARI = sandboxPatient('kari').identifier.value;
const SEALED = ['F32.1', 'N06AB06'];
let vest: FhirSandbox;
let dir: string;
let log: AccessLog;
let services: Services;

const codes = (s: Summary) => Object.values(s.sections).flat().flatMap((i) => i.codes.map((c) => c.code));

beforeAll(async () => {
  vest = await startFhirSandbox({ region: 'vest' });
  dir = mkdtempSync(join(tmpdir(), 'samsyn-hazard-sealed-'));
  const clock = { now: () => NOW };
  const logger = createLogger('test');
  log = openAccessLog({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger });
  services = createServices({
    config: readConfig({ sources: [{ id: 'helse-vest', name: 'Helse Vest', kind: 'fhir-r4', baseUrl: vest.url, timeoutMs: 10_000, access: { law: 'NO' } }] }),
    clock,
    logger,
    transport: 'preview',
    version: 'test',
    accessLog: { log },
  });
});
afterAll(async () => {
  await services.summary.settled();
  await vest.close();
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('H7 sealed information shown without a reason', () => {
  it('hides sealed records for care, asks for a reason in an emergency, shows them only when revealed', async () => {
    await signInForTest(services, 'aino.nurse');
    const care = await openFinal(services, KARI);
    if (!care.ok) throw new Error(care.error.code);
    expect(codes(care.final)).not.toEqual(expect.arrayContaining([SEALED[0]]));
    expect(codes(care.final)).not.toEqual(expect.arrayContaining([SEALED[1]]));
    expect(care.final.hiddenSealed).toBe(2);
    // No reveal without a declared emergency; no emergency without a reason.
    expect(await services.handlers['summary.reveal']({ patient: KARI, sourceId: 'helse-vest', basis: 'emergency', reason: 'Akutt' })).toEqual({
      ok: false,
      error: { code: 'ACCESS_PURPOSE_REQUIRED' },
    });
    expect(await services.handlers['summary.open']({ patient: KARI, purpose: 'emergency', reason: '  ' })).toEqual({ ok: false, error: { code: 'ACCESS_REASON_REQUIRED' } });
    // Declared with a reason: still hidden until revealed.
    expect((await services.handlers['summary.open']({ patient: KARI, purpose: 'emergency', reason: 'Bevisstløs ved ankomst' })).ok).toBe(true);
    await services.summary.settled();
    const pushed: Summary[] = [];
    const stop = services.events.subscribe((event, payload) => {
      if (event === 'summary.updated') pushed.push((payload as { summary: Summary }).summary);
    });
    expect((await services.handlers['summary.reveal']({ patient: KARI, sourceId: 'helse-vest', basis: 'emergency', reason: 'Trenger medisinlisten' })).ok).toBe(true);
    await services.summary.settled();
    stop();
    expect(codes(pushed.at(-1) as Summary)).toEqual(expect.arrayContaining(SEALED));
  });
});
