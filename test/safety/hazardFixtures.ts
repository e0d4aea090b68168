/**
 * What the hazard tests (SAFETY.md) share: the patient, HL7 v2 messages about
 * them written into a real drop folder, and one open through the real summary
 * service over whatever real sources a test starts.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/main/platform/logger';
import { createBatchFolderSource, type BatchFolderSource } from '../../src/main/sources/hl7v2/batchFolderSource';
import type { SourceAdapter } from '../../src/main/sources/types';
import { createSummaryService } from '../../src/main/summary/summaryService';
import type { MergedItem, Summary } from '../../src/shared/summary';
import { sandboxQuery } from '../fixtures/patientQuery';

export const NOW = new Date('2026-11-25T10:00:00Z');
export const TOLVAN_ID = '191212121212';
export const TOLVAN_PID = `PID|1||${TOLVAN_ID}^^^1.2.752.129.2.1.3.1||Tolvansson^Tolvan`;
export const tolvan = () => sandboxQuery('tolvan', NOW);

export const msh = (id: string) => `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20261125||ORU^R01|${id}|P|2.5|||||SWE|8859/1`;

/** One HL7 message about Tolvan from its segments after PID. */
export const hl7Message = (id: string, ...segments: string[]) => [msh(id), TOLVAN_PID, ...segments].join('\r');

export interface DropFolder {
  folder: string;
  source: BatchFolderSource;
  cleanup(): void;
}

/** A real drop folder holding these files (name → text, written as 8859/1), settled and ready to import. */
export function dropFolder(files: Record<string, string>, extra: { maxFileBytes?: number } = {}): DropFolder {
  const folder = mkdtempSync(join(tmpdir(), 'samsyn-hazard-'));
  const past = new Date(NOW.getTime() - 60_000);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(folder, name), Buffer.from(text, 'latin1'));
    utimesSync(join(folder, name), past, past);
  }
  const source = createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 1_000, clock: { now: () => NOW }, ...extra });
  return { folder, source, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The final summary of one open of Tolvan through the real summary service. */
export function openTolvan(sources: SourceAdapter[]): Promise<Summary> {
  return createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') }).open(tolvan());
}

export const allItems = (s: Summary): MergedItem[] => Object.values(s.sections).flat();
export const statusOf = (s: Summary, id: string) => s.sources.find((x) => x.sourceId === id);
export const fromSource = (s: Summary, id: string) => allItems(s).filter((i) => i.sources.some((p) => p.sourceId === id));
