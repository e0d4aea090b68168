/**
 * Load held: opens of one patient that overlap share one request per source,
 * and a cached summary whose sources all answered within the freshness window
 * is given as it is (still marked cached, with its age) without asking again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { createSummaryService } from '../../../src/main/summary/summaryService';
import { patientQuery } from '../../fixtures/patientQuery';

const START = Date.parse('2026-11-29T08:00:00Z');
let offset = 0;
const clock = { now: () => new Date(START + offset) };
const dirs: string[] = [];
const caches: CacheHandle[] = [];

afterEach(() => {
  for (const c of caches.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  offset = 0;
});

/** A source that counts its requests and answers after a pause. */
function countingSource(): SourceAdapter & { calls: number } {
  const source = {
    id: 'region',
    name: 'Region',
    kind: 'memory',
    timeoutMs: 2_000,
    calls: 0,
    fetchPatient: async (query: Parameters<SourceAdapter['fetchPatient']>[0]) => {
      source.calls++;
      await new Promise((r) => setTimeout(r, 50));
      return { subjects: [{ identifiers: [query.identifier] }], items: [], fetchedAt: clock.now().toISOString() };
    },
  };
  return source;
}

function cache(): CacheHandle {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-shared-'));
  dirs.push(dir);
  const handle = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 5) }, clock, logger: createLogger('test'), retentionHours: 12 });
  caches.push(handle);
  return handle;
}

const tolvan = () => patientQuery('19121212-1212', clock.now());

describe('shared refreshes and the freshness window', () => {
  it('asks each source once for overlapping opens of the same patient', async () => {
    const source = countingSource();
    const service = createSummaryService({ sources: [source], clock, logger: createLogger('test') });
    const answers = await Promise.all(Array.from({ length: 5 }, () => service.open(tolvan())));
    expect(source.calls).toBe(1);
    expect(answers.every((a) => a.sources[0]?.state === 'ok')).toBe(true);
  });

  it('refreshes a cached patient once for overlapping cached opens, and not at all within the freshness window', async () => {
    const source = countingSource();
    const service = createSummaryService({ sources: [source], clock, logger: createLogger('test'), cache: cache(), freshForMs: 60_000 });
    await service.open(tolvan());
    expect(source.calls).toBe(1);

    offset = 30_000;
    const within = await service.openWithRefresh(tolvan());
    expect(within.fresh).toBeUndefined();
    const shown = materializeSummary(within.answer);
    expect(shown.fromCache).toBe(true);
    expect(shown.refreshing).toBeUndefined();
    expect(shown.sources[0]).toMatchObject({ state: 'cached', fetchedAt: new Date(START).toISOString() });
    expect(source.calls).toBe(1);

    offset = 120_000;
    const opens = await Promise.all(Array.from({ length: 4 }, () => service.openWithRefresh(tolvan())));
    await Promise.all(opens.map((o) => o.fresh));
    await service.settled();
    expect(source.calls).toBe(2);
  });
});
