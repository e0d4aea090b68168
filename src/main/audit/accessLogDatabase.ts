/**
 * The access log's own encrypted SQLite file (ADR 0012): the cache's cipher
 * (ChaCha20-Poly1305, SQLite3 Multiple Ciphers) and installation key, but its
 * own file, keys derived from that key for each use (HKDF), and no retention:
 * nothing here is ever deleted. Append-only also in SQL (triggers that refuse
 * UPDATE and DELETE), though verification does not rely on them.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CodedError } from '../../shared/errors';
import { keyDatabase } from '../platform/databaseKey';

export type AccessLogDb = Database.Database;

/** The cache's cipher (ADR 0005). */
export const AUDIT_CIPHER = 'chacha20';
export const AUDIT_SCHEMA_VERSION = 1;

/** The keys the log uses, each derived from the installation key for one purpose only. */
export interface AuditKeys {
  /** Encrypts the database file. */
  database: Buffer;
  /** Authenticates the head anchor (headAnchor.ts). */
  anchor: Buffer;
  /** Keys the patient lookup column: HMAC of system|value, never the number itself. */
  patient: Buffer;
}

const derive = (key: Buffer, label: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), label, 32));

export function deriveAuditKeys(installationKey: Buffer): AuditKeys {
  return {
    database: derive(installationKey, 'samsyn-audit-database/v1'),
    anchor: derive(installationKey, 'samsyn-audit-anchor/v1'),
    patient: derive(installationKey, 'samsyn-audit-patient-key/v1'),
  };
}

export function patientLookupKey(keys: AuditKeys, patient: { system?: string | undefined; value: string }): string {
  return createHmac('sha256', keys.patient).update(`${patient.system ?? ''}|${patient.value}`).digest('hex');
}

/** Beside the file, so a wrong key is told from a damaged file (both read as SQLITE_NOTADB). */
function fingerprint(keys: AuditKeys): string {
  return createHmac('sha256', keys.database).update('samsyn-audit-key-id/v1').digest('hex').slice(0, 32);
}

const SCHEMA = `
CREATE TABLE access_log (
  seq INTEGER PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  patient_key TEXT,
  record TEXT NOT NULL
);
CREATE INDEX access_log_patient ON access_log (patient_key) WHERE patient_key IS NOT NULL;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
`;

/** A failure while reading or writing as a coded error; `reason` is one short word. */
export function auditError(err: unknown, code: 'AUDIT_UNAVAILABLE' | 'AUDIT_WRITE_FAILED'): CodedError {
  if (err instanceof CodedError) return err;
  const sqlite = (err as { code?: string } | undefined)?.code ?? '';
  if (sqlite === 'SQLITE_FULL' || sqlite === 'ENOSPC' || sqlite === 'EDQUOT') return new CodedError(code, { reason: 'diskFull' });
  if (sqlite.startsWith('SQLITE_READONLY') || sqlite === 'EROFS' || sqlite === 'EACCES' || sqlite === 'EPERM') {
    return new CodedError(code, { reason: 'readOnly' });
  }
  if (sqlite.startsWith('SQLITE_CORRUPT')) return new CodedError(code, { reason: 'damaged' });
  return new CodedError(code, { reason: 'sqlite', sqlite: /^[A-Z_]{1,40}$/.test(sqlite) ? sqlite : 'unknown' });
}

const PLAIN_SQLITE = Buffer.from('SQLite format 3\0', 'latin1');

function refuseForeignFile(path: string): void {
  if (statSync(path).size === 0) {
    const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
    if (wal === 0) throw new CodedError('AUDIT_UNAVAILABLE', { reason: 'notALog' });
    return;
  }
  const head = Buffer.alloc(PLAIN_SQLITE.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(PLAIN_SQLITE)) throw new CodedError('AUDIT_UNAVAILABLE', { reason: 'notALog' });
}

export interface OpenAccessLogDbOptions {
  /** false: a missing file is AUDIT_UNAVAILABLE (the CLI never creates a log). */
  create?: boolean;
}

/** Opens (or creates) the log's file with the derived key. Throws CodedError AUDIT_UNAVAILABLE. */
export function openAccessLogDatabase(path: string, keys: AuditKeys, options: OpenAccessLogDbOptions = {}): AccessLogDb {
  const isNew = !existsSync(path);
  if (isNew && options.create === false) throw new CodedError('AUDIT_UNAVAILABLE', { reason: 'missing' });
  try {
    if (!isNew) refuseForeignFile(path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw auditError(err, 'AUDIT_UNAVAILABLE');
  }
  let db: AccessLogDb;
  try {
    db = new Database(path);
  } catch (err) {
    throw auditError(err, 'AUDIT_UNAVAILABLE');
  }
  try {
    db.pragma(`cipher = '${AUDIT_CIPHER}'`);
    keyDatabase(db, keys.database, isNew);
    if (isNew) db.pragma('page_size = 4096');
    const tables = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > AUDIT_SCHEMA_VERSION) throw new CodedError('AUDIT_UNAVAILABLE', { reason: 'tooNew' });
    if (version === 0 && tables > 0) throw new CodedError('AUDIT_UNAVAILABLE', { reason: 'notALog' });
    db.pragma('journal_mode = WAL');
    // A legal record: every commit reaches the disk before the access goes on.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    if (version === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${AUDIT_SCHEMA_VERSION}`);
      }).immediate();
    }
  } catch (err) {
    db.close();
    if (err instanceof CodedError) throw err;
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
      let stored: string | undefined;
      try {
        stored = readFileSync(`${path}.keyid`, 'utf8').trim();
      } catch {
        stored = undefined;
      }
      throw new CodedError('AUDIT_UNAVAILABLE', { reason: stored === fingerprint(keys) ? 'damaged' : 'key' });
    }
    throw auditError(err, 'AUDIT_UNAVAILABLE');
  }
  if (isNew) {
    try {
      chmodSync(path, 0o600);
      writeFileSync(`${path}.keyid`, fingerprint(keys) + '\n', { mode: 0o600 });
    } catch (err) {
      db.close();
      throw auditError(err, 'AUDIT_UNAVAILABLE');
    }
  }
  return db;
}
