/**
 * The HL7 v2 batch drop folder adapter: before each patient query it lets the
 * importer (batchImporter.ts) take in every settled new file, then answers from
 * the messages imported so far that name the patient.
 */
import { CodedError } from '../../../shared/errors';
import { systemClock, type Clock } from '../../platform/clock';
import { createLogger, type Logger } from '../../platform/logger';
import type { PatientQuery, SourceAdapter, SourceResult } from '../types';
import { createBatchImporter, type ImportReport } from './batchImporter';
import { mentionsPatient } from './hl7File';

export type { BatchFolderWarning, ImportReport } from './batchImporter';

export interface BatchFolderConfig {
  id: string;
  name: string;
  folder: string;
  timeoutMs: number;
  /** A file changed more recently than this is still being written and waits; default 2000 ms. */
  settleMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface BatchFolderSource extends SourceAdapter {
  /** Imports every settled new file; safe to call at any time (calls are serialized). */
  importNew(): Promise<ImportReport>;
}

export function createBatchFolderSource(config: BatchFolderConfig): BatchFolderSource {
  const clock = config.clock ?? systemClock;
  const log = config.logger ?? createLogger('sources.hl7v2.batch');
  const importer = createBatchImporter({ ...config, clock, logger: log });
  const importNew = (): Promise<ImportReport> => importer.importNew();
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
      const mine = importer.messages().filter((m) => mentionsPatient(m, query.identifier));
      return {
        subjects: mine.flatMap((m) => m.subjects),
        // Each item keeps the time its file was imported: that is how old it is.
        items: mine.flatMap((m) => m.items),
        fetchedAt: clock.now().toISOString(),
      };
    },
  };
}
