/**
 * Progressive display (ADR 0014): summary.open answers at once, from the cache
 * or with every source pending; each source's ending — answer, failure,
 * deadline — pushes the whole re-merged summary, numbered; the last is final
 * and is the one written to the cache. A source that never answers never
 * delays the others.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import type { PatientQuery, SourceAdapter, SourceResult } from '../../../src/main/sources/types';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { createSummaryService } from '../../../src/main/summary/summaryService';
import { CodedError } from '../../../src/shared/errors';
import type { ClinicalItem, Summary } from '../../../src/shared/summary';
import { patientQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-29T12:00:00Z');
const clock = { now: () => NOW };
const logger = createLogger('test');
const dirs: string[] = [];
const caches: CacheHandle[] = [];

afterEach(() => {
  for (const c of caches.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cache(): CacheHandle {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-progressive-'));
  dirs.push(dir);
  const handle = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger, retentionHours: 12 });
  caches.push(handle);
  return handle;
}

function allergy(text: string, sourceId: string): ClinicalItem {
  return {
    section: 'allergies',
    codes: [],
    text,
    details: { criticality: 'high' },
    sealed: false,
    provenance: { sourceId, sourceName: sourceId, recordId: `${sourceId}/${text}`, fetchedAt: NOW.toISOString() },
  } as ClinicalItem;
}

/** A source the test answers by hand: `answer()` / `fail()` end the request under way. */
function manualSource(id: string, timeoutMs = 5_000) {
  let settle: { resolve: (r: SourceResult) => void; reject: (e: unknown) => void } | undefined;
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => (asked = r));
  let lastQuery: PatientQuery | undefined;
  const adapter: SourceAdapter & { calls: number } = {
    id,
    name: id.toUpperCase(),
    kind: 'memory',
    timeoutMs,
    calls: 0,
    fetchPatient: (query) => {
      adapter.calls++;
      lastQuery = query;
      asked();
      return new Promise<SourceResult>((resolve, reject) => (settle = { resolve, reject }));
    },
  };
  return {
    adapter,
    asked: askedOnce,
    answer(texts: string[]) {
      const query = lastQuery as PatientQuery;
      settle?.resolve({ subjects: [{ identifiers: [query.identifier], name: 'Tolvan Tolvansson' }], items: texts.map((t) => allergy(t, id)), fetchedAt: NOW.toISOString() });
    },
    fail() {
      settle?.reject(new CodedError('SOURCE_UNREACHABLE'));
    },
  };
}

/** Resolves with the next pushed update. */
function recorder() {
  const updates: Summary[] = [];
  const waiters: (() => void)[] = [];
  return {
    updates,
    onUpdate(summary: Summary) {
      updates.push(summary);
      for (const w of waiters.splice(0)) w();
    },
    async next(count: number): Promise<Summary> {
      while (updates.length < count) await new Promise<void>((r) => waiters.push(r));
      return updates[count - 1] as Summary;
    },
  };
}

const tolvan = () => patientQuery('19121212-1212', NOW);
const texts = (s: Summary) => s.sections.allergies.map((i) => i.text).sort();
const states = (s: Summary) => Object.fromEntries(s.sources.map((x) => [x.sourceId, x.state]));

