/**
 * The cache's one job: per patient and source, the last mapped answer and when
 * the source gave it. Reads never return data older than the retention time,
 * even between purges.
 */
import type { ClinicalItem, Identifier, PatientHeader, Sections, SourceStatus, Summary } from '../../shared/summary';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { SubjectIdentity } from '../sources/types';
import { asciiJsonBytes, toAsciiJson } from './asciiJson';
import { cacheError, type CacheDb } from './cacheDatabase';
import { schemaVersion } from './migrations';
import type { PatientKeyer } from './patientKey';

export const DEFAULT_RETENTION_HOURS = 12;
export const HOUR_MS = 3_600_000;

/** One source's last answer for one patient. */
export interface SourceSnapshot {
  sourceId: string;
  /** When the source answered (ISO 8601); the age shown to the clinician. */
  answeredAt: string;
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
  /** Records that answer held and could not be read (ADR 0033): said again when shown from the cache. */
  skipped?: SourceStatus['skipped'];
}

/** The merged summary as last built, with when each source in it answered. */
export interface CachedSummary {
  patient: PatientHeader;
  sections: Sections;
  hiddenSealed: number;
  sealed?: Summary['sealed'];
  retracted?: Summary['retracted'];
  coverage?: Summary['coverage'];
  sources: { sourceId: string; answeredAt: string; itemCount: number; skipped?: SourceStatus['skipped'] }[];
}

/**
 * The merged summary as read back: the sections stay the JSON text that was
 * stored (pure ASCII), so an answer from the cache can be sent without being
 * parsed and serialized again; whoever needs objects parses them.
 */
export interface StoredSummary extends Omit<CachedSummary, 'sections'> {
  sectionsJson: Buffer;
}

/**
 * How the merged summary is kept: the small header as JSON, a newline, then
 * the sections as ASCII-only JSON. JSON text never holds a raw newline, so the
 * first one splits the two; a row without one is a whole CachedSummary (as
 * written before this layout) and is still read.
 */
function encodeMerged(merged: CachedSummary): Buffer {
  const { sections, ...header } = merged;
  // Bytes, not a string: the sections' JSON is written once, straight into them (asciiJsonBytes).
  return asciiJsonBytes(sections, `${toAsciiJson(header)}\n`);
}

function decodeMerged(payload: Buffer): StoredSummary {
  const newline = payload.indexOf(0x0a);
  if (newline === -1) {
    const { sections, ...header } = JSON.parse(payload.toString('utf8')) as CachedSummary;
    return { ...header, sectionsJson: asciiJsonBytes(sections) };
  }
  const header = JSON.parse(payload.subarray(0, newline).toString('utf8')) as Omit<CachedSummary, 'sections'>;
  return { ...header, sectionsJson: payload.subarray(newline + 1) };
}

/** Counts only; safe to print and to send to the renderer. */
export interface CacheStats {
  schemaVersion: number;
  patients: number;
  snapshots: number;
  items: number;
  expired: number;
  sources: { sourceId: string; snapshots: number }[];
  oldestAt?: string;
  newestAt?: string;
  lastPurge?: { at: string; reason: string; removed: number };
}

export interface CacheStore {
  readonly retentionMs: number;
  read(identifier: Identifier): SourceSnapshot[];
  /** The last merged summary, unless it (or any source in it) is past retention. */
  readMerged(identifier: Identifier): StoredSummary | undefined;
  /**
   * Replaces the given sources' snapshots for the patient, and the merged
   * summary when given, in one transaction: both or neither.
   */
  write(identifier: Identifier, snapshots: readonly SourceSnapshot[], merged?: CachedSummary): void;
  /** Keeps an opened document's content (replacing an earlier copy). */
  writeDocument(identifier: Identifier, sourceId: string, recordId: string, doc: CachedDocument): void;
  /** The kept copy of a document, unless past retention. */
  readDocument(identifier: Identifier, sourceId: string, recordId: string): CachedDocument | undefined;
  /** Removes snapshots older than the retention time; returns how many. */
  purgeExpired(reason?: string): number;
  /** "Töm cache": removes every snapshot; returns how many. */
  clear(): number;
  stats(): CacheStats;
  /** PRAGMA integrity_check lines ('ok' when sound). */
  integrityCheck(): string[];
  close(): void;
}

