/**
 * The HL7 v2 batch drop folder adapter. Files dropped in the folder (single
 * messages, BHS batches, FHS files) are imported once: each good message is
 * mapped and recorded in the ledger, then the file moves to processed/. A file
 * that cannot be read as HL7 moves to quarantine/ with a reason file beside it;
 * a bad message inside a good batch is written to quarantine/ on its own, with
 * its reason, and the rest of the batch imports. Nothing is deleted. A message
 * is imported whole or not at all, and a file's messages are committed in one
 * ledger write before the file is moved, so a crash at any point neither skips
 * a file nor imports one twice.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../../shared/errors';
import { createLogger } from '../../log/logger';
import type { PatientQuery, SourceAdapter, SourceResult } from '../types';
import { emptyLedger, LEDGER_FILE, type Ledger, type LedgerMessage, readLedger, writeLedger } from './batchLedger';
import { mentionsPatient, readHl7File } from './hl7File';

const log = createLogger('sources.hl7v2.batch');

export interface BatchFolderConfig {
  id: string;
  name: string;
  folder: string;
  timeoutMs: number;
  /** A file changed more recently than this is still being written and waits; default 2000 ms. */
  settleMs?: number;
  now?: () => Date;
}

export interface ImportReport {
  imported: number;
  quarantinedFiles: number;
  quarantinedMessages: number;
}

export interface BatchFolderSource extends SourceAdapter {
  /** Imports every settled new file; safe to call at any time (calls are serialized). */
  importNew(): Promise<ImportReport>;
}

function freeName(dir: string, name: string, now: Date): string {
  return existsSync(path.join(dir, name)) ? `${name}.${now.getTime()}` : name;
}

