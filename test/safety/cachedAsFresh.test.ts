/**
 * Hazard H2 (SAFETY.md): cached data shown as fresh. Tolvan is opened once
 * (both regions answer, the summary is cached); hours later Region Nord is
 * down: its items are still shown, but its status is 'cached' with the
 * refresh's error and the time it last answered, every one of its items is
 * marked cached with that time, and the summary says it holds cached data.
 * Control: a failed refresh keeps the snapshot marked cached (src/main/summary/cachedAnswer.ts cachedItems, fromSnapshot; summaryService partOf).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import { openCache, type CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { openFinal } from '../fixtures/openFinal';
import { signInForTest } from '../fixtures/session';
import { allItems, statusOf } from './hazardFixtures';

const START = Date.parse('2026-11-25T08:00:00Z');
let offset = 0;
const clock = { now: () => new Date(START + offset) };
let nord: FhirSandbox;
let syd: FhirSandbox;
let dir: string;
let cache: CacheHandle;
let services: Services;

beforeAll(async () => {
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
  dir = mkdtempSync(join(tmpdir(), 'samsyn-hazard-cache-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 9) }, clock, logger: createLogger('test'), retentionHours: 12 });
  services = createServices({
    config: { sources: [] },
    sources: [
      createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 5_000, clock }),
      createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: syd.url, timeoutMs: 5_000, clock }),
    ],
    cache,
    clock,
    logger: createLogger('test'),
    transport: 'preview',
    version: 'test',
  });
  await signInForTest(services);
});
afterAll(async () => {
  await services?.summary.settled();
  cache?.close();
  await Promise.all([nord?.close(), syd?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('H2 cached shown as fresh', () => {
  it('a region down at the refresh keeps its items marked cached, with their age and the error', async () => {
    const first = await openFinal(services, '19121212-1212');
    expect(first.ok && first.final.fromCache).toBe(false);
    const answeredAt = clock.now().toISOString();

    offset = 3 * 3_600_000;
    nord.setFault('down');
    const next = await openFinal(services, '19121212-1212');
    if (!next.ok) throw new Error(next.error.code);
    const s = next.final;
    expect(statusOf(s, 'region-nord')).toMatchObject({ state: 'cached', error: 'SOURCE_UNREACHABLE', fetchedAt: answeredAt });
    expect(statusOf(s, 'region-syd')).toMatchObject({ state: 'ok', fetchedAt: clock.now().toISOString() });
    expect(s.fromCache).toBe(true);
    const nordRecords = allItems(s).flatMap((i) => i.sources).filter((p) => p.sourceId === 'region-nord');
    expect(nordRecords.length).toBeGreaterThan(0);
    for (const p of nordRecords) expect(p).toMatchObject({ cached: true, fetchedAt: answeredAt });
  });
});
