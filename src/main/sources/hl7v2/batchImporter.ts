/**
 * The batch drop folder's importer: files dropped in the folder (single
 * messages, BHS batches, FHS files) are imported once: each good message is
 * mapped and held in memory, the file is recorded in the ledger (name, hash,
 * outcome, time, counts — never patient data, see batchLedger.ts), then it
 * moves to processed/. A file that cannot be read as HL7 moves to quarantine/
 * with a reason file beside it; a bad message inside a good batch is written to
 * quarantine/ on its own, as its original bytes, with its reason, and the rest
 * of the batch imports. Reason files hold a code and positions only. Nothing is
 * deleted. A message is imported whole or not at all, and a file is committed
 * in one ledger write before it is moved, so a crash at any point neither skips
 * a file nor imports one twice.
 *
 * On start the mapped messages are rebuilt by reading again the files in
 * processed/ that the ledger lists as imported. A listed file that is missing
 * or whose SHA-256 no longer matches is not used: it is logged with a code
 * (never its name) and counted in the first import report. A file dropped
 * again with the bytes of one already handled is moved along without being
 * imported twice; a new file under a name used before is imported.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../../shared/errors';
import type { ClinicalItem } from '../../../shared/summary';
import { systemClock, type Clock } from '../../platform/clock';
import { createLogger, type Logger } from '../../platform/logger';
import type { SubjectIdentity } from '../types';
import { emptyLedger, type Ledger, type LedgerEntry, readLedger, sha256, writeLedger } from './batchLedger';
import { type Hl7FileContent, readHl7File } from './hl7File';
import { type QuarantineReason, quarantineReason, reasonFileText } from './quarantineReason';


export interface BatchImporterConfig {
  id: string;
  name: string;
  folder: string;
  /** A file changed more recently than this is still being written and waits; default 2000 ms. */
  settleMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface ImportReport {
  /** Messages imported from newly dropped files. */
  imported: number;
  quarantinedFiles: number;
  quarantinedMessages: number;
  /** Files the ledger lists as imported that were missing or changed when loaded, and so not used. */
  unverifiedFiles: number;
  /** Dropped files whose bytes were already handled: moved along, not imported again. */
  duplicateFiles: number;
}

/** Log codes for what the folder reports without naming files (names may carry identifiers). */
export type BatchFolderWarning = 'PROCESSED_MISSING' | 'PROCESSED_CHANGED' | 'PROCESSED_UNREADABLE' | 'LEDGER_REBUILT';

