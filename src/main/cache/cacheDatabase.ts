/**
 * Opening the encrypted cache file: ChaCha20-Poly1305 (SQLite3 Multiple
 * Ciphers' default) keyed with the installation key, WAL journal, schema
 * migrated. A file that cannot be opened is never overwritten: the caller
 * moves it aside with moveAside(); set-aside files are then kept for the
 * retention period only (setAside.ts, ADR 0010).
 *
 * Refused like a damaged file (CACHE_NOT_A_CACHE): an empty file (SQLite would
 * take it for a new database), a plain unencrypted SQLite file, and a database
 * that opens with our key but holds tables that are not ours. A full disk and
 * a read-only file or folder have their own codes (CACHE_DISK_FULL,
 * CACHE_READ_ONLY), at open and at every later read or write (cacheError).
 */
import { createHmac } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CodedError, type ErrorCode } from '../../shared/errors';
import { keyDatabase } from '../platform/databaseKey';
import { migrate, schemaVersion } from './migrations';

export type CacheDb = Database.Database;

export const CIPHER = 'chacha20';

/** SQLite companions that belong to the database file and move with it. */
const COMPANIONS = ['-wal', '-shm', '.keyid'] as const;

/**
 * A key fingerprint kept next to the file, so "wrong key" can be told from
 * "damaged file" (both read as SQLITE_NOTADB under encryption). An HMAC of a
 * fixed label under the key: it reveals nothing about the key.
 */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('samsyn-cache-key-id/v1').digest('hex').slice(0, 32);
}

function readFingerprint(path: string): string | undefined {
  try {
    return readFileSync(`${path}.keyid`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** False when the file (or, before it exists, its folder) cannot be written: a read-only mount or permissions. */
function writable(path: string): boolean {
  try {
    accessSync(existsSync(path) ? path : dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A failure of the cache (SQLite's or the file system's) as a coded error: a
 * full disk and a read-only file get their own codes, so they are shown in
 * words and not as "unavailable" with the cause only in a log.
 */
export function cacheError(err: unknown, path?: string): CodedError {
  if (err instanceof CodedError) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return new CodedError('CACHE_DISK_FULL', { sqlite: code });
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new CodedError('CACHE_READ_ONLY', { sqlite: code });
  }
  // Opening a WAL database needs its -shm beside it: on a read-only folder that is "cannot open".
  if (code === 'SQLITE_CANTOPEN' && path !== undefined && !writable(path)) return new CodedError('CACHE_READ_ONLY', { sqlite: code });
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) return new CodedError('CACHE_CORRUPT', { sqlite: code });
  return new CodedError('CACHE_UNAVAILABLE', { sqlite: code || 'unknown' });
}

const PLAIN_SQLITE = Buffer.from('SQLite format 3\0', 'latin1');

/** An existing file that cannot be a cache of ours, by its first bytes: empty, or an unencrypted SQLite file. */
function notACache(path: string, key: Buffer | undefined): CodedError | undefined {
  const size = statSync(path).size;
  if (size === 0) {
    // In WAL mode the content may still be in the -wal alone; SQLite reads it from there.
    const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
    return wal === 0 ? new CodedError('CACHE_NOT_A_CACHE', { reason: 'empty' }) : undefined;
  }
  if (!key) return undefined;
  const head = Buffer.alloc(PLAIN_SQLITE.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(PLAIN_SQLITE) ? new CodedError('CACHE_NOT_A_CACHE', { reason: 'unencrypted' }) : undefined;
}

function classify(err: unknown, path: string, key: Buffer | undefined): CodedError {
  if (err instanceof CodedError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') {
    if (key === undefined) return new CodedError('CACHE_CORRUPT', { sqlite: code });
    const stored = readFingerprint(path);
    if (stored === keyFingerprint(key)) return new CodedError('CACHE_CORRUPT', { sqlite: code });
    return new CodedError('CACHE_KEY_INVALID', { keyCheck: stored ? 'mismatch' : 'absent' });
  }
  return cacheError(err, path);
}

export interface OpenOptions {
  /** The installation key; undefined opens without encryption (benchmark baseline only). */
  key: Buffer | undefined;
  /** false: refuse a missing file (CLI verify) instead of creating one. */
  create?: boolean;
  /** false: skip quick_check (the crash test reopens many times). */
  check?: boolean;
  readonly?: boolean;
}

/** Opens, checks the key, migrates. Throws CodedError CACHE_*; never touches a file it cannot read. */
export function openCacheDatabase(path: string, options: OpenOptions): CacheDb {
  const create = options.create ?? true;
  const isNew = !existsSync(path);
  if (isNew && !create) throw new CodedError('CACHE_UNAVAILABLE', { reason: 'missing' });
  try {
    if (!isNew) {
      const refused = notACache(path, options.key);
      if (refused) throw refused;
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw classify(err, path, options.key);
  }
  let db: CacheDb;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
  } catch (err) {
    throw classify(err, path, options.key);
  }
  try {
    if (options.key) {
      db.pragma(`cipher = '${CIPHER}'`);
      keyDatabase(db, options.key, isNew);
    }
    // Pages of 16 KiB instead of 4: summaries are large rows, and each page is
    // encrypted and authenticated on its own, so fewer pages cost a third of the
    // time for a heavy patient's write and read. Only settable before the first write.
    if (isNew && !options.readonly) db.pragma('page_size = 16384');
    // The first read is where a wrong key or a damaged header shows.
    const tables = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0;
    // Opens with our key, but was never ours: a database of another program (or of a test).
    if (!isNew && schemaVersion(db) === 0 && tables > 0) throw new CodedError('CACHE_NOT_A_CACHE', { reason: 'foreign' });
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL survives a killed process (the crash test checks
      // this); only an OS crash may lose the last commits, never consistency.
      db.pragma('synchronous = NORMAL');
      // A heavy patient's snapshot is a few MB: keep its decrypted pages in
      // memory so a second read does not decrypt them again.
      db.pragma('cache_size = -65536');
      migrate(db);
    }
    if (options.check ?? true) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new CodedError('CACHE_CORRUPT', { check: 'quick_check' });
    }
  } catch (err) {
    db.close();
    throw classify(err, path, options.key);
  }
  if (isNew) {
    try {
      chmodSync(path, 0o600);
      if (options.key) writeFileSync(`${path}.keyid`, keyFingerprint(options.key) + '\n', { mode: 0o600 });
    } catch (err) {
      db.close();
      throw classify(err, path, options.key);
    }
  }
  return db;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Moves an unreadable cache and its companions to `<file>.<CODE>-<time>` (a
 * counter is added rather than ever replacing an earlier one). Returns the new
 * path of the main file.
 */
export function moveAside(path: string, code: ErrorCode, now: Date): string {
  const base = `${path}.${code}-${stamp(now)}`;
  let target = base;
  for (let n = 1; COMPANIONS.some((c) => existsSync(target + c)) || existsSync(target); n++) target = `${base}-${n}`;
  if (existsSync(path)) renameSync(path, target);
  for (const suffix of COMPANIONS) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}
