/**
 * summary.open: ask every configured source in parallel, each with its own
 * deadline (askSource); reject answers about anyone else; merge; report per
 * source what happened. A source's failure is never dropped: it becomes a
 * SourceStatus.
 *
 * With a cache (stale-while-revalidate, cachedAnswer): a patient seen before is
 * answered at once from the cache, every source marked 'cached' with the time
 * it last answered; the sources are then asked and the fresh summary is handed
 * to onFresh (pushed to the renderer as 'summary.updated'). A source that fails
 * keeps its cached items, still marked 'cached' with their age and the error of
 * the failed refresh: cached data is never presented as fresh.
 */
import type { CacheNotice, ClinicalItem, Summary } from '../../shared/summary';
import type { SourceSnapshot } from '../cache/cacheStore';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { PatientQuery, SourceAdapter } from '../sources/types';
import { askSource } from './askSource';
import { cachedStatus, createCacheAccess, fromMerged, fromSnapshot, type Contribution, type SummaryCache } from './cachedAnswer';
import { coverageOf } from './coverage';
import { mergeSummary } from './merge';
import { patientHeader } from './patientHeader';
import { materializeSummary, type SummaryAnswer } from './summaryAnswer';

export type { SummaryCache } from './cachedAnswer';

export interface SummaryService {
  /** The first answer as a Summary: cached (refreshing) when the patient was seen before, else fresh. */
  open(query: PatientQuery): Promise<Summary>;
  /**
   * The first answer as the transports get it (a cached one in its
   * pre-serialized envelope), and the fresh one when the first came from the cache.
   */
  openWithRefresh(query: PatientQuery): Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }>;
  /** Resolves when every background refresh started so far has finished. */
  settled(): Promise<void>;
}

export function createSummaryService(deps: {
  sources: SourceAdapter[];
  clock: Clock;
  logger: Logger;
  cache?: SummaryCache;
  /** How the merge groups items (the recently-stopped window). */
  merge?: { recentlyStoppedDays?: number };
  /**
   * A cached summary whose every source answered within this many ms is given
   * as it is (marked cached, with its age) without asking the sources again.
   * 0 (default): every cached open is refreshed.
   */
  freshForMs?: number;
  /** Receives the fresh summary that follows a cached answer. */
  onFresh?: (summary: Summary) => void;
}): SummaryService {
  const { sources, clock, logger } = deps;
  const cache = createCacheAccess(deps.cache, logger);
  const pending = new Set<Promise<unknown>>();
  /** One refresh per patient at a time: opens that overlap share it. */
  const inFlight = new Map<string, Promise<Summary>>();
  const patientKey = (query: PatientQuery) => `${query.identifier.system ?? ''}|${query.identifier.value}`;

  function build(query: PatientQuery, parts: Contribution[], notice: CacheNotice | undefined, refreshing: boolean): Summary {
    const items: ClinicalItem[] = parts.flatMap((p) => p.items);
    const visible = items.filter((i) => !i.sealed);
    const now = clock.now();
    const merged = mergeSummary(visible, { now, ...deps.merge });
    return {
      patient: patientHeader(query, parts),
      sections: merged.sections,
      sources: parts.map((p) => p.status),
      generatedAt: now.toISOString(),
      fromCache: parts.some((p) => p.status.state === 'cached'),
      hiddenSealed: items.length - visible.length,
      retracted: merged.retracted,
      coverage: coverageOf(parts),
      ...(refreshing ? { refreshing: true } : {}),
      ...(notice ? { cache: notice } : {}),
    };
  }

  /**
   * Asks every source; a failed source falls back to its cached snapshot,
   * marked as such. `known` is undefined when the snapshots were not read yet:
   * they are then read only if a source failed.
   */
  async function refresh(query: PatientQuery, known: SourceSnapshot[] | undefined, notice: CacheNotice | undefined): Promise<Summary> {
    const outcomes = await Promise.all(sources.map((s) => askSource(s, query, logger)));
    let snapshots = known ?? [];
    if (!known && outcomes.some((o) => !o.result)) {
      const read = cache.snapshots(query);
      snapshots = read.snapshots;
      notice = read.notice ?? notice;
    }
    const answered: SourceSnapshot[] = outcomes.flatMap((o) =>
      o.result ? [{ sourceId: o.status.sourceId, answeredAt: o.result.fetchedAt, subjects: o.result.subjects, items: o.result.items }] : [],
    );
    const parts = outcomes.map((o): Contribution => {
      if (o.result) return { sourceId: o.status.sourceId, status: o.status, subjects: o.result.subjects, items: o.result.items };
      const snapshot = snapshots.find((s) => s.sourceId === o.status.sourceId);
      return fromSnapshot(snapshot ? { ...o.status, state: 'cached' } : o.status, snapshot);
    });
    const summary = build(query, parts, notice, false);
    const failedWrite = cache.write(query, answered, summary, parts);
    if (failedWrite) summary.cache = failedWrite;
    return summary;
  }

  /** The refresh for this patient: the one already under way, or a new one. */
  function sharedRefresh(query: PatientQuery, known: SourceSnapshot[] | undefined, notice: CacheNotice | undefined): { fresh: Promise<Summary>; started: boolean } {
    const key = patientKey(query);
    const running = inFlight.get(key);
    if (running) return { fresh: running, started: false };
    const fresh = refresh(query, known, notice);
    inFlight.set(key, fresh);
    void fresh.then(
      () => inFlight.delete(key),
      () => inFlight.delete(key),
    );
    return { fresh, started: true };
  }

  function track(fresh: Promise<Summary>): void {
    const tracked = fresh.then(
      (s) => {
        try {
          deps.onFresh?.(s);
        } catch (err) {
          logger.error({ err: (err as Error)?.name ?? typeof err }, 'fresh summary listener failed');
        }
      },
      (err: unknown) => logger.error({ err: (err as Error)?.name ?? typeof err }, 'background refresh failed'),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  }

  async function openWithRefresh(query: PatientQuery): Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }> {
    const { merged, snapshots, notice } = cache.read(query);
    const cachedNotice = notice ?? { available: true };
    let answer: SummaryAnswer;
    const now = clock.now();
    if (merged && isRecent(merged.sources, now)) {
      return { answer: fromMerged(merged, sources, cachedNotice, now.toISOString(), false) };
    }
    if (merged) {
      answer = fromMerged(merged, sources, cachedNotice, now.toISOString());
    } else if (snapshots && snapshots.length > 0) {
      const parts = sources.map((source) => fromSnapshot(cachedStatus(source), snapshots.find((s) => s.sourceId === source.id)));
      answer = build(query, parts, cachedNotice, true);
    } else {
      return { answer: await sharedRefresh(query, snapshots, notice).fresh };
    }
    const { fresh, started } = sharedRefresh(query, snapshots, notice);
    // A refresh already under way pushes its summary once, for every open that shares it.
    if (started) track(fresh);
    return { answer, fresh };
  }

  /** Every configured source answered within the freshness window. */
  function isRecent(answered: readonly { sourceId: string; answeredAt: string }[], now: Date): boolean {
    const window = deps.freshForMs ?? 0;
    if (window <= 0) return false;
    return sources.every((s) => {
      const at = answered.find((a) => a.sourceId === s.id)?.answeredAt;
      return at !== undefined && now.getTime() - Date.parse(at) <= window;
    });
  }

  return {
    openWithRefresh,
    async open(query) {
      return materializeSummary((await openWithRefresh(query)).answer);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
