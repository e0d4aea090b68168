/**
 * The HL7 v2 batch drop folder adapter: before each patient query it lets the
 * importer (batchImporter.ts) take in every complete new file, then answers
 * from the messages imported so far that name the patient. A file that is
 * skipped or quarantined, or a folder that cannot be written, never fails the
 * query: it is reported in folderStatus(); only a folder whose ledger and
 * files cannot be read at all (nothing to answer from) fails it.
 */
import { CodedError, type ErrorCode } from '../../../shared/errors';
import { systemClock } from '../../platform/clock';
import { createLogger } from '../../platform/logger';
import type { PatientQuery, SourceAdapter, SourceHealth, SourceResult } from '../types';
import { createBatchImporter, type BatchImporterConfig, type FolderStatus, type ImportReport } from './batchImporter';
import { throwIfAborted } from '../common/abort';

export type { BatchFolderWarning, FileReason, FolderFs, FolderStatus, ImportReport } from './batchImporter';

/** The importer's settings (folder, limits, clock, logger) and the source's deadline. */
export interface BatchFolderConfig extends BatchImporterConfig {
  timeoutMs: number;
}

export interface BatchFolderSource extends SourceAdapter {
  /** Imports every settled new file; safe to call at any time (calls are serialized). */
  importNew(): Promise<ImportReport>;
  /** The folder after the last round: imported, quarantined (by code), waiting, skipped (by code), the folder's own fault. */
  folderStatus(): FolderStatus;
}

/** The folder's state as source notes: every quarantined, skipped or unusable file counted by its code. */
export function folderHealth(status: FolderStatus): SourceHealth {
  const counts = new Map<ErrorCode, number>();
  const add = (code: ErrorCode, n = 1) => counts.set(code, (counts.get(code) ?? 0) + n);
  for (const [code, n] of Object.entries(status.quarantined)) add(code as ErrorCode, n ?? 0);
  if (status.quarantinedMessages > 0) add('HL7_MALFORMED', status.quarantinedMessages);
  for (const r of [...status.skipped, ...status.unverified]) add(r.code);
  if (status.error) add(status.error.code);
  return {
    notes: [...counts.entries()].filter(([, n]) => n > 0).map(([code, count]) => ({ code, count })),
    ...(status.waiting > 0 ? { waiting: status.waiting } : {}),
  };
}

export function createBatchFolderSource(config: BatchFolderConfig): BatchFolderSource {
  const clock = config.clock ?? systemClock;
  // The registry's logger carries the source's id already (createServices); a logger of its own gets it here.
  const log = config.logger ?? createLogger('sources.hl7v2.batch').child({ sourceId: config.id });
  const importer = createBatchImporter({ ...config, clock, logger: log });
  const importNew = (): Promise<ImportReport> => importer.importNew();
  return {
    id: config.id,
    name: config.name,
    kind: 'hl7v2-batch',
    timeoutMs: config.timeoutMs,
    importNew,
    folderStatus: () => importer.folderStatus(),
    health: () => folderHealth(importer.folderStatus()),
    async fetchPatient(query: PatientQuery, signal: AbortSignal): Promise<SourceResult> {
      try {
        await importNew();
      } catch (err) {
        // Only when nothing could be loaded: per-file reasons and folder faults after a load never land here.
        log.warn({ cause: (err as NodeJS.ErrnoException)?.code ?? 'error' }, 'batch import failed');
        throw err instanceof CodedError ? err : new CodedError('SOURCE_UNREACHABLE', { reason: 'folder' });
      }
      throwIfAborted(signal);
      // Held messages, and those kept by where they lie read again (a very large import, ADR 0038).
      const mine = await importer.messagesFor(query.identifier, { signal, maxItems: query.maxItems });
      throwIfAborted(signal);
      return {
        subjects: mine.flatMap((m) => m.subjects),
        // Each item keeps the time its file was imported: that is how old it is.
        items: mine.flatMap((m) => m.items),
        fetchedAt: clock.now().toISOString(),
      };
    },
  };
}
