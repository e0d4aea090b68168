/**
 * summary.open with the cache, against two real sandbox regions: the first view
 * is live; later views answer from the cache at once, each source marked
 * 'cached' with the time it last answered, then the fresh summary follows. A
 * region that is down keeps its cached items, marked cached with their age and
 * the refresh's error. Time is moved with the injected clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/app/createServices';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import { SECTION_KEYS, type Summary } from '../../../src/shared/summary';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { sandboxQuery } from '../../fixtures/patientQuery';
import { signInForTest } from '../../fixtures/session';
import { createPushFollower } from '../../fixtures/pushedSummaries';
import type { EventPayload } from '../../../src/shared/api';

const NURSE_VIEW = { role: 'nurse', sections: [...SECTION_KEYS], filtered: [] };
const HOUR = 3_600_000;
const START = Date.parse('2026-11-25T08:00:00Z');
let offset = 0;
const clock = { now: () => new Date(START + offset) };

let nord: FhirSandbox;
let syd: FhirSandbox;
let dir: string;
let cache: CacheHandle;
let services: Services;
const pushed: Summary[] = [];
const follower = createPushFollower();

const query = (key: string) => sandboxQuery(key, clock.now());
const status = (s: Summary, id: string) => s.sources.find((x) => x.sourceId === id);
const allItems = (s: Summary) => Object.values(s.sections).flat();

beforeAll(async () => {
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
  dir = mkdtempSync(join(tmpdir(), 'samsyn-swr-'));
  cache = openCache({
    dir,
    keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 9) },
    clock,
    logger: createLogger('test.cache'),
    retentionHours: 12,
  });
  const sources = [
    createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 2_000, pageSize: 500, clock }),
    createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: syd.url, timeoutMs: 2_000, pageSize: 500, clock }),
  ];
  services = createServices({
    config: { sources: [] },
    sources,
    cache,
    clock,
    logger: createLogger('test'),
    transport: 'preview',
    version: 'test',
  });
  // Fresh summaries are pushed only while someone is signed in (issue 10).
  await signInForTest(services);
  services.events.subscribe((event, payload) => {
    // Read as the renderer does: an update may carry only its head (issue 13).
    if (event === 'summary.updated') pushed.push(follower.follow(payload as EventPayload<'summary.updated'>));
  });
});

afterEach(() => {
  nord.setFault('none');
  syd.setFault('none');
});

afterAll(async () => {
  await services?.summary.settled();
  cache?.close();
  await Promise.all([nord?.close(), syd?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('stale-while-revalidate', () => {
  it('the first view answers at once with every source pending; the live summary follows, pushed, marked fresh', async () => {
    const { answer, fresh } = await services.summary.openWithRefresh(query('tolvan'));
    const first = materializeSummary(answer);
    expect(first.fromCache).toBe(false);
    expect(first.refreshing).toBe(true);
    expect(first.sources.map((s) => s.state)).toEqual(['pending', 'pending']);
    expect(allItems(first)).toHaveLength(0);
    expect(first.progress).toMatchObject({ seq: 0, final: false });
    const summary = (await fresh) as Summary;
    expect(summary.fromCache).toBe(false);
    expect(summary.refreshing).toBeUndefined();
    expect(summary.cache).toEqual({ available: true });
    expect(summary.sources.map((s) => s.state)).toEqual(['ok', 'ok']);
    expect(summary.progress).toMatchObject({ openId: first.progress?.openId, final: true });
    expect(allItems(summary).every((i) => i.sources.every((p) => !p.cached))).toBe(true);
    await services.summary.settled();
    // Pushed as the signed-in nurse's whole view.
    expect(pushed.at(-1)).toEqual({ ...summary, view: NURSE_VIEW });
    expect(pushed.every((u) => u.progress?.openId === first.progress?.openId)).toBe(true);
    pushed.length = 0;
  });

  it('the next view answers from the cache with each source\'s age, then pushes the fresh summary', async () => {
    offset = 3 * HOUR + 12 * 60_000;
    const { answer, fresh } = await services.summary.openWithRefresh(query('tolvan'));
    const summary = materializeSummary(answer);
    expect(summary.fromCache).toBe(true);
    expect(summary.refreshing).toBe(true);
    expect(summary.patient.name).toBe('Tolvan Tolvansson');
    for (const id of ['region-nord', 'region-syd']) {
      expect(status(summary, id)).toMatchObject({ state: 'cached', refreshing: true, fetchedAt: new Date(START).toISOString() });
      expect(status(summary, id)?.itemCount).toBeGreaterThan(0);
    }
    expect(summary.sections.allergies.length).toBeGreaterThan(0);
    expect(allItems(summary).every((i) => i.sources.every((p) => p.cached && p.fetchedAt === new Date(START).toISOString()))).toBe(true);

    const next = await fresh;
    expect(next?.fromCache).toBe(false);
    expect(next?.refreshing).toBeUndefined();
    expect(next?.sources.map((s) => s.state)).toEqual(['ok', 'ok']);
    expect(status(next as Summary, 'region-nord')?.fetchedAt).toBe(clock.now().toISOString());
    await services.summary.settled();
    expect(pushed.at(-1)).toEqual({ ...next, view: NURSE_VIEW });
  });

  it('a region that is down keeps its cached items, marked cached with age and the refresh error', async () => {
    const answeredAt = clock.now().toISOString();
    offset += 2 * HOUR;
    nord.setFault('down');
    const { fresh } = await services.summary.openWithRefresh(query('tolvan'));
    const next = (await fresh) as Summary;
    expect(status(next, 'region-nord')).toMatchObject({ state: 'cached', error: 'SOURCE_UNREACHABLE', fetchedAt: answeredAt });
    expect(status(next, 'region-nord')?.itemCount).toBeGreaterThan(0);
    expect(status(next, 'region-syd')).toMatchObject({ state: 'ok', fetchedAt: clock.now().toISOString() });
    expect(next.fromCache).toBe(true);
    const provenance = allItems(next).flatMap((i) => i.sources);
    // Never presented as fresh: every Region Nord provenance is cached and carries the old time.
    const nordProvenance = provenance.filter((p) => p.sourceId === 'region-nord');
    expect(nordProvenance.length).toBeGreaterThan(0);
    expect(nordProvenance.every((p) => p.cached === true && p.fetchedAt === answeredAt)).toBe(true);
    expect(provenance.filter((p) => p.sourceId === 'region-syd').every((p) => !p.cached)).toBe(true);
  });

  it('with every source stopped the patient still opens from the cache, with correct ages', async () => {
    const answeredAt = clock.now().toISOString();
    offset += 30 * 60_000;
    nord.setFault('down');
    syd.setFault('down');
    const { answer, fresh } = await services.summary.openWithRefresh(query('tolvan'));
    const summary = materializeSummary(answer);
    expect(summary.patient.name).toBe('Tolvan Tolvansson');
    expect(summary.sections.allergies.length).toBeGreaterThan(0);
    const next = (await fresh) as Summary;
    expect(next.sources.map((s) => [s.state, s.error])).toEqual([
      ['cached', 'SOURCE_UNREACHABLE'],
      ['cached', 'SOURCE_UNREACHABLE'],
    ]);
    // Region Syd answered 30 minutes ago; Region Nord's copy is the older one from before it went down.
    expect(status(next, 'region-syd')?.fetchedAt).toBe(answeredAt);
    expect(Date.parse(status(next, 'region-nord')?.fetchedAt ?? '')).toBe(Date.parse(answeredAt) - 2 * HOUR);
    expect(next.sections.allergies.length).toBe(summary.sections.allergies.length);
  });

  it('a patient never seen is asked live; with every source down it shows the failures, not an empty cache', async () => {
    nord.setFault('down');
    const s = await services.summary.open(query('kari'));
    expect(s.fromCache).toBe(false);
    expect(status(s, 'region-nord')).toMatchObject({ state: 'failed', error: 'SOURCE_UNREACHABLE' });
  });

  it('after the retention time the cached data is gone: the view is live again', async () => {
    offset += 13 * HOUR;
    expect(cache.store?.read(query('tolvan').identifier)).toEqual([]);
    const removed = cache.store?.purgeExpired();
    expect(removed).toBeGreaterThan(0);
    const { answer, fresh } = await services.summary.openWithRefresh(query('tolvan'));
    const summary = materializeSummary(answer);
    expect(summary.fromCache).toBe(false);
    expect(summary.sources.map((s) => s.state)).toEqual(['pending', 'pending']);
    expect((await fresh)?.fromCache).toBe(false);
  });

  it('"Töm cache" removes everything and reports counts only', async () => {
    await services.summary.open(query('tolvan'));
    const before = await services.handlers['cache.status']({});
    expect(before).toMatchObject({ ok: true, value: { available: true, patients: 1, retentionHours: 12 } });
    const cleared = await services.handlers['cache.clear']({});
    expect(cleared.ok && cleared.value.removed).toBeGreaterThan(0);
    const after = await services.handlers['cache.status']({});
    expect(after).toMatchObject({ ok: true, value: { patients: 0, snapshots: 0 } });
  });
});
