/**
 * The cache schema, one migration per version (PRAGMA user_version). Each runs
 * in its own transaction, so a crash mid-migration leaves the previous version
 * intact; a database written by newer code is refused, never "downgraded".
 */
import type { CacheDb as Database } from './cacheDatabase';
import { CodedError } from '../../shared/errors';

export type Migration = (db: Database) => void;

/**
 * v1: one row per (patient, source): the source's last answer, already mapped
 * to ClinicalItems, as JSON. patient_key is an HMAC of the identifier (see
 * patientKey.ts), never the identifier itself.
 */
export function migrateToVersion1(db: Database): void {
  db.exec(`
    CREATE TABLE snapshot (
      patient_key TEXT NOT NULL,
      source_id   TEXT NOT NULL,
      answered_at TEXT NOT NULL,
      payload     TEXT NOT NULL,
      PRIMARY KEY (patient_key, source_id)
    ) WITHOUT ROWID;
  `);
}

/**
 * v2: retention needs a numeric time to purge by index (hourly), and a record
 * of purges so `samsyn cache verify` can say when expired data last left.
 * Existing rows are backfilled from answered_at.
 */
export function migrateToVersion2(db: Database): void {
  db.exec(`
    ALTER TABLE snapshot ADD COLUMN answered_ms INTEGER NOT NULL DEFAULT 0;
    UPDATE snapshot SET answered_ms = CAST(ROUND((julianday(answered_at) - 2440587.5) * 86400000) AS INTEGER);
    CREATE INDEX snapshot_answered_ms ON snapshot (answered_ms);
    CREATE TABLE purge_log (
      purged_at TEXT NOT NULL,
      reason    TEXT NOT NULL,
      removed   INTEGER NOT NULL
    );
  `);
}

/**
 * v3: the last merged summary per patient, written with the snapshots it was
 * built from, so opening from the cache is one row and no re-merge (the heavy
 * patient's merge alone takes ~45 ms). answered_ms is its oldest source's time,
 * so it expires no later than any snapshot in it.
 */
export function migrateToVersion3(db: Database): void {
  db.exec(`
    CREATE TABLE merged_summary (
      patient_key TEXT PRIMARY KEY,
      answered_ms INTEGER NOT NULL,
      payload     TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX merged_summary_answered_ms ON merged_summary (answered_ms);
  `);
}

/**
 * v4: item details became typed per section (src/shared/details.ts). Rows
 * written before hold the old open shape, which the bridge would now refuse;
 * they are at most a retention period old and are fetched again at the next
 * open, so they are removed (counted in the purge log) rather than converted.
 */
export function migrateToVersion4(db: Database): void {
  const removed =
    db.prepare('DELETE FROM snapshot').run().changes + db.prepare('DELETE FROM merged_summary').run().changes;
  db.prepare('INSERT INTO purge_log (purged_at, reason, removed) VALUES (?, ?, ?)').run(
    new Date().toISOString(),
    'schema-v4-typed-details',
    removed,
  );
}

/**
 * v5: journal documents opened in the app, kept like the snapshots (same
 * retention, cleared with "Töm cache") so a document opens when its source is
 * down (issue 15 item 2). Keyed by the patient's HMAC key, source and record.
 */
export function migrateToVersion5(db: Database): void {
  db.exec(`
    CREATE TABLE document (
      patient_key  TEXT NOT NULL,
      source_id    TEXT NOT NULL,
      record_id    TEXT NOT NULL,
      stored_ms    INTEGER NOT NULL,
      content_type TEXT NOT NULL,
      title        TEXT,
      body         BLOB NOT NULL,
      PRIMARY KEY (patient_key, source_id, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX document_stored_ms ON document (stored_ms);
  `);
}

export const MIGRATIONS: readonly Migration[] = [migrateToVersion1, migrateToVersion2, migrateToVersion3, migrateToVersion4, migrateToVersion5];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database to `target` (default: latest), one transaction per step. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new CodedError('CACHE_TOO_NEW', { version: current, supported: SCHEMA_VERSION });
  for (let version = current + 1; version <= target; version++) {
    const step = MIGRATIONS[version - 1];
    if (!step) break;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return schemaVersion(db);
}
