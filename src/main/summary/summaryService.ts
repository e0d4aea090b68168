/**
 * summary.open: ask every configured source in parallel, each with its own
 * deadline; reject answers about anyone else; merge; report per source what
 * happened. A source's failure is never dropped: it becomes a SourceStatus.
 *
 * With a cache (stale-while-revalidate): a patient seen before is answered at
 * once from the cached snapshots, every source marked 'cached' with the time it
 * last answered; the sources are then asked and the fresh summary is handed to
 * onFresh (pushed to the renderer as 'summary.updated'). A source that fails
 * keeps its cached items, still marked 'cached' with their age and the error of
 * the failed refresh: cached data is never presented as fresh.
 */
import { performance } from 'node:perf_hooks';
import { CodedError, type ErrorCode } from '../../shared/errors';
import {
  type CacheNotice,
  type ClinicalItem,
  type PatientHeader,
  type SourceState,
  type SourceStatus,
  type Summary,
} from '../../shared/summary';
import type { Clock } from '../platform/clock';
import type { CachedSummary, CacheStore, SourceSnapshot, StoredSummary } from '../cache/cacheStore';
import type { Logger } from '../platform/logger';
import type { PatientQuery, SourceAdapter, SourceResult, SubjectIdentity } from '../sources/types';
import { guardIdentity } from './identityGuard';
import { mergeItems } from './merge';
import { withStoredSections } from './storedSections';

export interface SummaryService {
  /** The first answer: cached (refreshing) when the patient was seen before, else fresh. */
  open(query: PatientQuery): Promise<Summary>;
  /** The first answer, and the fresh one when the first came from the cache. */
  openWithRefresh(query: PatientQuery): Promise<{ summary: Summary; fresh?: Promise<Summary> }>;
  /** Resolves when every background refresh started so far has finished. */
  settled(): Promise<void>;
}

/** What the service needs of the cache: the store when open, and how it stands. */
export interface SummaryCache {
  store?: Pick<CacheStore, 'read' | 'readMerged' | 'write'>;
  notice: CacheNotice;
}

interface Outcome {
  status: SourceStatus;
  result?: SourceResult;
}