export function createBatchFolderSource(config: BatchFolderConfig): BatchFolderSource {
  const now = config.now ?? (() => new Date());
  const settleMs = config.settleMs ?? 2_000;
  const folder = config.folder;
  const processed = path.join(folder, 'processed');
  const quarantine = path.join(folder, 'quarantine');
  let ledger: Ledger | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  function quarantineBytes(name: string, bytes: Buffer, reason: CodedError, at: Date, extra: Record<string, unknown>): string {
    mkdirSync(quarantine, { recursive: true });
    const target = freeName(quarantine, name, at);
    writeFileSync(path.join(quarantine, target), bytes);
    writeReason(target, reason, at, extra);
    return target;
  }

  function writeReason(target: string, reason: CodedError, at: Date, extra: Record<string, unknown>): void {
    writeFileSync(
      path.join(quarantine, `${target}.reason.json`),
      JSON.stringify({ code: reason.code, params: reason.params ?? {}, at: at.toISOString(), ...extra }, null, 2) + '\n',
    );
  }

  function moveTo(dir: string, name: string, at: Date): string {
    mkdirSync(dir, { recursive: true });
    const target = freeName(dir, name, at);
    renameSync(path.join(folder, name), path.join(dir, target));
    return target;
  }

  /** Maps a file's good messages; quarantines bad ones; throws when the whole file is unusable. */
  function importBytes(name: string, bytes: Buffer, at: Date): { messages: LedgerMessage[]; bad: number } {
    const content = readHl7File(bytes, {
      sourceId: config.id,
      sourceName: config.name,
      fetchedAt: at.toISOString(),
      recordPrefix: `${name}/`,
    });
    const messages: LedgerMessage[] = [];
    let bad = 0;
    for (const message of content.messages) {
      if (message.error || !message.mapped) {
        bad++;
        quarantineBytes(
          `${name}.message-${message.index}.hl7`,
          Buffer.from(message.text, content.charset),
          message.error ?? new CodedError('HL7_MALFORMED', { message: message.index }),
          at,
          { file: name, message: message.index },
        );
        continue;
      }
      messages.push({
        file: name,
        index: message.index,
        ...(message.controlId ? { controlId: message.controlId } : {}),
        importedAt: at.toISOString(),
        subjects: message.mapped.subjects,
        items: message.mapped.items,
      });
    }
    return { messages, bad };
  }

  /** Ledger missing or unreadable: rebuild it from what was already imported (processed/), moving nothing. */
  function rebuild(at: Date): Ledger {
    const fresh = emptyLedger();
    if (!existsSync(processed)) return fresh;
    for (const name of readdirSync(processed).sort()) {
      try {
        const { messages } = importBytes(name, readFileSync(path.join(processed, name)), at);
        fresh.messages.push(...messages);
        fresh.files[name] = { outcome: 'imported', at: at.toISOString(), messages: messages.length, quarantinedMessages: 0 };
      } catch {
        // It was imported once; a file that no longer reads stays where it is and is reported.
        log.warn({ sourceId: config.id }, 'processed file unreadable during rebuild');
      }
    }
    writeLedger(folder, fresh);
    return fresh;
  }

  function runImport(): ImportReport {
    const at = now();
    mkdirSync(folder, { recursive: true });
    ledger ??= readLedger(folder, at) ?? rebuild(at);
    const state = ledger;
    const report: ImportReport = { imported: 0, quarantinedFiles: 0, quarantinedMessages: 0 };
    const names = readdirSync(folder)
      .filter((n) => !n.startsWith('.') && n !== LEDGER_FILE)
      .sort();
    for (const name of names) {
      // Runs before every patient query: one stat per entry, taken just before the file is read.
      const stat = statSync(path.join(folder, name));
      if (!stat.isFile()) continue;
      const done = state.files[name];
      if (done) {
        // Recorded, then the process stopped before the move: finish the move, import nothing twice.
        moveTo(done.outcome === 'imported' ? processed : quarantine, name, at);
        continue;
      }
      if (settleMs > 0 && at.getTime() - stat.mtimeMs < settleMs) continue;
      const bytes = readFileSync(path.join(folder, name));
      try {
        const { messages, bad } = importBytes(name, bytes, at);
        state.messages.push(...messages);
        state.files[name] = { outcome: 'imported', at: at.toISOString(), messages: messages.length, quarantinedMessages: bad };
        writeLedger(folder, state);
        moveTo(processed, name, at);
        report.imported += messages.length;
        report.quarantinedMessages += bad;
      } catch (err) {
        const reason = err instanceof CodedError ? err : new CodedError('HL7_MALFORMED', { message: 0 });
        state.files[name] = { outcome: 'quarantined', at: at.toISOString(), messages: 0, quarantinedMessages: 0 };
        writeLedger(folder, state);
        const target = moveTo(quarantine, name, at);
        writeReason(target, reason, at, { file: name });
        report.quarantinedFiles++;
      }
    }
    if (report.imported + report.quarantinedFiles + report.quarantinedMessages > 0) {
      log.info({ sourceId: config.id, ...report });
    }
    return report;
  }

  const importNew = (): Promise<ImportReport> => {
    const run = queue.then(runImport);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    id: config.id,
    name: config.name,
    kind: 'hl7v2-batch',
    timeoutMs: config.timeoutMs,
    importNew,
    async fetchPatient(query: PatientQuery, signal: AbortSignal): Promise<SourceResult> {
      try {
        await importNew();
      } catch (err) {
        log.warn({ sourceId: config.id, cause: (err as NodeJS.ErrnoException)?.code ?? 'error' }, 'batch import failed');
        throw new CodedError('SOURCE_UNREACHABLE', { reason: 'folder' });
      }
      if (signal.aborted) throw signal.reason instanceof CodedError ? signal.reason : new CodedError('SOURCE_TIMEOUT');
      const mine = (ledger?.messages ?? []).filter((m) => mentionsPatient(m, query.identifier));
      return {
        subjects: mine.flatMap((m) => m.subjects),
        // Each item keeps the time its file was imported: that is how old it is.
        items: mine.flatMap((m) => m.items),
        fetchedAt: now().toISOString(),
      };
    },
  };
}
