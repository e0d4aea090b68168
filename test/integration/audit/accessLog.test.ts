/**
 * The access log (issue 10, item 6): append-only, hash-chained, encrypted, and
 * every kind of tampering found and named by its first broken record: a field
 * changed, a record deleted from the middle, the last record deleted, two
 * records swapped, a forged record inserted (in the middle and at the end),
 * the anchor damaged or removed, the file replaced by an older copy.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE, openAccessLog, recordHash } from '../../../src/main/audit/accessLog';
import { REASON_MAX_CHARS, WHAT_MAX_CHARS, type AccessEntry } from '../../../src/main/audit/accessEntry';
import { AUDIT_CIPHER, deriveAuditKeys } from '../../../src/main/audit/accessLogDatabase';
import { anchorPath, readAnchor, writeAnchor } from '../../../src/main/audit/headAnchor';
import { CodedError } from '../../../src/shared/errors';
import { TEST_IDS } from '../../fixtures/testIds';
import { clockAt, KEY_PROVIDER, logger, NURSE, open, rawLog, SIX, TAGE, tempDir, TOLVAN, writeSix } from './auditFixtures';
import { rawKeyPragma } from '../../../src/main/platform/databaseKey';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function verifyNow() {
  const log = open(dir);
  try {
    return log.verify();
  } finally {
    log.close();
  }
}

function codeOf(fn: () => unknown): { code: string; params: unknown } | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, params: err.params };
    throw err;
  }
  return undefined;
}

describe('the access log, untouched', () => {
  it('appends records with seq and the clock time, verifies intact, and finds them by patient', () => {
    const log = open(dir, clockAt('2026-11-25T08:00:00Z'));
    const results = SIX.map((e) => log.append(e));
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results[0]!.at).toBe('2026-11-25T08:00:01.000Z');
    const report = log.verify();
    expect(report).toMatchObject({ intact: true, records: 6, head: { seq: 6 } });

    const tolvan = log.forPatient(TOLVAN);
    expect(tolvan.map((r) => [r.seq, r.action])).toEqual([
      [2, 'patient.open'],
      [3, 'section.view'],
      [5, 'emergency.open'],
    ]);
    expect(tolvan[2]).toMatchObject({
      user: { userId: 'u-1001', displayName: NURSE.displayName, role: 'nurse', careUnit: NURSE.careUnit, organisation: NURSE.organisation },
      patient: TOLVAN,
      purpose: 'emergency',
      reason: 'Medvetslös vid ankomst',
      outcome: { result: 'granted' },
    });
    // Only what the user, role, unit and organisation are: the session's provider and sign-in time are not kept.
    expect(tolvan[0]!.user).not.toHaveProperty('provider');
    expect(log.forPatient(TAGE)).toEqual([expect.objectContaining({ seq: 4, outcome: { result: 'refused', code: 'BRIDGE_UNAUTHORIZED' } })]);
    // Matched exactly as logged: the same number under no system is another identifier.
    expect(log.forPatient({ value: TOLVAN.value })).toEqual([]);
    log.close();
    expect(verifyNow()).toMatchObject({ intact: true, records: 6 });
  });

  it('keeps no identity number, name or reason in the clear on disk', () => {
    writeSix(dir);
    const bytes = Buffer.concat(
      [AUDIT_FILE, `${AUDIT_FILE}-wal`, `${AUDIT_FILE}.head`].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f))),
    );
    for (const secret of [TEST_IDS.se.tolvan.value, TEST_IDS.se.tage.value, 'Anna Andersson', 'Medvetslös', 'Akutmottagningen']) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });

  it('refuses UPDATE and DELETE in SQL (triggers), even with the key', () => {
    writeSix(dir);
    const db = new Database(join(dir, AUDIT_FILE));
    db.pragma(`cipher = '${AUDIT_CIPHER}'`);
    db.pragma(rawKeyPragma(deriveAuditKeys(KEY_PROVIDER.getKey()).database));
    expect(() => db.prepare("UPDATE access_log SET record = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM access_log WHERE seq = 6').run()).toThrow(/append-only/);
    db.close();
    expect(verifyNow()).toMatchObject({ intact: true });
  });

  it('caps the reason and the detail with a coded error naming the field, and refuses a malformed entry', () => {
    const log = open(dir);
    const base = SIX[4]!;
    expect(codeOf(() => log.append({ ...base, reason: 'x'.repeat(REASON_MAX_CHARS + 1) }))).toEqual({
      code: 'AUDIT_FIELD_TOO_LONG',
      params: { field: 'reason', max: REASON_MAX_CHARS },
    });
    expect(codeOf(() => log.append({ ...base, what: 'x'.repeat(WHAT_MAX_CHARS + 1) }))).toEqual({
      code: 'AUDIT_FIELD_TOO_LONG',
      params: { field: 'what', max: WHAT_MAX_CHARS },
    });
    expect(codeOf(() => log.append({ ...base, action: 'patient.delete' } as unknown as AccessEntry))).toEqual({
      code: 'AUDIT_ENTRY_INVALID',
      params: { field: 'action' },
    });
    expect(codeOf(() => log.append({ ...base, reason: 'x'.repeat(REASON_MAX_CHARS) }))).toBeUndefined();
    expect(log.count()).toBe(1);
    log.close();
  });

  it('opens only with its key, and refuses a file that is not an access log', () => {
    writeSix(dir);
    const wrongKey = { kind: 'test', getKey: () => Buffer.alloc(32, 9) };
    expect(codeOf(() => openAccessLog({ dir, keyProvider: wrongKey, clock: clockAt(), logger }))).toEqual({
      code: 'AUDIT_UNAVAILABLE',
      params: { reason: 'key' },
    });
    const other = tempDir();
    try {
      new Database(join(other, AUDIT_FILE)).exec('CREATE TABLE t (x)');
      expect(codeOf(() => openAccessLog({ dir: other, keyProvider: KEY_PROVIDER, clock: clockAt(), logger }))?.params).toEqual({
        reason: 'notALog',
      });
      expect(codeOf(() => openAccessLog({ dir: join(other, 'none'), keyProvider: KEY_PROVIDER, clock: clockAt(), logger, create: false }))).toEqual({
        code: 'AUDIT_UNAVAILABLE',
        params: { reason: 'missing' },
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('a writer killed between its steps (the kill test does it for real, at random)', () => {
  it('accepts a pending anchor whose record was never committed, or was committed before the anchor was finished', () => {
    writeSix(dir);
    const logPath = join(dir, AUDIT_FILE);
    const anchorKey = deriveAuditKeys(KEY_PROVIDER.getKey()).anchor;
    const read = readAnchor(logPath, anchorKey);
    if (!read.ok) throw new Error('no anchor');
    const six = read.anchor.committed;
    expect(six.seq).toBe(6);
    // Killed after announcing record 7, before committing it.
    writeAnchor(logPath, anchorKey, { committed: six, pending: { seq: 7, hash: 'a'.repeat(64) } });
    expect(verifyNow()).toMatchObject({ intact: true, records: 6 });
    // Killed after committing record 7, before finishing its anchor.
    const log = open(dir);
    log.append(SIX[1]!);
    log.close();
    const seven = readAnchor(logPath, anchorKey);
    if (!seven.ok) throw new Error('no anchor');
    writeAnchor(logPath, anchorKey, { committed: six, pending: seven.anchor.committed });
    expect(verifyNow()).toMatchObject({ intact: true, records: 7 });
    // The next append goes on from there and finishes the anchor.
    const again = open(dir);
    expect(again.append(SIX[2]!).seq).toBe(8);
    again.close();
    expect(readAnchor(logPath, anchorKey)).toMatchObject({ ok: true, anchor: { committed: { seq: 8 } } });
    expect(readAnchor(logPath, anchorKey)).not.toHaveProperty('anchor.pending');
  });
});

describe('tampering, each kind named by its first broken record', () => {
  beforeEach(() => writeSix(dir));

  const tamper = (fn: (db: Database.Database) => void) => {
    const db = rawLog(dir);
    try {
      fn(db);
    } finally {
      db.close();
    }
  };
  const row = (db: Database.Database, seq: number) =>
    db.prepare<[number], { prev_hash: string; hash: string; patient_key: string | null; record: string }>('SELECT * FROM access_log WHERE seq = ?').get(seq)!;

  it('one field of one record changed', () => {
    tamper((db) => {
      const record = JSON.parse(row(db, 3).record) as { what: string };
      record.what = 'allergies';
      db.prepare('UPDATE access_log SET record = ? WHERE seq = 3').run(JSON.stringify(record));
    });
    expect(verifyNow()).toEqual({ intact: false, records: 6, seq: 3, kind: 'changed' });
  });

  it('one field changed and its hash recomputed (the next record no longer links to it)', () => {
    tamper((db) => {
      const r = row(db, 3);
      const record = JSON.parse(r.record) as { outcome: { result: string } };
      record.outcome.result = 'refused';
      const text = JSON.stringify(record);
      db.prepare('UPDATE access_log SET record = ?, hash = ? WHERE seq = 3').run(text, recordHash(3, r.prev_hash, r.patient_key, text));
    });
    expect(verifyNow()).toMatchObject({ intact: false, seq: 4, kind: 'changed' });
  });

  it('a record deleted from the middle', () => {
    tamper((db) => db.prepare('DELETE FROM access_log WHERE seq = 3').run());
    expect(verifyNow()).toEqual({ intact: false, records: 5, seq: 3, kind: 'missing' });
  });

  it('the first record deleted', () => {
    tamper((db) => db.prepare('DELETE FROM access_log WHERE seq = 1').run());
    expect(verifyNow()).toMatchObject({ intact: false, seq: 1, kind: 'missing' });
  });

  it('the last record deleted (the log cut short)', () => {
    tamper((db) => db.prepare('DELETE FROM access_log WHERE seq = 6').run());
    expect(verifyNow()).toEqual({ intact: false, records: 5, seq: 6, kind: 'truncated' });
  });

  it('two records swapped', () => {
    tamper((db) => {
      db.prepare('UPDATE access_log SET seq = -3 WHERE seq = 3').run();
      db.prepare('UPDATE access_log SET seq = 3 WHERE seq = 5').run();
      db.prepare('UPDATE access_log SET seq = 5 WHERE seq = -3').run();
    });
    expect(verifyNow()).toEqual({ intact: false, records: 6, seq: 3, kind: 'reordered' });
  });

  it('a forged record inserted in the middle, linked to its predecessor, with a valid hash', () => {
    tamper((db) => {
      for (let seq = 6; seq >= 3; seq--) db.prepare('UPDATE access_log SET seq = seq + 1 WHERE seq = ?').run(seq);
      const before = row(db, 2);
      const text = row(db, 3 + 1).record.replace('section.view', 'print');
      db.prepare('INSERT INTO access_log (seq, prev_hash, hash, patient_key, record) VALUES (3, ?, ?, ?, ?)').run(
        before.hash,
        recordHash(3, before.hash, before.patient_key, text),
        before.patient_key,
        text,
      );
    });
    expect(verifyNow()).toEqual({ intact: false, records: 7, seq: 3, kind: 'inserted' });
  });

  it('a forged record appended after the last, chained correctly (only the anchor can tell)', () => {
    tamper((db) => {
      const last = row(db, 6);
      const text = last.record.replace('session.signOut', 'session.signIn');
      db.prepare('INSERT INTO access_log (seq, prev_hash, hash, patient_key, record) VALUES (7, ?, ?, NULL, ?)').run(
        last.hash,
        recordHash(7, last.hash, null, text),
        text,
      );
    });
    expect(verifyNow()).toEqual({ intact: false, records: 7, seq: 7, kind: 'inserted' });
  });

  it('a forged record put before the first (seq 0)', () => {
    tamper((db) => {
      const first = row(db, 1);
      db.prepare('INSERT INTO access_log (seq, prev_hash, hash, patient_key, record) VALUES (0, ?, ?, NULL, ?)').run(first.prev_hash, first.hash, first.record);
    });
    expect(verifyNow()).toEqual({ intact: false, records: 7, seq: 0, kind: 'inserted' });
  });

  it('the anchor damaged, forged or removed', () => {
    const path = anchorPath(join(dir, AUDIT_FILE));
    const good = readFileSync(path, 'utf8');
    const anchor = JSON.parse(good) as { committed: { seq: number } };
    anchor.committed.seq = 5;
    writeFileSync(path, JSON.stringify(anchor));
    expect(verifyNow()).toEqual({ intact: false, records: 6, seq: 6, kind: 'anchor' });
    writeFileSync(path, good.slice(0, 20));
    expect(verifyNow()).toMatchObject({ intact: false, seq: 6, kind: 'anchor' });
    unlinkSync(path);
    expect(verifyNow()).toMatchObject({ intact: false, seq: 6, kind: 'anchor' });
    writeFileSync(path, good);
    expect(verifyNow()).toMatchObject({ intact: true });
  });

  it('the whole file replaced by an older copy of itself', () => {
    const file = join(dir, AUDIT_FILE);
    const old = tempDir();
    try {
      copyFileSync(file, join(old, AUDIT_FILE));
      for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) copyFileSync(file + suffix, join(old, AUDIT_FILE) + suffix);
      const log = open(dir);
      log.append(SIX[1]!);
      log.append(SIX[2]!);
      log.close();
      for (const suffix of ['', '-wal', '-shm']) {
        rmSync(file + suffix, { force: true });
        if (existsSync(join(old, AUDIT_FILE) + suffix)) copyFileSync(join(old, AUDIT_FILE) + suffix, file + suffix);
      }
      expect(verifyNow()).toEqual({ intact: false, records: 6, seq: 7, kind: 'truncated' });
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  it('is not written to once tampered with: appending would anchor the forgery', () => {
    tamper((db) => db.prepare('DELETE FROM access_log WHERE seq = 6').run());
    const log = open(dir);
    expect(codeOf(() => log.append(SIX[0]!))).toEqual({ code: 'AUDIT_CHAIN_BROKEN', params: { seq: 6, kind: 'truncated' } });
    log.close();
    expect(verifyNow()).toMatchObject({ intact: false, seq: 6, kind: 'truncated' });
  });
});