/** Items and subjects one source contributes to a summary, fresh or cached. */
interface Contribution {
  sourceId: string;
  status: SourceStatus;
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

/**
 * A source's part of the summary taken from its cached snapshot, marked with
 * the snapshot's time; without a snapshot the status stands alone, with nothing.
 */
function fromSnapshot(status: SourceStatus, snapshot: SourceSnapshot | undefined): Contribution {
  if (!snapshot) return { sourceId: status.sourceId, status, subjects: [], items: [] };
  return {
    sourceId: status.sourceId,
    status: { ...status, fetchedAt: snapshot.answeredAt, itemCount: snapshot.items.length },
    subjects: snapshot.subjects,
    items: cachedItems(snapshot),
  };
}

function cachedItems(snapshot: SourceSnapshot): ClinicalItem[] {
  // The snapshot's time is the items' age, whatever they carried when stored.
  return snapshot.items.map((i) => ({ ...i, provenance: { ...i.provenance, fetchedAt: snapshot.answeredAt, cached: true } }));
}

function stateFor(code: ErrorCode): SourceState {
  if (code === 'SOURCE_TIMEOUT') return 'timeout';
  if (code === 'PATIENT_MISMATCH') return 'rejected';
  if (code === 'SOURCE_DISABLED') return 'disabled';
  return 'failed';
}

/** Runs one source under its deadline; resolves even when the adapter ignores the signal. */
async function askSource(source: SourceAdapter, query: PatientQuery): Promise<SourceResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new CodedError('SOURCE_TIMEOUT', { ms: source.timeoutMs });
      controller.abort(reason);
      reject(reason);
    }, source.timeoutMs);
  });
  try {
    return await Promise.race([source.fetchPatient(query, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    // A late answer after the deadline is discarded: the race is already decided.
    deadline.catch(() => undefined);
  }
}

function header(query: PatientQuery, parts: Contribution[]): PatientHeader {
  const subjects: { sourceId: string; subject: SubjectIdentity }[] = parts.flatMap((p) =>
    p.subjects.map((subject) => ({ sourceId: p.sourceId, subject })),
  );
  const named = subjects.filter((s) => s.subject.name);
  const names = new Set(named.map((s) => s.subject.name));
  const first = subjects[0]?.subject;
  const nid = query.nationalId;
  return {
    identifier: query.identifier,
    ...(nid ? { nationalId: { country: nid.country, kind: nid.kind, value: nid.value } } : {}),
    ...(named[0]?.subject.name ? { name: named[0].subject.name } : {}),
    ...(first?.birthDate ?? nid?.birthDate ? { birthDate: first?.birthDate ?? nid?.birthDate } : {}),
    ...(first?.gender ?? nid?.sex ? { gender: first?.gender ?? nid?.sex } : {}),
    ...(names.size > 1
      ? { nameConflicts: named.map((s) => ({ sourceId: s.sourceId, value: s.subject.name ?? '' })) }
      : {}),
  };
}

export function createSummaryService(deps: {
  sources: SourceAdapter[];
  clock: Clock;
  logger: Logger;
  cache?: SummaryCache;
  /** Receives the fresh summary that follows a cached answer. */
  onFresh?: (summary: Summary) => void;
}): SummaryService {
  const { sources, clock, logger, cache } = deps;
  const pending = new Set<Promise<unknown>>();

  async function runOne(source: SourceAdapter, query: PatientQuery): Promise<Outcome> {
    const started = performance.now();
    const base = { sourceId: source.id, name: source.name };
    try {
      const result = guardIdentity(await askSource(source, query), query);
      const ms = Math.round(performance.now() - started);
      logger.info({ source: source.id, items: result.items.length, ms }, 'source answered');
      return {
        result,
        status: { ...base, state: 'ok', fetchedAt: result.fetchedAt, itemCount: result.items.length, ms },
      };
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      const code: ErrorCode = err instanceof CodedError ? err.code : 'INTERNAL';
      if (!(err instanceof CodedError)) {
        // Only the error's class name: an unexpected message may quote the response.
        logger.error({ source: source.id, err: (err as Error)?.name ?? typeof err }, 'source crashed');
      } else {
        logger.warn({ source: source.id, code, ms }, 'source failed');
      }
      return { status: { ...base, state: stateFor(code), error: code, itemCount: 0, ms } };
    }
  }

  function build(query: PatientQuery, parts: Contribution[], notice: CacheNotice | undefined, refreshing: boolean): Summary {
    const items: ClinicalItem[] = parts.flatMap((p) => p.items);
    const visible = items.filter((i) => !i.sealed);
    return {
      patient: header(query, parts),
      sections: mergeItems(visible),
      sources: parts.map((p) => p.status),
      generatedAt: clock.now().toISOString(),
      fromCache: parts.some((p) => p.status.state === 'cached'),
      hiddenSealed: items.length - visible.length,
      ...(refreshing ? { refreshing: true } : {}),
      ...(notice ? { cache: notice } : {}),
    };
  }

  /**
   * The cached answer from the stored merged summary: no re-merge, and the
   * sections left as the stored JSON until someone reads them. Every item is
   * marked cached; every configured source is 'cached' with its snapshot's time.
   */
  function fromMerged(merged: StoredSummary, notice: CacheNotice): Summary {
    // Stored with every provenance already marked cached (see refresh).
    return withStoredSections({
      patient: merged.patient,
      sources: sources.map((source) => {
        const part = merged.sources.find((s) => s.sourceId === source.id);
        const base = { sourceId: source.id, name: source.name, state: 'cached' as const, refreshing: true };
        return part ? { ...base, fetchedAt: part.answeredAt, itemCount: part.itemCount } : { ...base, itemCount: 0 };
      }),
      generatedAt: clock.now().toISOString(),
      fromCache: true,
      hiddenSealed: merged.hiddenSealed,
      refreshing: true,
      cache: notice,
    }, merged.sectionsJson);
  }

  /** The cached answer rebuilt from snapshots (when no merged summary is stored). */
  function fromSnapshots(query: PatientQuery, snapshots: SourceSnapshot[], notice: CacheNotice): Summary {
    const parts = sources.map((source): Contribution => {
      const status = { sourceId: source.id, name: source.name, state: 'cached' as const, refreshing: true, itemCount: 0 };
      return fromSnapshot(status, snapshots.find((s) => s.sourceId === source.id));
    });
    return build(query, parts, notice, true);
  }

  function cacheErrorNotice(err: unknown, what: string): CacheNotice {
    const code: ErrorCode = err instanceof CodedError ? err.code : 'CACHE_UNAVAILABLE';
    logger.warn({ code, sqlite: (err as { code?: string }).code ?? 'none' }, `cache ${what} failed`);
    return { ...(cache?.notice ?? { available: false }), error: code };
  }

  /** What the cache holds for the patient: the merged summary, else the snapshots. */
  function readCache(query: PatientQuery): { merged?: StoredSummary; snapshots?: SourceSnapshot[]; notice: CacheNotice | undefined } {
    if (!cache?.store) return { snapshots: [], notice: cache?.notice };
    try {
      const merged = cache.store.readMerged(query.identifier);
      if (merged) return { merged, notice: cache.notice };
      return { snapshots: cache.store.read(query.identifier), notice: cache.notice };
    } catch (err) {
      return { snapshots: [], notice: cacheErrorNotice(err, 'read') };
    }
  }

  /**
   * Asks every source; a failed source falls back to its cached snapshot,
   * marked as such. `known` is undefined when the snapshots were not read yet:
   * they are then read only if a source failed.
   */
  async function refresh(query: PatientQuery, known: SourceSnapshot[] | undefined, notice: CacheNotice | undefined): Promise<Summary> {
    const outcomes = await Promise.all(sources.map((s) => runOne(s, query)));
    let snapshots = known ?? [];
    if (!known && cache?.store && outcomes.some((o) => !o.result)) {
      try {
        snapshots = cache.store.read(query.identifier);
      } catch (err) {
        notice = cacheErrorNotice(err, 'read');
      }
    }
    const answered: SourceSnapshot[] = outcomes.flatMap((o) =>
      o.result
        ? [{ sourceId: o.status.sourceId, answeredAt: o.result.fetchedAt, subjects: o.result.subjects, items: o.result.items }]
        : [],
    );
    const parts = outcomes.map((o): Contribution => {
      if (o.result) return { sourceId: o.status.sourceId, status: o.status, subjects: o.result.subjects, items: o.result.items };
      const snapshot = snapshots.find((s) => s.sourceId === o.status.sourceId);
      return fromSnapshot(snapshot ? { ...o.status, state: 'cached' } : o.status, snapshot);
    });
    const summary = build(query, parts, notice, false);
    if (cache?.store && answered.length > 0) {
      // Marked cached when stored: it is only ever read back as cached, and
      // marking it here keeps that work off the open-from-cache path.
      const sections = Object.fromEntries(
        Object.entries(summary.sections).map(([key, items]) => [
          key,
          items.map((item) => ({ ...item, sources: item.sources.map((p) => ({ ...p, cached: true })) })),
        ]),
      ) as Summary['sections'];
      const merged: CachedSummary = {
        patient: summary.patient,
        sections,
        hiddenSealed: summary.hiddenSealed,
        sources: parts.flatMap((p) =>
          p.status.fetchedAt ? [{ sourceId: p.sourceId, answeredAt: p.status.fetchedAt, itemCount: p.status.itemCount }] : [],
        ),
      };
      try {
        cache.store.write(query.identifier, answered, merged);
      } catch (err) {
        summary.cache = cacheErrorNotice(err, 'write');
      }
    }
    return summary;
  }

  async function openWithRefresh(query: PatientQuery): Promise<{ summary: Summary; fresh?: Promise<Summary> }> {
    const { merged, snapshots, notice } = readCache(query);
    const cachedNotice = notice ?? { available: true };
    let summary: Summary;
    if (merged) summary = fromMerged(merged, cachedNotice);
    else if (snapshots && snapshots.length > 0) summary = fromSnapshots(query, snapshots, cachedNotice);
    else return { summary: await refresh(query, snapshots, notice) };
    const fresh = refresh(query, snapshots, notice);
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
    return { summary, fresh };
  }

  return {
    openWithRefresh,
    async open(query) {
      return (await openWithRefresh(query)).summary;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