describe('progressive summary', () => {
  it('answers at once with every source pending, then one update per ending: fast, slow, failed, deadline', async () => {
    const fast = manualSource('fast');
    const slow = manualSource('slow');
    const failing = manualSource('failing');
    // Never answers; its deadline ends it.
    const hung = manualSource('hung', 300);
    const rec = recorder();
    const service = createSummaryService({ sources: [fast.adapter, slow.adapter, failing.adapter, hung.adapter], clock, logger, onUpdate: rec.onUpdate });

    const { answer, fresh } = await service.openWithRefresh(tolvan());
    const first = materializeSummary(answer);
    expect(states(first)).toEqual({ fast: 'pending', slow: 'pending', failing: 'pending', hung: 'pending' });
    expect(first.sources.find((s) => s.sourceId === 'hung')?.deadlineMs).toBe(300);
    expect(texts(first)).toEqual([]);
    expect(first.refreshing).toBe(true);
    expect(first.patient.nationalId?.value).toBeDefined();
    expect(first.progress).toEqual({ openId: expect.any(String), seq: 0, final: false });
    const openId = first.progress?.openId;

    await fast.asked;
    fast.answer(['Penicillin']);
    const u1 = await rec.next(1);
    expect(states(u1)).toEqual({ fast: 'ok', slow: 'pending', failing: 'pending', hung: 'pending' });
    expect(texts(u1)).toEqual(['Penicillin']);
    expect(u1.patient.name).toBe('Tolvan Tolvansson');
    expect(u1.progress).toEqual({ openId, seq: 1, final: false });
    expect(u1.refreshing).toBe(true);
    // The pending ones say nothing about coverage yet (not "did not answer").
    expect(u1.coverage?.map((c) => c.sourceId)).toEqual(['fast']);

    slow.answer(['Latex']);
    const u2 = await rec.next(2);
    expect(texts(u2)).toEqual(['Latex', 'Penicillin']);
    expect(u2.progress).toEqual({ openId, seq: 2, final: false });

    failing.fail();
    const u3 = await rec.next(3);
    expect(states(u3)).toMatchObject({ failing: 'failed', hung: 'pending' });
    expect(u3.sources.find((s) => s.sourceId === 'failing')?.error).toBe('SOURCE_UNREACHABLE');
    expect(texts(u3)).toEqual(['Latex', 'Penicillin']);

    const final = (await fresh) as Summary;
    expect(rec.updates).toHaveLength(4);
    expect(rec.updates[3]).toBe(final);
    expect(states(final)).toEqual({ fast: 'ok', slow: 'ok', failing: 'failed', hung: 'timeout' });
    expect(final.sources.find((s) => s.sourceId === 'hung')).toMatchObject({ error: 'SOURCE_TIMEOUT', deadlineMs: 300 });
    expect(final.progress).toEqual({ openId, seq: 4, final: true });
    expect(final.refreshing).toBeUndefined();
    expect(texts(final)).toEqual(['Latex', 'Penicillin']);
  });

  it('coalesces endings within one tick into one update', async () => {
    const a = manualSource('a');
    const b = manualSource('b');
    const rec = recorder();
    const service = createSummaryService({ sources: [a.adapter, b.adapter], clock, logger, onUpdate: rec.onUpdate });
    const { fresh } = await service.openWithRefresh(tolvan());
    await Promise.all([a.asked, b.asked]);
    a.answer(['A']);
    b.answer(['B']);
    const final = (await fresh) as Summary;
    expect(rec.updates).toEqual([final]);
    expect(final.progress?.seq).toBe(1);
    expect(texts(final)).toEqual(['A', 'B']);
  });

  it('shows the cached summary first, each fresh answer replaces its source\'s cached part, and only the final is written', async () => {
    const store = cache();
    const a = manualSource('a');
    const b = manualSource('b');
    const rec = recorder();
    const service = createSummaryService({ sources: [a.adapter, b.adapter], clock, logger, cache: store, onUpdate: rec.onUpdate });

    // First visit: live, written to the cache at the end.
    const firstVisit = service.open(tolvan());
    await Promise.all([a.asked, b.asked]);
    a.answer(['Old A']);
    b.answer(['Old B']);
    await firstVisit;
    rec.updates.length = 0;

    const { answer, fresh } = await service.openWithRefresh(tolvan());
    const cached = materializeSummary(answer);
    expect(states(cached)).toEqual({ a: 'cached', b: 'cached' });
    expect(cached.refreshing).toBe(true);
    expect(texts(cached)).toEqual(['Old A', 'Old B']);
    expect(cached.progress).toMatchObject({ seq: 0, final: false });

    await new Promise<void>((r) => setImmediate(r));
    a.answer(['New A']);
    const u1 = await rec.next(1);
    expect(states(u1)).toEqual({ a: 'ok', b: 'cached' });
    // Region b's cached items stay on screen, still marked cached, until it answers.
    expect(texts(u1)).toEqual(['New A', 'Old B']);
    expect(u1.sections.allergies.find((i) => i.text === 'Old B')?.sources.every((p) => p.cached)).toBe(true);
    expect(u1.sections.allergies.find((i) => i.text === 'New A')?.sources.every((p) => !p.cached)).toBe(true);
    // Not written yet: the cache still holds the old summary.
    expect(JSON.parse(store.store?.readMerged(tolvan().identifier)?.sectionsJson.toString('latin1') ?? '{}').allergies.map((i: { text: string }) => i.text).sort()).toEqual(['Old A', 'Old B']);

    b.answer(['New B']);
    const final = (await fresh) as Summary;
    expect(final.progress).toMatchObject({ openId: cached.progress?.openId, seq: 2, final: true });
    expect(texts(final)).toEqual(['New A', 'New B']);
    expect(final.fromCache).toBe(false);
    const stored = store.store?.readMerged(tolvan().identifier);
    expect(JSON.parse(stored?.sectionsJson.toString('latin1') ?? '{}').allergies.map((i: { text: string }) => i.text).sort()).toEqual(['New A', 'New B']);
  });

  it('an open that overlaps a run joins it: one request per source, the latest summary, the same open id', async () => {
    const a = manualSource('a');
    const b = manualSource('b');
    const rec = recorder();
    const service = createSummaryService({ sources: [a.adapter, b.adapter], clock, logger, onUpdate: rec.onUpdate });
    const one = await service.openWithRefresh(tolvan());
    await Promise.all([a.asked, b.asked]);
    a.answer(['A']);
    await rec.next(1);
    const two = await service.openWithRefresh(tolvan());
    const joined = materializeSummary(two.answer);
    expect(joined.progress).toEqual({ openId: materializeSummary(one.answer).progress?.openId, seq: 1, final: false });
    expect(texts(joined)).toEqual(['A']);
    b.answer(['B']);
    expect(await two.fresh).toBe(await one.fresh);
    expect(a.adapter.calls).toBe(1);
    expect(b.adapter.calls).toBe(1);
    // A later open starts a new run with a new id.
    const three = await service.openWithRefresh(tolvan());
    expect(materializeSummary(three.answer).progress?.openId).not.toBe(joined.progress?.openId);
    await new Promise<void>((r) => setImmediate(r));
    a.answer([]);
    b.answer([]);
    await three.fresh;
  });

  it('open() gives non-interactive callers the final summary', async () => {
    const a = manualSource('a');
    const hung = manualSource('hung', 200);
    const service = createSummaryService({ sources: [a.adapter, hung.adapter], clock, logger });
    const opened = service.open(tolvan());
    await a.asked;
    a.answer(['A']);
    const final = await opened;
    expect(states(final)).toEqual({ a: 'ok', hung: 'timeout' });
    expect(final.progress?.final).toBe(true);
  });

  it('a listener that throws does not stop the updates or the final summary', async () => {
    const a = manualSource('a');
    const service = createSummaryService({
      sources: [a.adapter],
      clock,
      logger,
      onUpdate: () => {
        throw new Error('listener');
      },
    });
    const { fresh } = await service.openWithRefresh(tolvan());
    await a.asked;
    a.answer(['A']);
    expect(texts((await fresh) as Summary)).toEqual(['A']);
    await service.settled();
  });
});
