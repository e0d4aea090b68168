/**
 * Keys an encrypted SQLite database (SQLite3 Multiple Ciphers) with one of
 * Samsyn's keys: 32 random bytes from the key provider, or derived from them
 * by HKDF (the access log). Such a key is used as raw key material
 * (`PRAGMA key = "x'…'"`), not as a passphrase: a passphrase goes through the
 * cipher's PBKDF2 (64,007 rounds for chacha20, ~22 ms of CPU on every open),
 * which strengthens a guessable password and adds nothing to 256 random bits
 * (docs/adr/0036).
 *
 * Files written before that were keyed with the same bytes as a passphrase,
 * and stay so: they are opened that way (the raw key tried first costs one
 * failed read). They are not re-encrypted in place: `PRAGMA rekey` was tried,
 * and a process killed during it left a file that neither key opened (a
 * SIGKILL test, 1 round in 20) — never a risk to take with the access log.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

/** The pragma keying a connection with `key` as raw key material (exported for tests that open a file directly). */
export function rawKeyPragma(key: Buffer): string {
  if (key.length !== 32) throw new Error('a database key is 32 bytes');
  return `key = "x'${key.toString('hex')}'"`;
}

/** The first read, where a wrong key shows (SQLITE_NOTADB). */
function readable(db: BetterSqlite3.Database): void {
  db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
}

/**
 * Keys `db` (its cipher already chosen) with `key`. A new file gets the raw
 * key. An existing one is tried with the raw key, then as written before
 * ADR 0036 (the key as a passphrase); the raw key's error is thrown when
 * neither reads it.
 */
export function keyDatabase(db: BetterSqlite3.Database, key: Buffer, isNew: boolean): void {
  db.pragma(rawKeyPragma(key));
  if (isNew) return;
  try {
    readable(db);
  } catch (rawError) {
    if ((rawError as { code?: string }).code !== 'SQLITE_NOTADB') throw rawError;
    try {
      db.key(key);
      readable(db);
    } catch {
      throw rawError;
    }
  }
}
