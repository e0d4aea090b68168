/**
 * Answering from the local cache, and keeping it: the cached answer given at
 * once (every source 'cached' with the time its snapshot was taken, every item
 * marked cached), a failed source's fallback to its snapshot, and the write of
 * a fresh summary. A cache that fails to read or write never fails the
 * summary: its notice says so and the summary is built live.
 */
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { CacheNotice, ClinicalItem, SourceStatus, Summary } from '../../shared/summary';
import type { CachedSummary, CacheStore, SourceSnapshot, StoredSummary } from '../cache/cacheStore';
import type { Logger } from '../platform/logger';
import type { PatientQuery, SourceAdapter, SubjectIdentity } from '../sources/types';
import { preserialized, type PreserializedSummary } from './summaryAnswer';

/** What the service needs of the cache: the store when open, and how it stands. */
export interface SummaryCache {
  store?: Pick<CacheStore, 'read' | 'readMerged' | 'write'>;
  notice: CacheNotice;
}

/** Items and subjects one source contributes to a summary, fresh or cached. */
export interface Contribution {
  sourceId: string;
  status: SourceStatus;
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

/** What the cache holds for a patient: the merged summary, else the snapshots. */
export interface CacheRead {
  merged?: StoredSummary;
  snapshots?: SourceSnapshot[];
  notice: CacheNotice | undefined;
}

function cachedItems(snapshot: SourceSnapshot): ClinicalItem[] {
  // The snapshot's time is the items' age, whatever they carried when stored.
  return snapshot.items.map((i) => ({ ...i, provenance: { ...i.provenance, fetchedAt: snapshot.answeredAt, cached: true } }));
}

/**
 * A source's part of the summary taken from its cached snapshot, marked with
 * the snapshot's time; without a snapshot the status stands alone, with nothing.
 */
export function fromSnapshot(status: SourceStatus, snapshot: SourceSnapshot | undefined): Contribution {
  if (!snapshot) return { sourceId: status.sourceId, status, subjects: [], items: [] };
  return {
    sourceId: status.sourceId,
    // What that answer could not read is said again with its records (ADR 0033).
    status: { ...status, fetchedAt: snapshot.answeredAt, itemCount: snapshot.items.length, ...(snapshot.skipped ? { skipped: snapshot.skipped } : {}) },
    subjects: snapshot.subjects,
    items: cachedItems(snapshot),
  };
}

/** A configured source's status in a cached answer: 'cached', refreshing. */
export function cachedStatus(source: SourceAdapter): SourceStatus {
  return { sourceId: source.id, name: source.name, state: 'cached', refreshing: true, itemCount: 0 };
}

/**
 * The cached answer from the stored merged summary: no re-merge, and the
 * sections left as the stored JSON in a pre-serialized envelope. Its items were
 * marked cached when stored (see toStored).
 */
export function fromMerged(
  merged: StoredSummary,
  sources: readonly SourceAdapter[],
  notice: CacheNotice,
  generatedAt: string,
  refreshing = true,
): PreserializedSummary {
  return preserialized(
    {
      patient: merged.patient,
      sources: sources.map((source) => {
        const part = merged.sources.find((s) => s.sourceId === source.id);
        const { refreshing: _r, ...base } = cachedStatus(source);
        const status = refreshing ? { ...base, refreshing: true } : base;
        return part ? { ...status, fetchedAt: part.answeredAt, itemCount: part.itemCount, ...(part.skipped ? { skipped: part.skipped } : {}) } : status;
      }),
      generatedAt,
      fromCache: true,
      hiddenSealed: merged.hiddenSealed,
      ...(merged.sealed ? { sealed: merged.sealed } : {}),
      ...(merged.retracted ? { retracted: merged.retracted } : {}),
      // Only sources still configured: one removed since is not asked again.
      ...(merged.coverage ? { coverage: merged.coverage.filter((c) => sources.some((s) => s.id === c.sourceId)) } : {}),
      ...(refreshing ? { refreshing: true } : {}),
      cache: notice,
    },
    merged.sectionsJson,
  );
}

/** The summary as stored: every provenance marked cached, since it is only ever read back as cached. */
function toStored(summary: Summary, parts: readonly Contribution[]): CachedSummary {
  const sections = Object.fromEntries(
    Object.entries(summary.sections).map(([key, items]) => [
      key,
      items.map((item) => ({ ...item, sources: item.sources.map((p) => ({ ...p, cached: true })) })),
    ]),
  ) as Summary['sections'];
  return {
    patient: summary.patient,
    sections,
    hiddenSealed: summary.hiddenSealed,
    ...(summary.sealed ? { sealed: summary.sealed } : {}),
    ...(summary.retracted ? { retracted: summary.retracted } : {}),
    ...(summary.coverage ? { coverage: summary.coverage } : {}),
    sources: parts.flatMap((p) =>
      p.status.fetchedAt
        ? [
            {
              sourceId: p.sourceId,
              answeredAt: p.status.fetchedAt,
              // The count the summary shows (what its policy hid is not counted), not the source's raw count.
              itemCount: summary.sources.find((s) => s.sourceId === p.sourceId)?.itemCount ?? p.status.itemCount,
              ...(p.status.skipped ? { skipped: p.status.skipped } : {}),
            },
          ]
        : [],
    ),
  };
}

export interface CacheAccess {
  read(query: PatientQuery): CacheRead;
  /** The snapshots alone (a refresh whose source failed falls back to them). */
  snapshots(query: PatientQuery): { snapshots: SourceSnapshot[]; notice?: CacheNotice };
  /** Stores what answered and the merged summary; a notice when the write failed. */
  write(query: PatientQuery, answered: SourceSnapshot[], summary: Summary, parts: readonly Contribution[]): CacheNotice | undefined;
  readonly notice: CacheNotice | undefined;
  readonly available: boolean;
}

export function createCacheAccess(cache: SummaryCache | undefined, logger: Logger): CacheAccess {
  function errorNotice(err: unknown, what: string): CacheNotice {
    const code: ErrorCode = err instanceof CodedError ? err.code : 'CACHE_UNAVAILABLE';
    logger.warn({ code, sqlite: (err as { code?: string }).code ?? 'none' }, `cache ${what} failed`);
    return { ...(cache?.notice ?? { available: false }), error: code };
  }
  return {
    notice: cache?.notice,
    available: cache?.store !== undefined,
    read(query) {
      if (!cache?.store) return { snapshots: [], notice: cache?.notice };
      try {
        const merged = cache.store.readMerged(query.identifier);
        if (merged) return { merged, notice: cache.notice };
        return { snapshots: cache.store.read(query.identifier), notice: cache.notice };
      } catch (err) {
        return { snapshots: [], notice: errorNotice(err, 'read') };
      }
    },
    snapshots(query) {
      if (!cache?.store) return { snapshots: [] };
      try {
        return { snapshots: cache.store.read(query.identifier) };
      } catch (err) {
        return { snapshots: [], notice: errorNotice(err, 'read') };
      }
    },
    write(query, answered, summary, parts) {
      if (!cache?.store || answered.length === 0) return undefined;
      try {
        cache.store.write(query.identifier, answered, toStored(summary, parts));
        return undefined;
      } catch (err) {
        return errorNotice(err, 'write');
      }
    },
  };
}
