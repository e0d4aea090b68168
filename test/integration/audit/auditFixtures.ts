/**
 * Shared by the access log tests: a log in a fresh folder under a fixed key,
 * entries for synthetic patients, and a raw connection for tampering (with the
 * key, the way only someone holding it could; the triggers dropped first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AUDIT_FILE, openAccessLog, type AccessLog, type AuditKeyProvider } from '../../../src/main/audit/accessLog';
import type { AccessEntry } from '../../../src/main/audit/accessEntry';
import { AUDIT_CIPHER, deriveAuditKeys } from '../../../src/main/audit/accessLogDatabase';
import { createLogger } from '../../../src/main/platform/logger';
import { TEST_IDS } from '../../fixtures/testIds';
import { rawKeyPragma } from '../../../src/main/platform/databaseKey';

export const KEY = Buffer.alloc(32, 7);
export const KEY_PROVIDER: AuditKeyProvider = { kind: 'test', getKey: () => KEY };
export const PERSONNUMMER = 'urn:oid:1.2.752.129.2.1.3.1';
export const TOLVAN = { system: PERSONNUMMER, value: TEST_IDS.se.tolvan.value };
export const TAGE = { system: PERSONNUMMER, value: TEST_IDS.se.tage.value };
export const logger = createLogger('test.audit');

export const NURSE = {
  userId: 'u-1001',
  displayName: 'Sjuksköterska Anna Andersson',
  role: 'nurse',
  careUnit: { id: 'unit-ava', name: 'Akutmottagningen Västerås' },
  organisation: { id: 'org-rv', name: 'Region Västmanland' },
  provider: 'local',
  signedInAt: '2026-11-25T07:55:00Z',
};

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'samsyn-audit-'));
}

export function clockAt(iso = '2026-11-25T08:00:00Z') {
  let time = Date.parse(iso);
  return { now: () => new Date((time += 1000)) };
}

export function open(dir: string, clock = clockAt()): AccessLog {
  return openAccessLog({ dir, keyProvider: KEY_PROVIDER, clock, logger });
}

/** Six records: sign-in, open Tolvan, view a section, open Tage, emergency open of Tolvan, sign-out. */
export const SIX: AccessEntry[] = [
  { user: NURSE, action: 'session.signIn', outcome: { result: 'granted' } },
  { user: NURSE, patient: TOLVAN, purpose: 'care', action: 'patient.open', outcome: { result: 'granted' } },
  { user: NURSE, patient: TOLVAN, purpose: 'care', action: 'section.view', what: 'medications', outcome: { result: 'granted' } },
  { user: NURSE, patient: TAGE, purpose: 'care', action: 'patient.open', outcome: { result: 'refused', code: 'BRIDGE_UNAUTHORIZED' } },
  {
    user: NURSE,
    patient: TOLVAN,
    purpose: 'emergency',
    reason: 'Medvetslös vid ankomst',
    action: 'emergency.open',
    outcome: { result: 'granted' },
  },
  { user: NURSE, action: 'session.signOut', outcome: { result: 'granted' } },
];

export function writeSix(dir: string): void {
  const log = open(dir);
  for (const entry of SIX) log.append(entry);
  log.close();
}

/** A raw connection to the log's file, with the key and without the append-only triggers. */
export function rawLog(dir: string, key: Buffer = KEY): Database.Database {
  const db = new Database(join(dir, AUDIT_FILE));
  db.pragma(`cipher = '${AUDIT_CIPHER}'`);
  db.pragma(rawKeyPragma(deriveAuditKeys(key).database));
  db.exec('DROP TRIGGER IF EXISTS access_log_no_update; DROP TRIGGER IF EXISTS access_log_no_delete;');
  return db;
}
