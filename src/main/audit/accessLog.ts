/**
 * The access log (issue 10, item 6): one record per patient open, section
 * view, reveal, consent, emergency access, export, print, document view,
 * sign-in, sign-out and refused access, in an append-only, hash-chained table
 * of its own encrypted file. Each record stores seq, prev_hash and
 * hash = SHA-256 over (seq, prev_hash, patient lookup key, canonical record
 * text); the head is anchored outside the table (headAnchor.ts). `verify()`
 * walks the whole chain and names the first broken record and how it broke;
 * it trusts nothing the SQL triggers promise.
 *
 * One process writes a log (the app); others (`samsyn audit`) only read.
 * The log is never purged: it is not part of the cache and has no retention.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CodedError } from '../../shared/errors';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { canonicalRecordText, checkEntry, recordFromText, type AccessEntry, type AccessRecord } from './accessEntry';
import { auditError, deriveAuditKeys, openAccessLogDatabase, patientLookupKey, type AccessLogDb, type AuditKeys } from './accessLogDatabase';
import { anchorText, GENESIS_HASH, readAnchor, writeAnchor, type AnchorRead, type ChainHead } from './headAnchor';

export const AUDIT_FILE = 'audit.db';
/** The installation key's file (the cache's, ADR 0005): one key per installation, uses separated by HKDF. */
export const AUDIT_KEY_FILE = 'cache.key';

/** How a chain broke: a record changed, missing, out of place, forged in, the log cut short, or its anchor bad. */
export type BreakKind = 'changed' | 'missing' | 'reordered' | 'inserted' | 'truncated' | 'anchor';

export type VerifyReport =
  | { intact: true; records: number; head: ChainHead }
  | { intact: false; records: number; seq: number; kind: BreakKind };

export interface AppendResult {
  seq: number;
  at: string;
}

/** Where the installation key comes from: the cache's KeyProvider fits (src/main/cache/keyProvider.ts). */
export interface AuditKeyProvider {
  readonly kind: string;
  getKey(): Buffer;
}

export interface AccessLog {
  readonly path: string;
  /**
   * Writes one record and returns its seq and time. Throws CodedError:
   * AUDIT_FIELD_TOO_LONG / AUDIT_ENTRY_INVALID (the entry), AUDIT_CHAIN_BROKEN
   * (the log's head is not the anchored one: it is not written to),
   * AUDIT_WRITE_FAILED (disk full, read-only). A caller refuses the access
   * it could not log.
   */
  append(entry: AccessEntry): AppendResult;
  /** Intact, or the first broken record's seq and how it broke. */
  verify(): VerifyReport;
  /** Every record about the patient (system + value exactly as logged), oldest first. */
  forPatient(patient: { system?: string | undefined; value: string }): AccessRecord[];
  count(): number;
  close(): void;
}

