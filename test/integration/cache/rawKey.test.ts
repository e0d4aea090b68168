/**
 * The cache and the access log are keyed with their 32-byte keys as raw key
 * material, with no passphrase derivation (docs/adr/0036). Files written
 * before, keyed with the same bytes as a passphrase, still open with
 * everything in them, and are left under their passphrase (re-encrypting in
 * place is not crash-safe, see the ADR).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE } from '../../../src/main/audit/accessLog';
import { AUDIT_CIPHER, deriveAuditKeys } from '../../../src/main/audit/accessLogDatabase';
import { CIPHER, openCacheDatabase } from '../../../src/main/cache/cacheDatabase';
import { migrate, SCHEMA_VERSION } from '../../../src/main/cache/migrations';
import { rawKeyPragma } from '../../../src/main/platform/databaseKey';
import { CodedError } from '../../../src/shared/errors';
import { KEY, open, SIX, writeSix } from '../audit/auditFixtures';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-raw-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CACHE_KEY = Buffer.alloc(32, 0x5a);

/** How a file opens from outside the app: 'raw' with the raw key, 'passphrase' with the key as a passphrase (the old way), or neither. */
function keyedAs(path: string, cipher: string, key: Buffer): 'raw' | 'passphrase' | 'neither' {
  for (const how of ['raw', 'passphrase'] as const) {
    const db = new Database(path, { readonly: true });
    try {
      db.pragma(`cipher = '${cipher}'`);
      if (how === 'raw') db.pragma(rawKeyPragma(key));
      else db.key(key);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return how;
    } catch {
      // the other way, or neither
    } finally {
      db.close();
    }
  }
  return 'neither';
}

/** A cache as Samsyn wrote it before ADR 0036: the key as a passphrase, WAL, one snapshot row. */
function legacyCache(path: string): void {
  const db = new Database(path);
  db.pragma(`cipher = '${CIPHER}'`);
  db.key(CACHE_KEY);
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  migrate(db);
  db.prepare("INSERT INTO snapshot (patient_key, source_id, answered_at, payload, answered_ms) VALUES ('p1', 's1', '2026-11-30T08:00:00Z', '{\"kept\":true}', 1)").run();
  db.close();
}

describe('the cache under its raw key', () => {
  it('a new cache is keyed raw: the key as a passphrase does not open it', () => {
    const path = join(tempDir(), 'cache.db');
    openCacheDatabase(path, { key: CACHE_KEY }).close();
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('raw');
  });

  it('a cache written before opens with its rows, and is left under its passphrase', () => {
    const path = join(tempDir(), 'cache.db');
    legacyCache(path);
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('passphrase');
    const db = openCacheDatabase(path, { key: CACHE_KEY });
    expect(db.prepare('SELECT payload FROM snapshot').all()).toEqual([{ payload: '{"kept":true}' }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.prepare("INSERT INTO snapshot (patient_key, source_id, answered_at, payload, answered_ms) VALUES ('p2', 's1', '2026-11-30T09:00:00Z', '{}', 2)").run();
    db.close();
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('passphrase');
    const again = openCacheDatabase(path, { key: CACHE_KEY });
    expect(again.prepare('SELECT count(*) AS n FROM snapshot').get()).toEqual({ n: 2 });
    again.close();
  });

  it('opened read-only, a cache written before is read and left under its passphrase', () => {
    const path = join(tempDir(), 'cache.db');
    legacyCache(path);
    const db = openCacheDatabase(path, { key: CACHE_KEY, readonly: true, create: false });
    expect(db.prepare('SELECT count(*) AS n FROM snapshot').get()).toEqual({ n: 1 });
    db.close();
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('passphrase');
  });

  it('a refused cache (written by a newer version) is left as it was', () => {
    const path = join(tempDir(), 'cache.db');
    legacyCache(path);
    const db = new Database(path);
    db.pragma(`cipher = '${CIPHER}'`);
    db.key(CACHE_KEY);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openCacheDatabase(path, { key: CACHE_KEY })).toThrow(CodedError);
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('passphrase');
  });

  it('another key opens it neither way: still refused as a wrong key', () => {
    const path = join(tempDir(), 'cache.db');
    legacyCache(path);
    let code: string | undefined;
    try {
      openCacheDatabase(path, { key: Buffer.alloc(32, 0x11) });
    } catch (err) {
      code = (err as CodedError).code;
    }
    expect(code).toBe('CACHE_KEY_INVALID');
    expect(keyedAs(path, CIPHER, CACHE_KEY)).toBe('passphrase');
  });
});

describe('the access log under its raw key', () => {
  const verify = (dir: string) => {
    const log = open(dir);
    try {
      return log.verify();
    } finally {
      log.close();
    }
  };

  it('a new log is keyed raw', () => {
    const dir = tempDir();
    writeSix(dir);
    expect(keyedAs(join(dir, AUDIT_FILE), AUDIT_CIPHER, deriveAuditKeys(KEY).database)).toBe('raw');
  });

  it('a log written before (keyed by passphrase) verifies with every record, takes new ones, and stays under its passphrase', () => {
    const dir = tempDir();
    writeSix(dir);
    // Back to the old keying, as a log written before ADR 0036 is.
    const db = new Database(join(dir, AUDIT_FILE));
    db.pragma(`cipher = '${AUDIT_CIPHER}'`);
    db.pragma(rawKeyPragma(deriveAuditKeys(KEY).database));
    db.pragma('journal_mode = DELETE');
    db.rekey(deriveAuditKeys(KEY).database);
    db.close();
    const path = join(dir, AUDIT_FILE);
    expect(keyedAs(path, AUDIT_CIPHER, deriveAuditKeys(KEY).database)).toBe('passphrase');
    expect(verify(dir)).toMatchObject({ intact: true, records: SIX.length });
    const log = open(dir);
    log.append(SIX[0]!);
    log.close();
    expect(verify(dir)).toMatchObject({ intact: true, records: SIX.length + 1 });
    expect(keyedAs(path, AUDIT_CIPHER, deriveAuditKeys(KEY).database)).toBe('passphrase');
  });
});