/** A journal document's content as kept: what the source gave, and when it was kept. */
export interface CachedDocument {
  contentType: 'text/plain' | 'text/html' | 'application/pdf';
  title?: string;
  bytes: Uint8Array;
  storedAt: string;
}

interface Row {
  source_id: string;
  answered_at: string;
  payload: string;
}

export function createCacheStore(deps: {
  db: CacheDb;
  patientKey: PatientKeyer;
  clock: Clock;
  logger: Logger;
  retentionHours?: number;
}): CacheStore {
  const { db, clock, logger } = deps;
  const retentionMs = (deps.retentionHours ?? DEFAULT_RETENTION_HOURS) * HOUR_MS;
  const cutoff = () => clock.now().getTime() - retentionMs;

  const selectPatient = db.prepare<[string, number], Row>(
    'SELECT source_id, answered_at, payload FROM snapshot WHERE patient_key = ? AND answered_ms >= ? ORDER BY source_id',
  );
  const upsert = db.prepare<[string, string, string, number, string]>(
    `INSERT INTO snapshot (patient_key, source_id, answered_at, answered_ms, payload) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (patient_key, source_id) DO UPDATE SET
       answered_at = excluded.answered_at, answered_ms = excluded.answered_ms, payload = excluded.payload`,
  );
  const deleteOlder = db.prepare<[number]>('DELETE FROM snapshot WHERE answered_ms < ?');
  const deleteAll = db.prepare('DELETE FROM snapshot');
  // As a BLOB: the bytes as stored, without turning megabytes into a JS string.
  const selectMerged = db.prepare<[string, number], { payload: Buffer }>(
    'SELECT CAST(payload AS BLOB) AS payload FROM merged_summary WHERE patient_key = ? AND answered_ms >= ?',
  );
  const upsertMerged = db.prepare<[string, number, Buffer]>(
    `INSERT INTO merged_summary (patient_key, answered_ms, payload) VALUES (?, ?, ?)
     ON CONFLICT (patient_key) DO UPDATE SET answered_ms = excluded.answered_ms, payload = excluded.payload`,
  );
  const deleteMergedOlder = db.prepare<[number]>('DELETE FROM merged_summary WHERE answered_ms < ?');
  const deleteMergedAll = db.prepare('DELETE FROM merged_summary');
  const logPurge = db.prepare<[string, string, number]>('INSERT INTO purge_log (purged_at, reason, removed) VALUES (?, ?, ?)');
  const upsertDocument = db.prepare<[string, string, string, number, string, string | null, Buffer]>(
    'INSERT OR REPLACE INTO document (patient_key, source_id, record_id, stored_ms, content_type, title, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const selectDocument = db.prepare<[string, string, string, number], { stored_ms: number; content_type: string; title: string | null; body: Buffer }>(
    'SELECT stored_ms, content_type, title, body FROM document WHERE patient_key = ? AND source_id = ? AND record_id = ? AND stored_ms >= ?',
  );
  const deleteDocumentsOlder = db.prepare<[number]>('DELETE FROM document WHERE stored_ms < ?');
  const deleteDocumentsAll = db.prepare('DELETE FROM document');

  const writeAll = db.transaction((key: string, snapshots: readonly SourceSnapshot[], merged?: CachedSummary) => {
    for (const s of snapshots) {
      const ms = Date.parse(s.answeredAt);
      upsert.run(key, s.sourceId, s.answeredAt, ms, JSON.stringify({ subjects: s.subjects, items: s.items, ...(s.skipped ? { skipped: s.skipped } : {}) }));
    }
    if (merged && merged.sources.length > 0) {
      const oldest = Math.min(...merged.sources.map((s) => Date.parse(s.answeredAt)));
      upsertMerged.run(key, oldest, encodeMerged(merged));
    }
  });

  const purge = db.transaction((statement: 'older' | 'all', reason: string): number => {
    if (statement === 'all') {
      deleteMergedAll.run();
      deleteDocumentsAll.run();
    } else {
      deleteMergedOlder.run(cutoff());
      deleteDocumentsOlder.run(cutoff());
    }
    const removed = statement === 'all' ? deleteAll.run().changes : deleteOlder.run(cutoff()).changes;
    logPurge.run(clock.now().toISOString(), reason, removed);
    return removed;
  });

  /** SQLite's errors as coded ones: a full disk and a read-only file say so (CACHE_DISK_FULL, CACHE_READ_ONLY). */
  const coded = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw cacheError(err);
    }
  };

  return {
    retentionMs,
    read(identifier) {
      const rows = coded(() => selectPatient.all(deps.patientKey(identifier), cutoff()));
      const snapshots: SourceSnapshot[] = [];
      for (const row of rows) {
        try {
          const payload = JSON.parse(row.payload) as { subjects: SubjectIdentity[]; items: ClinicalItem[]; skipped?: SourceSnapshot['skipped'] };
          snapshots.push({
            sourceId: row.source_id,
            answeredAt: row.answered_at,
            subjects: payload.subjects,
            items: payload.items,
            ...(payload.skipped ? { skipped: payload.skipped } : {}),
          });
        } catch {
          // The cipher authenticates every page, so this is a bug, not tampering; skip the row, keep the rest.
          logger.error({ source: row.source_id }, 'cached snapshot unreadable');
        }
      }
      return snapshots;
    },
    readMerged(identifier) {
      const row = coded(() => selectMerged.get(deps.patientKey(identifier), cutoff()));
      if (!row) return undefined;
      try {
        return decodeMerged(row.payload);
      } catch {
        logger.error('cached summary unreadable');
        return undefined;
      }
    },
    writeDocument(identifier, sourceId, recordId, doc) {
      coded(() =>
        upsertDocument.run(deps.patientKey(identifier), sourceId, recordId, Date.parse(doc.storedAt), doc.contentType, doc.title ?? null, Buffer.from(doc.bytes)),
      );
    },
    readDocument(identifier, sourceId, recordId) {
      const row = coded(() => selectDocument.get(deps.patientKey(identifier), sourceId, recordId, cutoff()));
      if (!row) return undefined;
      return {
        contentType: row.content_type as CachedDocument['contentType'],
        ...(row.title ? { title: row.title } : {}),
        bytes: row.body,
        storedAt: new Date(row.stored_ms).toISOString(),
      };
    },
    write(identifier, snapshots, merged) {
      if (snapshots.length > 0 || merged) coded(() => writeAll(deps.patientKey(identifier), snapshots, merged));
    },
    purgeExpired(reason = 'retention') {
      const removed = coded(() => purge('older', reason));
      if (removed > 0) logger.info({ removed }, 'expired snapshots purged');
      return removed;
    },
    clear() {
      const removed = coded(() => purge('all', 'cleared'));
      logger.info({ removed }, 'cache cleared');
      return removed;
    },
    stats() {
      const totals = db
        .prepare<[], { patients: number; snapshots: number; oldest: string | null; newest: string | null }>(
          'SELECT count(DISTINCT patient_key) AS patients, count(*) AS snapshots, min(answered_at) AS oldest, max(answered_at) AS newest FROM snapshot',
        )
        .get();
      const items =
        db.prepare<[], { n: number | null }>("SELECT sum(json_array_length(payload, '$.items')) AS n FROM snapshot").get()?.n ?? 0;
      const expired = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM snapshot WHERE answered_ms < ?').get(cutoff())?.n ?? 0;
      const sources = db
        .prepare<[], { sourceId: string; snapshots: number }>(
          'SELECT source_id AS sourceId, count(*) AS snapshots FROM snapshot GROUP BY source_id ORDER BY source_id',
        )
        .all();
      const last = db
        .prepare<[], { at: string; reason: string; removed: number }>(
          'SELECT purged_at AS at, reason, removed FROM purge_log ORDER BY rowid DESC LIMIT 1',
        )
        .get();
      return {
        schemaVersion: schemaVersion(db),
        patients: totals?.patients ?? 0,
        snapshots: totals?.snapshots ?? 0,
        items,
        expired,
        sources,
        ...(totals?.oldest ? { oldestAt: totals.oldest } : {}),
        ...(totals?.newest ? { newestAt: totals.newest } : {}),
        ...(last ? { lastPurge: last } : {}),
      };
    },
    integrityCheck() {
      return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    },
    close() {
      if (db.open) {
        // Fold the WAL back so the file on disk is complete on its own.
        try {
          db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // A read-only or failing database still closes.
        }
        db.close();
      }
    },
  };
}
