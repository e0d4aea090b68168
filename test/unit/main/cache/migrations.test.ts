import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase, type CacheDb } from '../../../../src/main/cache/cacheDatabase';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../../../src/main/cache/migrations';
import { CodedError } from '../../../../src/shared/errors';

const KEY = Buffer.alloc(32, 3);
const dirs: string[] = [];
const open: CacheDb[] = [];

function keyedDb(): { db: CacheDb; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-mig-'));
  dirs.push(dir);
  const path = join(dir, 'cache.db');
  const db = new Database(path);
  db.key(KEY);
  open.push(db);
  return { db, path };
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const columns = (db: CacheDb, table: string) =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).sort();

describe('cache migrations', () => {
  it('migrateToVersion1: an empty database gets the snapshot table', () => {
    const { db } = keyedDb();
    expect(migrate(db, 1)).toBe(1);
    expect(columns(db, 'snapshot')).toEqual(['answered_at', 'patient_key', 'payload', 'source_id']);
  });

  it('migrateToVersion2: rows written at version 1 keep their data and get answered_ms backfilled', () => {
    const { db } = keyedDb();
    migrate(db, 1);
    db.prepare('INSERT INTO snapshot (patient_key, source_id, answered_at, payload) VALUES (?, ?, ?, ?)').run(
      'k1',
      'region-nord',
      '2026-01-02T03:04:05.678Z',
      '{"subjects":[],"items":[]}',
    );
    expect(migrate(db, 2)).toBe(2);
    const row = db.prepare('SELECT answered_ms, payload FROM snapshot').get() as { answered_ms: number; payload: string };
    expect(row.answered_ms).toBe(Date.parse('2026-01-02T03:04:05.678Z'));
    expect(row.payload).toBe('{"subjects":[],"items":[]}');
    expect(columns(db, 'purge_log')).toEqual(['purged_at', 'reason', 'removed']);
  });

  it('migrateToVersion3: a version 2 database keeps its snapshots and gets the merged-summary table', () => {
    const { db } = keyedDb();
    migrate(db, 2);
    db.prepare('INSERT INTO snapshot (patient_key, source_id, answered_at, answered_ms, payload) VALUES (?, ?, ?, ?, ?)').run(
      'k1',
      'region-nord',
      '2026-01-02T03:04:05.678Z',
      1,
      '{}',
    );
    expect(migrate(db, 3)).toBe(3);
    expect(columns(db, 'merged_summary')).toEqual(['answered_ms', 'patient_key', 'payload']);
    expect((db.prepare('SELECT count(*) AS n FROM snapshot').get() as { n: number }).n).toBe(1);
  });

  it('migrateToVersion4: rows with the untyped details of version 3 are removed and the removal is logged', () => {
    const { db } = keyedDb();
    migrate(db, 3);
    db.prepare('INSERT INTO snapshot (patient_key, source_id, answered_at, answered_ms, payload) VALUES (?, ?, ?, ?, ?)').run(
      'k1',
      'region-nord',
      '2026-01-02T03:04:05.678Z',
      1,
      '{"subjects":[],"items":[{"section":"allergies","details":{"critical":true}}]}',
    );
    db.prepare('INSERT INTO merged_summary (patient_key, answered_ms, payload) VALUES (?, ?, ?)').run('k1', 1, '{}');
    expect(migrate(db, 4)).toBe(4);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('snapshot')).toBe(0);
    expect(count('merged_summary')).toBe(0);
    expect(db.prepare('SELECT reason, removed FROM purge_log').get()).toEqual({ reason: 'schema-v4-typed-details', removed: 2 });
  });

  it('brings every earlier version to the latest, and a second run changes nothing', () => {
    for (let from = 0; from < SCHEMA_VERSION; from++) {
      const { db } = keyedDb();
      migrate(db, from);
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db)).toBe(SCHEMA_VERSION);
      expect(migrate(db)).toBe(SCHEMA_VERSION);
    }
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
  });

  it('a failing step leaves the database at the previous version (one transaction per step)', () => {
    const { db } = keyedDb();
    migrate(db, 1);
    // A table the step is about to create already exists: the step must fail as a whole.
    db.exec('CREATE TABLE purge_log (x)');
    expect(() => migrate(db, 2)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(columns(db, 'snapshot')).not.toContain('answered_ms');
  });

  it('refuses a database written by newer code, with a code, and leaves it untouched', () => {
    const { db, path } = keyedDb();
    migrate(db);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let code: string | undefined;
    try {
      openCacheDatabase(path, { key: KEY });
    } catch (err) {
      code = (err as CodedError).code;
    }
    expect(code).toBe('CACHE_TOO_NEW');
    const again = new Database(path);
    again.key(KEY);
    open.push(again);
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION + 1);
  });
});
