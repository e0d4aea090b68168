/**
 * A source's count of records it could not read (ADR 0033) is said again when
 * its answer is shown from the cache: a FHIR server on 127.0.0.1 whose answer
 * holds one Observation of the wrong shape; the live open counts it, and every
 * later open from the cache (the stored merged summary, the stored snapshots
 * when the source fails, and the snapshots a non-neutral viewer's summary is
 * rebuilt from) shows the same count with the cached records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import { createSummaryService, HIDE_SEALED, type ItemPolicy } from '../../../src/main/summary/summaryService';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { loadFhirFixture, TOLVAN } from '../../fixtures/fhir/load';

let server: Server;
let base: string;
let dir: string;
let cache: CacheHandle;
/** When set, every request fails with this HTTP status. */
let failWith: number | undefined;

/** An Observation whose status is an object, not a code: its mapper cannot read it. */
const unreadable = { ...loadFhirFixture('observation-blood-pressure.json'), id: 'obs-bad-1', status: { code: 'final' } } as unknown as Resource;

function searchset(matches: Resource[]): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', link: [], entry: matches.map((resource) => ({ resource, search: { mode: 'match' as const } })) };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (failWith !== undefined) {
    res.writeHead(failWith, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType":"OperationOutcome","issue":[]}');
    return;
  }
  const type = new URL(req.url ?? '/', 'http://fixture').pathname.replace(/^\/fhir\//, '');
  const body =
    type === 'Patient'
      ? searchset([loadFhirFixture('patient-tolvan.json')])
      : type === 'Observation'
        ? searchset([loadFhirFixture('observation-hba1c.json'), unreadable, loadFhirFixture('observation-crp-less-than.json')])
        : searchset([]);
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

const clock = { now: () => new Date('2024-11-02T10:00:00.000Z') };
const SKIPPED = { code: 'SOURCE_BAD_RESPONSE', count: 1 };

function service(policy?: ItemPolicy) {
  const source = createFhirSource({ id: 'region-test', name: 'Region Test', baseUrl: base, timeoutMs: 10_000, clock });
  return createSummaryService({
    sources: [source],
    clock,
    logger: createLogger('test'),
    cache: { store: cache.store, notice: cache.notice },
    ...(policy ? { policy: () => policy } : {}),
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  dir = mkdtempSync(join(tmpdir(), 'samsyn-cached-skipped-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 5) }, clock, logger: createLogger('test.cache'), retentionHours: 12 });
});

beforeEach(() => {
  failWith = undefined;
});

afterAll(async () => {
  cache?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a cached answer says what its source could not read', () => {
  it('the live open counts the unreadable record; the cached open shows the same count', async () => {
    const live = await service().open({ identifier: { ...TOLVAN } });
    expect(live.sources[0]).toMatchObject({ state: 'ok', itemCount: 2, skipped: SKIPPED });

    const { answer, fresh } = await service().openWithRefresh({ identifier: { ...TOLVAN } });
    const cached = materializeSummary(answer);
    expect(cached.fromCache).toBe(true);
    expect(cached.sources[0]).toMatchObject({ state: 'cached', itemCount: 2, skipped: SKIPPED });
    expect(cached.sections.results).toHaveLength(2);
    // And the refresh that follows counts it again, live.
    expect((await fresh)?.sources[0]).toMatchObject({ state: 'ok', skipped: SKIPPED });
  });

  it('a failed refresh falls back to the snapshot with its count and the refresh error', async () => {
    await service().open({ identifier: { ...TOLVAN } });
    failWith = 500;
    const { fresh } = await service().openWithRefresh({ identifier: { ...TOLVAN } });
    const summary = await fresh;
    expect(summary?.sources[0]).toMatchObject({ state: 'cached', itemCount: 2, skipped: SKIPPED });
    expect(summary?.sources[0]?.error).toBeDefined();
    expect(summary?.sections.results).toHaveLength(2);
  });

  it('a viewer whose summary is rebuilt from the snapshots sees the same count', async () => {
    await service().open({ identifier: { ...TOLVAN } });
    const rebuilt = service({ ...HIDE_SEALED, neutral: false });
    const { answer, fresh } = await rebuilt.openWithRefresh({ identifier: { ...TOLVAN } });
    const cached = materializeSummary(answer);
    expect(cached.fromCache).toBe(true);
    expect(cached.sources[0]).toMatchObject({ state: 'cached', itemCount: 2, skipped: SKIPPED });
    await fresh;
  });
});
