/**
 * The batch folder's bookkeeping, kept beside the files so imports survive a
 * restart: which files were handled, how, and when. It holds nothing
 * identifying and nothing clinical — Samsyn never writes readable patient data
 * to disk (the encrypted cache is the only place it stores any). Per file: the
 * name it was dropped under, the name it is kept under in processed/ or
 * quarantine/, a SHA-256 of its bytes and their count, the outcome, the time,
 * message counts, and for a quarantined file the coded reason. A file
 * quarantined without being read (over the size limit, or the one an earlier
 * run died importing) has its size but no hash. Before a file is read, its
 * name and size are written as the ledger's `attempt`: a ledger that still
 * holds one at start means that import never finished (a crash, running out
 * of memory), and the file is quarantined instead of being tried again. The mapped messages live in
 * memory only and are rebuilt on start from the files in processed/ the ledger
 * lists, after checking each file's hash.
 *
 * Written whole to a temporary file and renamed, so a crash leaves the old
 * ledger or the new one, never half of one. A ledger that cannot be read is
 * moved aside, never overwritten, and rebuilt from processed/. A ledger in the
 * first format (version 1, which held mapped clinical data) is replaced in
 * place by the rebuilt one, keeping only its outcomes and times: keeping it
 * aside would keep readable patient data on disk, and everything in it can be
 * rebuilt from processed/.
 */
import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type QuarantineReason, quarantineReasonSchema } from './quarantineReason';

export const LEDGER_FILE = '.samsyn-import.json';

const entrySchema = z.strictObject({
  /** The name the file was dropped under. */
  name: z.string().min(1),
  /** Its name in processed/ or quarantine/ (differs when the name was taken). */
  stored: z.string().min(1),
  /** Absent only for a file quarantined without being read. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Bytes (written since the batch folder's limits; older entries lack it). */
  size: z.number().int().nonnegative().optional(),
  outcome: z.enum(['imported', 'quarantined']),
  at: z.iso.datetime(),
  messages: z.number().int().nonnegative(),
  quarantinedMessages: z.number().int().nonnegative(),
  reason: quarantineReasonSchema.optional(),
});

const attemptSchema = z.strictObject({
  name: z.string().min(1),
  size: z.number().int().nonnegative(),
  at: z.iso.datetime(),
});

const ledgerSchema = z.strictObject({
  version: z.literal(2),
  files: z.array(entrySchema),
  /** The file being imported right now; cleared when its entry is written. */
  attempt: attemptSchema.optional(),
});

export type ImportAttempt = z.infer<typeof attemptSchema>;

export type LedgerEntry = Omit<z.infer<typeof entrySchema>, 'reason'> & { reason?: QuarantineReason };

export interface Ledger {
  version: 2;
  files: LedgerEntry[];
  attempt?: ImportAttempt;
}

export type LedgerRead =
  | { kind: 'ledger'; ledger: Ledger }
  /** No ledger, or one moved aside as unreadable: rebuild from processed/. */
  | { kind: 'missing' }
  /** A version 1 ledger: rebuild from processed/, keeping these import times by file name. */
  | { kind: 'legacy'; importedAt: Map<string, string> };

export function emptyLedger(): Ledger {
  return { version: 2, files: [] };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes hashed between two pauses of sha256Steps. */
const HASH_STEP_BYTES = 4 << 20;

/** sha256 in steps of HASH_STEP_BYTES (it yields between them; see timeSlices.ts): the same digest. */
export function* sha256Steps(bytes: Buffer): Generator<void, string, void> {
  const hash = createHash('sha256');
  for (let from = 0; from < bytes.length; from += HASH_STEP_BYTES) {
    hash.update(bytes.subarray(from, Math.min(bytes.length, from + HASH_STEP_BYTES)));
    if (from + HASH_STEP_BYTES < bytes.length) yield;
  }
  return hash.digest('hex');
}

/** Import times from a version 1 ledger's `files` map; anything else in it is ignored. */
function legacyTimes(parsed: unknown): Map<string, string> | undefined {
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) return undefined;
  const files = (parsed as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null) return undefined;
  const times = new Map<string, string>();
  for (const [name, entry] of Object.entries(files)) {
    const at = (entry as { at?: unknown; outcome?: unknown } | null)?.at;
    const outcome = (entry as { outcome?: unknown } | null)?.outcome;
    if (outcome === 'imported' && typeof at === 'string' && z.iso.datetime().safeParse(at).success) times.set(name, at);
  }
  return times;
}

/** Reads the ledger; one that cannot be read is moved aside (never overwritten) and reported missing. */
/** The file operations the batch folder uses: node:fs, or a wrapper that fails like a full or read-only disk. */
export type FolderFs = Pick<
  typeof nodeFs,
  | 'closeSync'
  | 'existsSync'
  | 'fstatSync'
  | 'lstatSync'
  | 'mkdirSync'
  | 'openSync'
  | 'readdirSync'
  | 'readFileSync'
  | 'readSync'
  | 'renameSync'
  | 'writeFileSync'
  | 'writeSync'
>;

export const nodeFolderFs: FolderFs = nodeFs;

export function readLedger(folder: string, now: Date, fs: FolderFs = nodeFolderFs): LedgerRead {
  const file = path.join(folder, LEDGER_FILE);
  if (!fs.existsSync(file)) return { kind: 'missing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const ledger = ledgerSchema.safeParse(parsed);
  if (ledger.success) return { kind: 'ledger', ledger: ledger.data as Ledger };
  const legacy = legacyTimes(parsed);
  if (legacy) return { kind: 'legacy', importedAt: legacy };
  try {
    fs.renameSync(file, `${file}.unreadable-${now.getTime()}`);
  } catch {
    // A read-only folder: it stays where it is, and the rebuilt ledger cannot be written either (reported then).
  }
  return { kind: 'missing' };
}

export function writeLedger(folder: string, ledger: Ledger, fs: FolderFs = nodeFolderFs): void {
  const file = path.join(folder, LEDGER_FILE);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(ledger));
  fs.renameSync(tmp, file);
}