/** One mapped message, held in memory only. */
export interface ImportedMessage {
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

export interface BatchImporter {
  /** Imports every settled new file; safe to call at any time (calls are serialized). */
  importNew(): Promise<ImportReport>;
  /** Every message imported so far (after the first importNew). */
  messages(): readonly ImportedMessage[];
}

/** A name not yet taken in dir: the name itself, else with the time and, if need be, a counter. */
function freeName(dir: string, name: string, now: Date): string {
  if (!existsSync(path.join(dir, name))) return name;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${name}.${now.getTime()}` : `${name}.${now.getTime()}-${n}`;
    if (!existsSync(path.join(dir, candidate))) return candidate;
  }
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function createBatchImporter(config: BatchImporterConfig): BatchImporter {
  const clock = config.clock ?? systemClock;
  const log = config.logger ?? createLogger('sources.hl7v2.batch');
  const now = () => clock.now();
  const settleMs = config.settleMs ?? 2_000;
  const folder = config.folder;
  const processed = path.join(folder, 'processed');
  const quarantine = path.join(folder, 'quarantine');
  interface State {
    ledger: Ledger;
    messages: ImportedMessage[];
    /** Content hashes already handled (imported and verified, or quarantined), to the entry that handled them. */
    handled: Map<string, LedgerEntry>;
  }
  let state: State | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const warn = (code: BatchFolderWarning, count = 1): void => {
    log.warn({ sourceId: config.id, code, count }, 'batch folder');
  };

  function writeReason(target: string, reason: QuarantineReason, at: Date): void {
    writeFileSync(path.join(quarantine, `${target}.reason.json`), reasonFileText(reason, at));
  }

  function moveTo(dir: string, name: string, target: string): void {
    mkdirSync(dir, { recursive: true });
    renameSync(path.join(folder, name), path.join(dir, target));
  }

  function parse(name: string, bytes: Buffer, at: string): Hl7FileContent {
    return readHl7File(bytes, { sourceId: config.id, sourceName: config.name, fetchedAt: at, recordPrefix: `${name}/` });
  }

  function good(content: Hl7FileContent): ImportedMessage[] {
    return content.messages.flatMap((m) => (m.mapped && !m.error ? [{ subjects: m.mapped.subjects, items: m.mapped.items }] : []));
  }

  /**
   * Finishes a move the ledger recorded but a crash interrupted: the file is
   * still in the drop folder under its name, with the recorded bytes.
   */
  function finishMove(entry: LedgerEntry, at: Date): boolean {
    const dir = entry.outcome === 'imported' ? processed : quarantine;
    if (existsSync(path.join(dir, entry.stored))) return false;
    const pending = readIfPresent(path.join(folder, entry.name));
    if (!pending || sha256(pending) !== entry.sha256) return false;
    moveTo(dir, entry.name, entry.stored);
    if (entry.outcome === 'quarantined' && entry.reason) writeReason(entry.stored, entry.reason, at);
    return true;
  }

  /** The messages of the files the ledger lists as imported, each file checked against its hash. */
  function load(ledger: Ledger, at: Date, report: ImportReport): State {
    const loaded: State = { ledger, messages: [], handled: new Map() };
    for (const entry of ledger.files) {
      finishMove(entry, at);
      if (entry.outcome === 'quarantined') {
        loaded.handled.set(entry.sha256, entry);
        continue;
      }
      const bytes = readIfPresent(path.join(processed, entry.stored));
      if (!bytes || sha256(bytes) !== entry.sha256) {
        // Not silently used: a changed file could hold anything, a missing one nothing.
        warn(bytes ? 'PROCESSED_CHANGED' : 'PROCESSED_MISSING');
        report.unverifiedFiles++;
        continue;
      }
      try {
        loaded.messages.push(...good(parse(entry.name, bytes, entry.at)));
        loaded.handled.set(entry.sha256, entry);
      } catch {
        warn('PROCESSED_UNREADABLE');
        report.unverifiedFiles++;
      }
    }
    return loaded;
  }

  /** Ledger missing, unreadable or in the old format: rebuild it from what was imported (processed/), moving nothing. */
  function rebuild(at: Date, importedAt: Map<string, string>): State {
    const fresh: State = { ledger: emptyLedger(), messages: [], handled: new Map() };
    const names = existsSync(processed) ? readdirSync(processed).sort() : [];
    let duplicates = 0;
    for (const name of names) {
      const bytes = readFileSync(path.join(processed, name));
      const hash = sha256(bytes);
      if (fresh.handled.has(hash)) {
        duplicates++;
        continue;
      }
      const when = importedAt.get(name) ?? at.toISOString();
      try {
        const content = parse(name, bytes, when);
        const messages = good(content);
        const entry: LedgerEntry = {
          name,
          stored: name,
          sha256: hash,
          outcome: 'imported',
          at: when,
          messages: messages.length,
          quarantinedMessages: content.messages.length - messages.length,
        };
        fresh.ledger.files.push(entry);
        fresh.messages.push(...messages);
        fresh.handled.set(hash, entry);
      } catch {
        // It was imported once; a file that no longer reads stays where it is and is reported.
        warn('PROCESSED_UNREADABLE');
      }
    }
    if (fresh.ledger.files.length + duplicates > 0) warn('LEDGER_REBUILT', fresh.ledger.files.length + duplicates);
    writeLedger(folder, fresh.ledger);
    return fresh;
  }

  function commit(current: State, entry: LedgerEntry): void {
    current.ledger.files.push(entry);
    current.handled.set(entry.sha256, entry);
    writeLedger(folder, current.ledger);
  }

  function importFile(current: State, name: string, bytes: Buffer, hash: string, at: Date, report: ImportReport): void {
    const when = at.toISOString();
    let content: Hl7FileContent;
    try {
      content = parse(name, bytes, when);
    } catch (err) {
      const reason = quarantineReason(err instanceof CodedError ? err : new CodedError('HL7_MALFORMED', { message: 0 }));
      const stored = freeName(quarantine, name, at);
      commit(current, { name, stored, sha256: hash, outcome: 'quarantined', at: when, messages: 0, quarantinedMessages: 0, reason });
      moveTo(quarantine, name, stored);
      writeReason(stored, reason, at);
      report.quarantinedFiles++;
      return;
    }
    let bad = 0;
    for (const message of content.messages) {
      if (!message.error && message.mapped) continue;
      bad++;
      mkdirSync(quarantine, { recursive: true });
      const target = freeName(quarantine, `${name}.message-${message.index}.hl7`, at);
      // The message's own bytes, as they came: no re-encoding, nothing lost.
      writeFileSync(path.join(quarantine, target), message.bytes ?? bytes);
      writeReason(target, quarantineReason(message.error ?? new CodedError('HL7_MALFORMED', { message: message.index })), at);
    }
    const messages = good(content);
    const stored = freeName(processed, name, at);
    commit(current, { name, stored, sha256: hash, outcome: 'imported', at: when, messages: messages.length, quarantinedMessages: bad });
    moveTo(processed, name, stored);
    current.messages.push(...messages);
    report.imported += messages.length;
    report.quarantinedMessages += bad;
  }

  function runImport(): ImportReport {
    const at = now();
    mkdirSync(folder, { recursive: true });
    const report: ImportReport = { imported: 0, quarantinedFiles: 0, quarantinedMessages: 0, unverifiedFiles: 0, duplicateFiles: 0 };
    if (!state) {
      const read = readLedger(folder, at);
      state = read.kind === 'ledger' ? load(read.ledger, at, report) : rebuild(at, read.kind === 'legacy' ? read.importedAt : new Map());
    }
    const current = state;
    // Samsyn's own files (the ledger, its temporary and set-aside copies) start with a dot.
    const names = readdirSync(folder)
      .filter((n) => !n.startsWith('.'))
      .sort();
    for (const name of names) {
      // Runs before every patient query: one stat per entry, taken just before the file is read.
      const stat = statSync(path.join(folder, name));
      if (!stat.isFile()) continue;
      if (settleMs > 0 && at.getTime() - stat.mtimeMs < settleMs) continue;
      const bytes = readFileSync(path.join(folder, name));
      const hash = sha256(bytes);
      const seen = current.handled.get(hash);
      if (seen) {
        // The same bytes again (resent, or a move a crash interrupted): keep the file, import nothing twice.
        const dir = seen.outcome === 'imported' ? processed : quarantine;
        const stored = freeName(dir, name, at);
        moveTo(dir, name, stored);
        if (seen.reason) writeReason(stored, seen.reason, at);
        report.duplicateFiles++;
        continue;
      }
      importFile(current, name, bytes, hash, at, report);
    }
    if (report.imported + report.quarantinedFiles + report.quarantinedMessages + report.duplicateFiles > 0) {
      log.info({ sourceId: config.id, ...report });
    }
    return report;
  }

  const importNew = (): Promise<ImportReport> => {
    const run = queue.then(runImport);
    queue = run.catch(() => undefined);
    return run;
  };

  return { importNew, messages: () => state?.messages ?? [] };
}
