/**
 * What a batch folder has imported, kept beside the files as JSON so imports
 * survive a restart: which files were handled (and how), and the mapped
 * messages. Written whole to a temporary file and renamed, so a crash leaves the
 * old ledger or the new one, never half of one. A ledger that cannot be read is
 * moved aside, never overwritten, and rebuilt from processed/.
 *
 * It holds clinical data in plain JSON, as the dropped files themselves do; it
 * belongs in the encrypted cache once that exists (issue 5).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SubjectIdentity } from '../types';
import type { ClinicalItem } from '../../../shared/summary';

export const LEDGER_FILE = '.samsyn-import.json';

export interface LedgerFile {
  outcome: 'imported' | 'quarantined';
  at: string;
  messages: number;
  quarantinedMessages: number;
}

export interface LedgerMessage {
  file: string;
  index: number;
  controlId?: string;
  importedAt: string;
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

export interface Ledger {
  version: 1;
  files: Record<string, LedgerFile>;
  messages: LedgerMessage[];
}

export function emptyLedger(): Ledger {
  return { version: 1, files: {}, messages: [] };
}

/** Reads the ledger; `undefined` when there is none or it was unreadable (then it is moved aside). */
export function readLedger(folder: string, now: Date): Ledger | undefined {
  const file = path.join(folder, LEDGER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Ledger;
    if (parsed.version !== 1 || typeof parsed.files !== 'object' || !Array.isArray(parsed.messages)) {
      throw new Error('ledger shape');
    }
    return parsed;
  } catch {
    renameSync(file, `${file}.unreadable-${now.getTime()}`);
    return undefined;
  }
}

export function writeLedger(folder: string, ledger: Ledger): void {
  const file = path.join(folder, LEDGER_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(ledger));
  renameSync(tmp, file);
}