interface Row {
  seq: unknown;
  prev_hash: unknown;
  hash: unknown;
  patient_key: unknown;
  record: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function recordHash(seq: number, prevHash: string, patientKey: string | null, text: string): string {
  return createHash('sha256').update(JSON.stringify([seq, prevHash, patientKey, text])).digest('hex');
}

type Break = { seq: number; kind: BreakKind };

/**
 * The table's head against the anchor: undefined when they agree (the head is
 * the committed record, or the pending one of an append that was under way).
 */
function anchorBreak(head: ChainHead, read: AnchorRead, hashAt: (seq: number) => string | undefined): Break | undefined {
  if (!read.ok) return { seq: head.seq, kind: 'anchor' };
  const { committed, pending } = read.anchor;
  const same = (h: ChainHead) => h.seq === head.seq && h.hash === head.hash;
  if (same(committed) || (pending && same(pending))) return undefined;
  if (head.seq < committed.seq) return { seq: head.seq + 1, kind: 'truncated' };
  if (head.seq === committed.seq || head.seq === pending?.seq) return { seq: head.seq, kind: 'changed' };
  const reached = pending && head.seq > pending.seq && hashAt(pending.seq) === pending.hash ? pending.seq : committed.seq;
  return { seq: reached + 1, kind: 'inserted' };
}

export function createAccessLog(options: { db: AccessLogDb; keys: AuditKeys; path: string; clock: Clock; logger: Logger }): AccessLog {
  const { db, keys, path, clock, logger } = options;
  const lastStmt = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1');
  const insertStmt = db.prepare('INSERT INTO access_log (seq, prev_hash, hash, patient_key, record) VALUES (?, ?, ?, ?, ?)');
  const rowsStmt = db.prepare<[], Row>('SELECT seq, prev_hash, hash, patient_key, record FROM access_log ORDER BY seq');
  const bySeqStmt = db.prepare<[number], { hash: unknown }>('SELECT hash FROM access_log WHERE seq = ?');
  const byHashStmt = db.prepare<[string], { seq: number }>('SELECT seq FROM access_log WHERE hash = ? ORDER BY seq LIMIT 1');
  const patientStmt = db.prepare<[string], { seq: number; record: unknown }>(
    'SELECT seq, record FROM access_log WHERE patient_key = ? ORDER BY seq',
  );
  const countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM access_log');

  const head = (): ChainHead => lastStmt.get() ?? { seq: 0, hash: GENESIS_HASH };
  const hashAt = (seq: number): string | undefined => {
    const row = bySeqStmt.get(seq);
    return row ? str(row.hash) : undefined;
  };

  /** The walk, inside one read transaction so the table does not move under it. */
  const walk = db.transaction((): VerifyReport => {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let prevPrevHash: string | undefined;
    let records = 0;
    let suspect: { seq: number; prev: string; hash: string; patientKey: string | null; text: string } | undefined;
    let found: Break | undefined;
    for (const row of rowsStmt.iterate()) {
      records++;
      const seq = Number(row.seq);
      const prev = str(row.prev_hash);
      const hash = str(row.hash);
      const patientKey = row.patient_key === null ? null : str(row.patient_key);
      const text = str(row.record);
      if (seq !== expectedSeq) {
        // Below the first seq (0 or negative) only a forged row can stand; above the next one, rows are gone.
        found = seq < expectedSeq ? { seq, kind: 'inserted' } : { seq: expectedSeq, kind: 'missing' };
        break;
      }
      if (recordHash(seq, prev, patientKey, text) !== hash) {
        // Looked into once the walk is closed (one statement at a time per connection).
        suspect = { seq, prev, hash, patientKey, text };
        break;
      }
      if (prev !== prevHash || recordFromText(seq, text) === undefined) {
        found = { seq, kind: 'changed' };
        break;
      }
      prevPrevHash = prevHash;
      prevHash = hash;
      expectedSeq = seq + 1;
    }
    if (suspect) {
      const s = suspect;
      // A record whose hash is right for another seq was moved there: the seq its predecessor gives it.
      const before = s.prev === GENESIS_HASH ? 0 : byHashStmt.get(s.prev)?.seq;
      const original = before === undefined ? undefined : Number(before) + 1;
      if (original !== undefined && original !== s.seq && recordHash(original, s.prev, s.patientKey, s.text) === s.hash) {
        // Pushed one place on, and linking past the record before it: that record was put in.
        found = original === s.seq - 1 && s.prev === prevPrevHash ? { seq: s.seq - 1, kind: 'inserted' } : { seq: s.seq, kind: 'reordered' };
      } else {
        found = { seq: s.seq, kind: 'changed' };
      }
    }
    if (found) return { intact: false, records: countStmt.get()?.n ?? records, ...found };
    const last = { seq: expectedSeq - 1, hash: prevHash };
    const broken = anchorBreak(last, readAnchor(path, keys.anchor), hashAt);
    return broken ? { intact: false, records, ...broken } : { intact: true, records, head: last };
  });

  const appendTx = db.transaction((text: string, patientKey: string | null): ChainHead => {
    const last = head();
    const broken = anchorBreak(last, readAnchor(path, keys.anchor), hashAt);
    // A log cut short or grown behind the writer's back is not written to: writing would re-anchor it.
    if (broken) throw new CodedError('AUDIT_CHAIN_BROKEN', { seq: broken.seq, kind: broken.kind });
    const seq = last.seq + 1;
    const hash = recordHash(seq, last.hash, patientKey, text);
    writeAnchor(path, keys.anchor, { committed: last, pending: { seq, hash } });
    insertStmt.run(seq, last.hash, hash, patientKey, text);
    return { seq, hash };
  });

  return {
    path,
    append(entry) {
      const checked = checkEntry(entry);
      const at = clock.now().toISOString();
      const text = canonicalRecordText({ ...checked, at });
      const patientKey = checked.patient ? patientLookupKey(keys, checked.patient) : null;
      let written: ChainHead;
      try {
        written = appendTx.immediate(text, patientKey);
      } catch (err) {
        const coded = auditError(err, 'AUDIT_WRITE_FAILED');
        logger.error({ code: coded.code, params: coded.params }, 'access record not written');
        throw coded;
      }
      try {
        writeAnchor(path, keys.anchor, { committed: written }, false);
      } catch (err) {
        // Committed: the pending anchor already covers it; the next append finishes the step.
        logger.warn({ code: auditError(err, 'AUDIT_WRITE_FAILED').params?.reason }, 'access log anchor left pending');
      }
      return { seq: written.seq, at };
    },
    verify() {
      for (let attempt = 0; ; attempt++) {
        const before = anchorText(path);
        let report: VerifyReport;
        try {
          report = walk.deferred();
        } catch (err) {
          throw auditError(err, 'AUDIT_UNAVAILABLE');
        }
        // The writer moved the anchor while the table was read: read both again.
        if (report.intact || anchorText(path) === before || attempt >= 4) return report;
      }
    },
    forPatient(patient) {
      const rows = patientStmt.all(patientLookupKey(keys, patient));
      const records: AccessRecord[] = [];
      for (const row of rows) {
        const record = recordFromText(Number(row.seq), str(row.record));
        if (record?.patient && record.patient.value === patient.value && record.patient.system === patient.system) records.push(record);
      }
      return records;
    },
    count: () => countStmt.get()?.n ?? 0,
    close: () => db.close(),
  };
}

export interface OpenAccessLogOptions {
  dir: string;
  keyProvider: AuditKeyProvider;
  clock: Clock;
  logger: Logger;
  /** false: a missing log is AUDIT_UNAVAILABLE (tools that only read). */
  create?: boolean;
}

/** Opens the log in `dir` (audit.db, audit.db.head). Throws CodedError (CACHE_KEY_* from the key, AUDIT_UNAVAILABLE). */
export function openAccessLog(options: OpenAccessLogOptions): AccessLog {
  const path = join(options.dir, AUDIT_FILE);
  const keys = deriveAuditKeys(options.keyProvider.getKey());
  const db = openAccessLogDatabase(path, keys, options.create === false ? { create: false } : {});
  const log = createAccessLog({ db, keys, path, clock: options.clock, logger: options.logger });
  try {
    // A new (or never written) log gets its first anchor; one with records never gets a fresh one.
    if (options.create !== false && log.count() === 0 && !readAnchor(path, keys.anchor).ok) writeAnchor(path, keys.anchor, { committed: { seq: 0, hash: GENESIS_HASH } });
  } catch (err) {
    log.close();
    throw auditError(err, 'AUDIT_UNAVAILABLE');
  }
  options.logger.info({ keyProvider: options.keyProvider.kind, records: log.count() }, 'access log opened');
  return log;
}
