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
 * A file is imported only when complete: unchanged for the settle time (by the
 * injected clock), unchanged while it was read (it is read a piece at a time in
 * several passes through one descriptor, never held whole; every read checks
 * the file is as it was opened, and before anything is written about it, that
 * it is still the file under its name — a change keeps nothing of the attempt
 * and names the file HL7_FILE_INCOMPLETE changed-while-read, ADR 0041), and —
 * for a BHS batch or an FHS
 * file — ending with its BTS / FTS. One that never gets its end marker is
 * quarantined as HL7_FILE_INCOMPLETE once it has stood still for
 * `incompleteAfterMs`. Every entry is looked at with lstat and opened with
 * O_NOFOLLOW: a symbolic link is never followed (HL7_FILE_LINK), a directory,
 * FIFO or device is never opened (HL7_FILE_NOT_REGULAR), and a file that cannot
 * be read is left where it is (FILE_UNREADABLE) — each a reason for that file
 * alone, shown in folderStatus(), never a failure of the source.
 *
 * A single message (no FHS/BHS) declares no end, so its writer's end is told
 * by a convention (docs/adr/0026-bounded-input-load-and-fuzzing.md), the
 * same ones integration engines use for drop folders (Mirth's File Reader
 * "file age" and name filter, Rhapsody's directory input): always, a name
 * that marks a file still being written (`*.part`, `*.tmp`, `*.partial`,
 * `*.filepart`, `~*`) is never taken — write under such a name, then rename;
 * and the file must stand still for the settle time (size and mtime, seen
 * with the descriptor at every read). `endMarker` adds one more:
 * 'terminator' — a single message must end with its segment terminator (CR or
 * LF); 'done-file' — a file NAME is taken only once NAME.done stands beside it
 * (the marker moves with the file). A file that never gets its end is
 * quarantined as HL7_FILE_INCOMPLETE after `incompleteAfterMs`.
 *
 * Bounded: a file over `maxFileBytes` (by stat, before any read) or with more
 * messages or segments than the limits (counted on the bytes, before parsing)
 * is quarantined as HL7_FILE_TOO_LARGE naming the limit. Before a file is
 * parsed its name is written to the ledger as the current attempt; if the
 * process dies there (out of memory), the next start quarantines that file as
 * HL7_IMPORT_INTERRUPTED instead of trying it again, so no file can make a
 * crash loop. Files are taken one per turn of the event loop.
 *
 * A folder that cannot be written (read-only, full disk) stops the round with
 * HL7_FOLDER_READ_ONLY / HL7_FOLDER_DISK_FULL in folderStatus(); new files wait
 * and what was imported is still answered.
 *
 * On start the mapped messages are rebuilt by reading again the files in
 * processed/ that the ledger lists as imported. A listed file that is missing
 * or whose SHA-256 no longer matches is not used: it is logged with a code
 * (never its name), counted in the first import report and listed in
 * folderStatus() as HL7_IMPORTED_FILE_CHANGED. A file that only grew (its
 * writer went on after it was moved) still gives the part that was imported.
 * A file dropped again with the bytes of one already handled is moved along
 * without being imported twice; a new file under a name used before is imported.
 */
import { createHash } from 'node:crypto';
import { type BigIntStats, constants } from 'node:fs';
import path from 'node:path';
import { type AppError, CodedError, type ErrorCode } from '../../../shared/errors';
import type { ClinicalItem, Identifier } from '../../../shared/summary';
import { systemClock, type Clock } from '../../platform/clock';
import { createLogger, type Logger } from '../../platform/logger';
import type { SubjectIdentity } from '../types';
import {
  emptyLedger,
  type FolderFs,
  type Ledger,
  type LedgerEntry,
  nodeFolderFs,
  readLedger,
  writeLedger,
} from './batchLedger';
import {
  type ByteSource,
  bufferSource,
  HEAD_BYTES,
  readRange,
  SourceChangedError,
  SourceReadError,
  sha256SourceSteps,
  windowed,
} from './byteSource';
import { countSegmentsSourceSteps, eachHl7MessageSliced, type Hl7Input, mapMessageBytes, mentionsPatient } from './hl7File';
import type { Hl7MapContext } from './hl7Map';
import { type QuarantineReason, quarantineReason, reasonFileText } from './quarantineReason';
import { TimeSlices } from '../../platform/timeSlices';
import { throwIfAborted } from '../common/abort';

export type { FolderFs } from './batchLedger';
export { countSegments } from './hl7File';

/** Defaults that fit a workstation: a lab's daily batch is a few MB. */
export const DEFAULT_LIMITS = {
  maxFileBytes: 50 * 1024 * 1024,
  maxMessages: 20_000,
  maxSegments: 250_000,
  incompleteAfterMs: 10 * 60_000,
} as const;

/** How a file's writer marks it finished (besides settle time and in-progress names; see the module comment). */
export type EndMarker = 'settle' | 'terminator' | 'done-file';

/** Names of files still being written, by the write-then-rename convention: never taken. */
export function isInProgressName(name: string): boolean {
  return name.startsWith('~') || /\.(part|tmp|partial|filepart)$/i.test(name);
}

export const DONE_SUFFIX = '.done';

export interface BatchImporterConfig {
  id: string;
  name: string;
  folder: string;
  /** The profile's sealed-information markers. */
  confidentiality?: Hl7MapContext['confidentiality'];
  /** The assigning authority for PID-3 values that carry none (this feed's own numbers). */
  defaultAuthority?: string;
  /** A file changed more recently than this is still being written and waits; default 2000 ms. */
  settleMs?: number;
  /** Largest file read, in bytes (checked with stat before reading); default 50 MiB. */
  maxFileBytes?: number;
  /** Most messages in one file; default 20,000. */
  maxMessages?: number;
  /** Most segments in one file; default 250,000. */
  maxSegments?: number;
  /** A BHS/FHS file without its BTS/FTS that has not changed for this long is quarantined; default 10 min. */
  incompleteAfterMs?: number;
  /** What else tells that a file's writer is done: 'settle' (default: settle time only), 'terminator', 'done-file'. */
  endMarker?: EndMarker;
  /**
   * Most mapped items held in memory (default HELD_ITEMS). Past it a batch
   * message is kept as its patients and where its bytes lie in processed/,
   * and mapped again when a query names one of them (ADR 0038).
   */
  maxHeldItems?: number;
  clock?: Clock;
  logger?: Logger;
  /** File operations; default node:fs (tests pass a wrapper that fails like a full or read-only disk). */
  fs?: FolderFs;
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

/** A coded reason about one file; never its name (names may carry identifiers). */
export interface FileReason {
  code: ErrorCode;
  params?: QuarantineReason['params'];
}

/**
 * The folder as the last import round left it: every file is imported,
 * quarantined with its reason, waiting, or skipped with its reason.
 */
export interface FolderStatus {
  /** Files imported (the ledger's count, this run and earlier ones). */
  importedFiles: number;
  /** Messages held from them (what is answered). */
  messages: number;
  /** Files quarantined whole, by reason code. */
  quarantinedFiles: number;
  quarantined: Partial<Record<ErrorCode, number>>;
  /** Messages quarantined out of imported batches. */
  quarantinedMessages: number;
  /** Files in the drop folder not yet complete (or held back by a folder fault). */
  waiting: number;
  /** Entries left in the drop folder because they are links, not files, or unreadable. */
  skipped: FileReason[];
  /** Files imported earlier that could not be used at start (changed, missing, unreadable). */
  unverified: FileReason[];
  /** Why the last round could not finish (the folder itself); absent when it did. */
  error?: AppError;
  /** When the last round ran (ISO 8601); absent before the first. */
  checkedAt?: string;
}

/** Log codes for what the folder reports without naming files (names may carry identifiers). */
export type BatchFolderWarning =
  | 'PROCESSED_MISSING'
  | 'PROCESSED_CHANGED'
  | 'PROCESSED_GROWN'
  | 'PROCESSED_UNREADABLE'
  | 'LEDGER_REBUILT'
  | 'IMPORT_INTERRUPTED'
  | 'CHANGED_WHILE_READ'
  | 'UNREADABLE_WHILE_READ';

/** One mapped message, held in memory only. */
export interface ImportedMessage {
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

export interface BatchImporter {
  /** Imports every complete new file; safe to call at any time (calls are serialized). */
  importNew(): Promise<ImportReport>;
  /** The messages imported so far that are held mapped in memory (every one while under maxHeldItems). */
  messages(): readonly ImportedMessage[];
  /**
   * Every imported message naming the patient: those held, and those past
   * the memory budget read again from processed/ (each checked against the
   * digest taken when it was imported; one that changed is left out and
   * reported as HL7_IMPORTED_FILE_CHANGED) and mapped, in time slices.
   * Reading stops when `signal` is aborted (the source's deadline: nothing
   * more is mapped for an answer nobody waits for). With more than
   * `maxItems` items in the messages found (counted when they were
   * imported), nothing is read again: SOURCE_RESPONSE_TOO_LARGE (limit
   * 'items'), as the summary would refuse the answer whole anyway.
   */
  messagesFor(identifier: Identifier, options?: { signal?: AbortSignal; maxItems?: number }): Promise<ImportedMessage[]>;
  /** Counts and coded reasons, no names: for the source status, `samsyn` and the logs. */
  folderStatus(): FolderStatus;
}

/**
 * Mapped items held in memory by default (about 1 KiB each, twice that in
 * the heap's growth): a day's lab batch of a few MB fits; a 100 MB batch
 * (~840,000 items) is held as its patients and byte ranges instead (ADR 0038).
 */
export const HELD_ITEMS = 20_000;

/** Bytes copied per read when a whole file goes to quarantine. */
const READ_COPY_BYTES = 1 << 20;

/** Messages looked through between two checks of the slice budget. */
const GATHER_STEP_MESSAGES = 1024;

/** A file some of whose messages are kept by where they lie: read again from processed/ when asked for. */
interface KeptFile {
  /** Its name in processed/. */
  stored: string;
  /** Its name when dropped (the record ids' prefix) and when it was imported (the items' time). */
  name: string;
  at: string;
  /** Its first bytes (byteSource.ts headOf, a copy): the character set is read from them. */
  head: Buffer;
}

/** A message past the memory budget: the identifiers it names and where its bytes are; mapped again when a query names one. */
interface LocatedMessage {
  /** Its subjects' identifiers only (all mentionsPatient compares): names and addresses are read again with the message. */
  subjects: Array<Pick<SubjectIdentity, 'identifiers'>>;
  file: KeptFile;
  index: number;
  start: number;
  end: number;
  /** SHA-256 (base64url) of its bytes when imported: a file changed since is never mapped as if it were the same. */
  digest: string;
  /** How many items it mapped to when imported (the same bytes map the same again): a query over the limit is refused unread. */
  items: number;
}

/** What one file gave: messages held, messages located, bad ones. */
interface Gathered {
  held: ImportedMessage[];
  heldItems: number;
  located: LocatedMessage[];
  bad: number;
}

const digestOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64url');

/**
 * The subjects' identifiers, copied into strings of their own (a substring of
 * the decoded file would keep its whole piece alive).
 */
function ownIdentifiers(subjects: SubjectIdentity[]): Array<Pick<SubjectIdentity, 'identifiers'>> {
  return JSON.parse(JSON.stringify(subjects.map((s) => ({ identifiers: s.identifiers })))) as Array<Pick<SubjectIdentity, 'identifiers'>>;
}

const OWN_FOLDERS = new Set(['processed', 'quarantine']);
const WHITESPACE = new Set([0x09, 0x0a, 0x0d, 0x20, 0x1a, 0x00]);

/** The error codes a failing write maps to: the folder's own fault, not the file's. */
function folderFault(err: unknown): AppError {
  if (err instanceof CodedError) return err.toAppError();
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT') return { code: 'HL7_FOLDER_DISK_FULL' };
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return { code: 'HL7_FOLDER_READ_ONLY', params: { reason: code.toLowerCase() } };
  return { code: 'SOURCE_UNREACHABLE', params: { reason: 'folder' } };
}

function unreadable(err: unknown): FileReason {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return { code: 'FILE_UNREADABLE', params: { reason: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io' } };
}

const isGone = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** Bytes of a source looked at one by one through one cached block (the end markers read a few bytes at each end). */
function byteReader(source: ByteSource): { at(i: number): number | undefined; latin1(from: number, to: number): string } {
  const BLOCK = 65_536;
  let base = 0;
  let block: Buffer = Buffer.alloc(0);
  const at = (i: number): number | undefined => {
    if (i < 0 || i >= source.size) return undefined;
    if (i < base || i >= base + block.length) {
      base = i - (i % BLOCK);
      block = readRange(source, base, Math.min(source.size, base + BLOCK));
    }
    return block[i - base];
  };
  const latin1 = (from: number, to: number): string => {
    let text = '';
    for (let i = from; i < Math.min(to, source.size); i++) text += String.fromCharCode(at(i) as number);
    return text;
  };
  return { at, latin1 };
}

/** Where a file's content starts (after a UTF-8 BOM and whitespace) and its first three characters. */
function contentHead(bytes: Buffer | ByteSource): ReturnType<typeof byteReader> & { size: number; start: number; head: string } {
  const source = Buffer.isBuffer(bytes) ? bufferSource(bytes) : bytes;
  const reader = byteReader(source);
  const { at, latin1 } = reader;
  const size = source.size;
  let start = at(0) === 0xef && at(1) === 0xbb && at(2) === 0xbf ? 3 : 0;
  while (start < size && WHITESPACE.has(at(start) as number)) start++;
  return { ...reader, size, start, head: latin1(start, start + 3) };
}

/**
 * The end marker a batch declares by its first segment and lacks: BTS for a
 * BHS batch, FTS for an FHS file; undefined when present or not needed (a
 * message or headers without an envelope have none).
 */
export function missingEndMarker(bytes: Buffer | ByteSource): 'BTS' | 'FTS' | undefined {
  const { at, latin1, size, start, head } = contentHead(bytes);
  const want = head === 'FHS' ? 'FTS' : head === 'BHS' ? 'BTS' : undefined;
  if (!want) return undefined;
  let end = size;
  while (end > start && WHITESPACE.has(at(end - 1) as number)) end--;
  let last = end;
  while (last > start && at(last - 1) !== 0x0d && at(last - 1) !== 0x0a) last--;
  return latin1(last, last + 3) === want ? undefined : want;
}

/**
 * 'CR' when a single message (no FHS/BHS envelope) does not end with a segment
 * terminator (CR or LF, trailing end-of-file padding aside): its writer may not
 * be done. Undefined when it does, or for a batch (its BTS/FTS is its end).
 */
export function missingTerminator(bytes: Buffer | ByteSource): 'CR' | undefined {
  const { at, size, start, head } = contentHead(bytes);
  if (head === 'FHS' || head === 'BHS') return undefined;
  let end = size;
  // A Ctrl-Z or NUL padding after the last segment is not content.
  while (end > start && (at(end - 1) === 0x1a || at(end - 1) === 0x00)) end--;
  const last = at(end - 1);
  return end > start && (last === 0x0d || last === 0x0a) ? undefined : 'CR';
}

/** A file open for reading a piece at a time (ADR 0041): every read checks it has not changed since it was opened. */
interface OpenedFile {
  source: ByteSource;
  /** Its first bytes (HEAD_BYTES at most, a copy): its kind and character set. */
  head: Buffer;
  size: number;
  /**
   * Throws SourceChangedError unless the file is still as it was opened, and
   * still the one under its name (not replaced by a rename): called after
   * the last read, before anything is written about it.
   */
  check(): void;
  /** Closes the descriptor (again: nothing). */
  close(): void;
}

type OpenOutcome = { file: OpenedFile } | { skip: FileReason } | { waiting: true } | { gone: true };

/** The first `size` bytes of a source (a processed/ file that grew after its import: the part imported). */
function firstBytes(source: ByteSource, size: number): ByteSource {
  return { size: Math.min(size, source.size), read: (buffer, offset, length, position) => source.read(buffer, offset, Math.max(0, Math.min(length, size - position)), position) };
}

/** The coded reason for a file that changed or failed while it was read: it stays where it is and is tried again. */
function readFault(err: unknown): FileReason | undefined {
  if (err instanceof SourceChangedError) return { code: 'HL7_FILE_INCOMPLETE', params: { reason: 'changed-while-read' } };
  if (err instanceof SourceReadError) return unreadable(err.failure);
  return undefined;
}

export function createBatchImporter(config: BatchImporterConfig): BatchImporter {
  const clock = config.clock ?? systemClock;
  // The registry's logger carries the source's id already (createServices); a logger of its own gets it here.
  const log = config.logger ?? createLogger('sources.hl7v2.batch').child({ sourceId: config.id });
  const fs = config.fs ?? nodeFolderFs;
  const now = () => clock.now();
  const settleMs = config.settleMs ?? 2_000;
  const maxFileBytes = config.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
  const maxMessages = config.maxMessages ?? DEFAULT_LIMITS.maxMessages;
  const maxSegments = config.maxSegments ?? DEFAULT_LIMITS.maxSegments;
  const incompleteAfterMs = config.incompleteAfterMs ?? DEFAULT_LIMITS.incompleteAfterMs;
  const endMarker: EndMarker = config.endMarker ?? 'settle';
  const maxHeldItems = config.maxHeldItems ?? HELD_ITEMS;
  const doneFiles = endMarker === 'done-file';
  /** A drop-folder entry that is a candidate file: not Samsyn's own, not still being written, not a done marker. */
  const candidate = (n: string): boolean =>
    !n.startsWith('.') && !OWN_FOLDERS.has(n) && !isInProgressName(n) && !(doneFiles && n.endsWith(DONE_SUFFIX));
  const folder = config.folder;
  const processed = path.join(folder, 'processed');
  const quarantine = path.join(folder, 'quarantine');
  interface State {
    ledger: Ledger;
    messages: ImportedMessage[];
    /** Items in `messages`. */
    heldItems: number;
    /** Messages past maxHeldItems: kept by where they lie (ADR 0038). */
    located: LocatedMessage[];
    /** processed/ files found changed when a located message was read again (reported once each). */
    changed: Set<string>;
    /** Content hashes already handled (imported and verified, or quarantined), to the entry that handled them. */
    handled: Map<string, LedgerEntry>;
    unverified: FileReason[];
  }
  let state: State | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let round: { waiting: number; skipped: FileReason[]; error?: AppError; at?: string } = { waiting: 0, skipped: [] };

  const warn = (code: BatchFolderWarning, count = 1): void => {
    log.warn({ code, count }, 'batch folder');
  };

  function writeReason(target: string, reason: QuarantineReason, at: Date): void {
    fs.writeFileSync(path.join(quarantine, `${target}.reason.json`), reasonFileText(reason, at));
  }

  function moveTo(dir: string, name: string, target: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(path.join(folder, name), path.join(dir, target));
    // The done marker goes with its file, so it never stands for a later file of the same name.
    const marker = path.join(folder, name + DONE_SUFFIX);
    if (doneFiles && fs.existsSync(marker)) fs.renameSync(marker, path.join(dir, target + DONE_SUFFIX));
  }

  /** A name not yet taken in dir: the name itself, else with the time and, if need be, a counter. */
  function freeName(dir: string, name: string, at: Date): string {
    if (!fs.existsSync(path.join(dir, name))) return name;
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? `${name}.${at.getTime()}` : `${name}.${at.getTime()}-${n}`;
      if (!fs.existsSync(path.join(dir, candidate))) return candidate;
    }
  }

  /**
   * A regular file opened through one descriptor without following links and
   * without blocking (a FIFO never hangs the read), to be read a piece at a
   * time (ADR 0041): its bytes are never held whole. Every read is checked
   * against the file as it was opened (identity, size, modification and
   * change times, to the nanosecond): a file that changes while it is read
   * throws SourceChangedError, one whose read fails SourceReadError.
   */
  function openRegular(file: string, expected?: { ino: number }): OpenOutcome {
    let fd: number;
    try {
      fd = fs.openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      if (isGone(err)) return { gone: true };
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { skip: { code: 'HL7_FILE_LINK' } };
      return { skip: unreadable(err) };
    }
    let opened: OpenedFile | undefined;
    try {
      const before = fs.fstatSync(fd, { bigint: true });
      if (!before.isFile()) return { skip: { code: 'HL7_FILE_NOT_REGULAR' } };
      if ((expected && Number(before.ino) !== expected.ino) || before.size > BigInt(maxFileBytes)) return { waiting: true };
      let closed = false;
      const same = (now: BigIntStats): boolean =>
        now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeNs === before.mtimeNs && now.ctimeNs === before.ctimeNs;
      const source: ByteSource = {
        size: Number(before.size),
        read(buffer, offset, length, position) {
          if (closed) throw new SourceChangedError();
          let n: number;
          let now;
          try {
            n = length === 0 ? 0 : fs.readSync(fd, buffer, offset, length, position);
            now = fs.fstatSync(fd, { bigint: true });
          } catch (err) {
            throw new SourceReadError(err);
          }
          if (!same(now)) throw new SourceChangedError();
          return n;
        },
      };
      const check = (): void => {
        if (closed) throw new SourceChangedError();
        let named;
        try {
          if (!same(fs.fstatSync(fd, { bigint: true }))) throw new SourceChangedError();
          named = fs.lstatSync(file, { bigint: true });
        } catch (err) {
          if (err instanceof SourceChangedError || isGone(err)) throw new SourceChangedError();
          throw new SourceReadError(err);
        }
        if (!named || named.ino !== before.ino || named.dev !== before.dev) throw new SourceChangedError();
      };
      const close = (): void => {
        if (closed) return;
        closed = true;
        fs.closeSync(fd);
      };
      opened = { source, head: readRange(source, 0, Math.min(source.size, HEAD_BYTES)), size: source.size, check, close };
      return { file: opened };
    } catch (err) {
      return { skip: readFault(err) ?? unreadable(err) };
    } finally {
      if (!opened) fs.closeSync(fd);
    }
  }

  /** A processed/ file opened for reading, or undefined when it is missing, not a regular file or unreadable. */
  function openKept(file: string): OpenedFile | undefined {
    const opened = openRegular(file);
    return 'file' in opened ? opened.file : undefined;
  }

  /** The reading context of a file dropped as `name`, imported at `at`. */
  function readContext(name: string, at: string) {
    return {
      sourceId: config.id,
      sourceName: config.name,
      fetchedAt: at,
      recordPrefix: `${name}/`,
      ...(config.confidentiality ? { confidentiality: config.confidentiality } : {}),
      ...(config.defaultAuthority ? { defaultAuthority: config.defaultAuthority } : {}),
    };
  }

  /**
   * A file read in time slices (timeSlices.ts), one message at a time
   * (hl7File.ts eachHl7MessageSliced), a piece at a time from its open
   * descriptor (ADR 0041): a large batch never holds the event loop, never has
   * every message mapped at once, and its bytes are never held whole. Good
   * messages are held while `heldItems` stays within maxHeldItems, then kept by
   * where they lie in the file (stored as `stored` in processed/); a bad one is
   * noted (its position and reason) and, once every message was read and the
   * file found to be the one hashed (`sha256`), handed to `onBad` with its own
   * bytes (or, when they cannot be located, `whole`: the file's).
   * Throws what the reader throws for a file that cannot be read at all, and
   * SourceChangedError / SourceReadError when the file changed or failed while
   * read (before any `onBad`).
   */
  async function gather(
    file: { name: string; stored: string; at: string },
    input: Hl7Input,
    sha256: string,
    heldBefore: number,
    slices: TimeSlices,
    onBad?: (bad: { index: number; reason: QuarantineReason }, own: Buffer | 'whole') => void,
    /** Called once every message was read, before any `onBad`: throws when the file is no longer the one read. */
    verify?: () => void,
  ): Promise<Gathered> {
    const out: Gathered = { held: [], heldItems: 0, located: [], bad: 0 };
    const bad: Array<{ index: number; reason: QuarantineReason; start?: number; end?: number }> = [];
    let kept: KeptFile | undefined;
    await eachHl7MessageSliced(
      input,
      readContext(file.name, file.at),
      slices,
      ({ message, kind, locate }) => {
        const mapped = !message.error ? message.mapped : undefined;
        if (!mapped) {
          out.bad++;
          if (!onBad) return;
          const range = locate();
          const reason = quarantineReason(message.error ?? new CodedError('HL7_MALFORMED', { message: message.index }));
          bad.push({ index: message.index, reason, ...(range ? { start: range.start, end: range.end } : {}) });
          return;
        }
        const items = mapped.items.length;
        const range = kind !== 'message' && heldBefore + out.heldItems + items > maxHeldItems ? locate() : undefined;
        if (!range) {
          // Within the budget, or a message that cannot be located with certainty (or a file of one message): held.
          out.held.push({ subjects: mapped.subjects, items: mapped.items });
          out.heldItems += items;
          return;
        }
        kept ??= { stored: file.stored, name: file.name, at: file.at, head: input.head };
        out.located.push({
          subjects: ownIdentifiers(mapped.subjects),
          file: kept,
          index: message.index,
          start: range.start,
          end: range.end,
          digest: digestOf(range.bytes),
          items,
        });
      },
      { sha256 },
    );
    // Every message read, from the bytes hashed, the file still the one read: only now is anything written.
    verify?.();
    for (const b of bad) {
      onBad?.(b, b.start !== undefined && b.end !== undefined ? readRange(input.source, b.start, b.end) : 'whole');
      await slices.pass();
    }
    return out;
  }

  /** Adds what a file gave to what is answered. */
  function keep(into: State, got: Gathered): void {
    for (const message of got.held) into.messages.push(message);
    into.heldItems += got.heldItems;
    for (const message of got.located) into.located.push(message);
  }

  /** The located messages naming the patient, read again from processed/ and mapped (file by file, in slices). */
  async function readLocated(current: State, wanted: LocatedMessage[], signal: AbortSignal | undefined): Promise<ImportedMessage[]> {
    const out: ImportedMessage[] = [];
    const slices = new TimeSlices();
    const byFile = new Map<KeptFile, LocatedMessage[]>();
    for (const m of wanted) {
      const list = byFile.get(m.file);
      if (list) list.push(m);
      else byFile.set(m.file, [m]);
    }
    for (const [file, messages] of byFile) {
      const opened = openKept(path.join(processed, file.stored));
      try {
        if (!opened) throw new Error('missing');
        // In file order through one descriptor, a window at a time; each message checked against its digest.
        const source = windowed(opened.source);
        for (const m of messages) {
          const own = readRange(source, m.start, m.end);
          const mapped =
            digestOf(own) === m.digest ? (await mapMessageBytes(own, file.head, m.index, readContext(file.name, file.at), slices)).mapped : undefined;
          if (!mapped) throw new Error('changed');
          out.push({ subjects: mapped.subjects, items: mapped.items });
          await slices.pass();
          // Nothing more is mapped for an answer nobody waits for (the source's deadline).
          throwIfAborted(signal);
        }
      } catch (err) {
        if (err instanceof CodedError) throw err;
        // Changed, missing or unreadable since it was imported: not used, and said so (once per file).
        if (!current.changed.has(file.stored)) {
          current.changed.add(file.stored);
          warn('PROCESSED_CHANGED');
          current.unverified.push({ code: 'HL7_IMPORTED_FILE_CHANGED', params: { reason: 'changed' } });
        }
      } finally {
        opened?.close();
      }
    }
    return out;
  }

  /**
   * Finishes a move the ledger recorded but a crash interrupted: the file is
   * still in the drop folder under its name, with the recorded bytes (or, for
   * one quarantined unread, the recorded size).
   */
  async function finishMove(entry: LedgerEntry, at: Date, slices: TimeSlices): Promise<boolean> {
    const dir = entry.outcome === 'imported' ? processed : quarantine;
    if (fs.existsSync(path.join(dir, entry.stored))) return false;
    const pending = path.join(folder, entry.name);
    if (entry.sha256 === undefined) {
      let stat;
      try {
        stat = fs.lstatSync(pending);
      } catch {
        return false;
      }
      if (!stat.isFile() || stat.size !== entry.size) return false;
    } else {
      const file = openKept(pending);
      if (!file) return false;
      try {
        if ((await slices.drive(sha256SourceSteps(file.source))) !== entry.sha256) return false;
      } catch {
        // Changed or unreadable while hashed: not the file recorded (yet).
        return false;
      } finally {
        file.close();
      }
    }
    moveTo(dir, entry.name, entry.stored);
    if (entry.outcome === 'quarantined' && entry.reason) writeReason(entry.stored, entry.reason, at);
    return true;
  }

  /** The messages of the files the ledger lists as imported, each file checked against its hash. */
  async function load(ledger: Ledger, at: Date, report: ImportReport, slices: TimeSlices): Promise<State> {
    const loaded: State = { ledger, messages: [], heldItems: 0, located: [], changed: new Set(), handled: new Map(), unverified: [] };
    const notUsed = (warning: BatchFolderWarning, reason: string): void => {
      // Not silently used: a changed file could hold anything, a missing one nothing.
      warn(warning);
      loaded.unverified.push({ code: 'HL7_IMPORTED_FILE_CHANGED', params: { reason } });
      report.unverifiedFiles++;
    };
    for (const entry of ledger.files) {
      try {
        await finishMove(entry, at, slices);
      } catch {
        // A folder that cannot be written: the file waits in the drop folder and is handled as a duplicate later.
      }
      if (entry.outcome === 'quarantined') {
        if (entry.sha256) loaded.handled.set(entry.sha256, entry);
        continue;
      }
      const file = openKept(path.join(processed, entry.stored));
      if (!file) {
        notUsed('PROCESSED_MISSING', 'missing');
        continue;
      }
      try {
        let input: Hl7Input = file;
        let hash = await slices.drive(sha256SourceSteps(file.source));
        if (entry.sha256 && hash !== entry.sha256) {
          // Its writer went on after the move: the part that was imported is still good.
          const part = entry.size !== undefined && file.size > entry.size ? firstBytes(file.source, entry.size) : undefined;
          const grown = part !== undefined && (await slices.drive(sha256SourceSteps(part))) === entry.sha256;
          if (!part || !grown) {
            notUsed('PROCESSED_CHANGED', 'changed');
            continue;
          }
          notUsed('PROCESSED_GROWN', 'grown');
          input = { source: part, head: readRange(part, 0, Math.min(part.size, HEAD_BYTES)) };
          hash = entry.sha256;
        }
        keep(loaded, await gather({ name: entry.name, stored: entry.stored, at: entry.at }, input, hash, loaded.heldItems, slices));
        if (entry.sha256) loaded.handled.set(entry.sha256, entry);
      } catch {
        notUsed('PROCESSED_UNREADABLE', 'unreadable');
      } finally {
        file.close();
      }
    }
    return loaded;
  }

  /** Ledger missing, unreadable or in the old format: rebuild it from what was imported (processed/), moving nothing. */
  async function rebuild(at: Date, importedAt: Map<string, string>, slices: TimeSlices): Promise<State> {
    const fresh: State = { ledger: emptyLedger(), messages: [], heldItems: 0, located: [], changed: new Set(), handled: new Map(), unverified: [] };
    const names = fs.existsSync(processed) ? fs.readdirSync(processed).sort() : [];
    let duplicates = 0;
    for (const name of names) {
      const file = openKept(path.join(processed, name));
      if (!file) continue;
      const when = importedAt.get(name) ?? at.toISOString();
      try {
        const hash = await slices.drive(sha256SourceSteps(file.source));
        if (fresh.handled.has(hash)) {
          duplicates++;
          continue;
        }
        const got = await gather({ name, stored: name, at: when }, file, hash, fresh.heldItems, slices);
        const entry: LedgerEntry = {
          name,
          stored: name,
          sha256: hash,
          size: file.size,
          outcome: 'imported',
          at: when,
          messages: got.held.length + got.located.length,
          quarantinedMessages: got.bad,
        };
        fresh.ledger.files.push(entry);
        keep(fresh, got);
        fresh.handled.set(hash, entry);
      } catch {
        // It was imported once; a file that no longer reads stays where it is and is reported.
        warn('PROCESSED_UNREADABLE');
        fresh.unverified.push({ code: 'HL7_IMPORTED_FILE_CHANGED', params: { reason: 'unreadable' } });
      } finally {
        file.close();
      }
    }
    if (fresh.ledger.files.length + duplicates > 0) warn('LEDGER_REBUILT', fresh.ledger.files.length + duplicates);
    try {
      writeLedger(folder, fresh.ledger, fs);
    } catch (err) {
      // Rebuilt in memory all the same: what was imported is answered; the folder's fault is shown.
      round.error = folderFault(err);
    }
    return fresh;
  }

  /** Writes the ledger with one more entry (and no attempt); memory follows only once it is on disk. */
  function commit(current: State, entry: LedgerEntry): void {
    const next: Ledger = { version: 2, files: [...current.ledger.files, entry] };
    writeLedger(folder, next, fs);
    current.ledger = next;
    if (entry.sha256) current.handled.set(entry.sha256, entry);
  }

  function setAttempt(current: State, attempt: Ledger['attempt']): void {
    const next: Ledger = { version: 2, files: current.ledger.files, ...(attempt ? { attempt } : {}) };
    writeLedger(folder, next, fs);
    current.ledger = next;
  }

  /** Quarantines a whole file with its reason: ledger first, then the move, then the reason file. */
  function quarantineFile(
    current: State,
    name: string,
    file: { sha256?: string; size: number },
    reason: QuarantineReason,
    at: Date,
    report: ImportReport,
  ): void {
    const stored = freeName(quarantine, name, at);
    commit(current, {
      name,
      stored,
      ...(file.sha256 ? { sha256: file.sha256 } : {}),
      size: file.size,
      outcome: 'quarantined',
      at: at.toISOString(),
      messages: 0,
      quarantinedMessages: 0,
      reason,
    });
    moveTo(quarantine, name, stored);
    writeReason(stored, reason, at);
    report.quarantinedFiles++;
  }

  /** The file an earlier run was importing when it died: quarantined unread, never tried again. */
  function quarantineInterrupted(current: State, at: Date, report: ImportReport): void {
    const attempt = current.ledger.attempt;
    if (!attempt) return;
    let size: number | undefined;
    try {
      const stat = fs.lstatSync(path.join(folder, attempt.name));
      if (stat.isFile()) size = stat.size;
    } catch {
      // Gone: nothing to hold back.
    }
    if (size === undefined) {
      setAttempt(current, undefined);
      return;
    }
    warn('IMPORT_INTERRUPTED');
    quarantineFile(current, attempt.name, { size }, { code: 'HL7_IMPORT_INTERRUPTED', params: {} }, at, report);
  }

  /** A copy of the whole file in quarantine/ (a bad message that cannot be located in it), written a piece at a time. */
  function copyWhole(source: ByteSource, target: string): void {
    const out = fs.openSync(target, 'wx');
    try {
      const block = Buffer.allocUnsafe(Math.min(READ_COPY_BYTES, Math.max(1, source.size)));
      for (let from = 0; from < source.size; ) {
        const n = Math.min(block.length, source.size - from);
        const piece = readRange(source, from, from + n);
        for (let written = 0; written < n; ) written += fs.writeSync(out, piece, written, n - written);
        from += n;
      }
    } finally {
      fs.closeSync(out);
    }
  }

  async function importFile(
    current: State,
    name: string,
    file: OpenedFile,
    hash: string,
    at: Date,
    report: ImportReport,
    slices: TimeSlices,
  ): Promise<void> {
    const when = at.toISOString();
    const stored = freeName(processed, name, at);
    let got: Gathered;
    // A quarantine write that fails is the folder's fault (full, read-only): the round stops, nothing is committed.
    let writeFault: { err: unknown } | undefined;
    try {
      // Decoded, split, checked and mapped in slices, a message at a time, a piece of the file at a time: calls and
      // deadlines are served while a large batch imports, and past maxHeldItems a message is kept by where it lies,
      // not mapped (ADR 0038); the file's bytes are never held whole (ADR 0041).
      got = await gather({ name, stored, at: when }, file, hash, current.heldItems, slices, (bad, own) => {
        try {
          fs.mkdirSync(quarantine, { recursive: true });
          const target = freeName(quarantine, `${name}.message-${bad.index}.hl7`, at);
          // The message's own bytes, as they came: no re-encoding, nothing lost.
          if (own === 'whole') copyWhole(file.source, path.join(quarantine, target));
          else fs.writeFileSync(path.join(quarantine, target), own);
          writeReason(target, bad.reason, at);
        } catch (err) {
          // A file that changed or failed while copied is the file's, not the folder's.
          if (!readFault(err)) writeFault = { err };
          throw err;
        }
      }, file.check);
    } catch (err) {
      if (writeFault) throw writeFault.err;
      // Changed or unreadable while read: nothing is committed, the file stays and is tried again (takeFile).
      if (readFault(err)) throw err;
      file.close();
      const reason = quarantineReason(err instanceof CodedError ? err : new CodedError('HL7_MALFORMED', { message: 0 }));
      quarantineFile(current, name, { sha256: hash, size: file.size }, reason, at, report);
      return;
    }
    // Read to its end and still the file read (nothing is recorded of one changed or replaced since): the
    // descriptor is closed before the file is moved.
    file.check();
    file.close();
    const messages = got.held.length + got.located.length;
    commit(current, {
      name,
      stored,
      sha256: hash,
      size: file.size,
      outcome: 'imported',
      at: when,
      messages,
      quarantinedMessages: got.bad,
    });
    // Committed: answered from now on, even if the move below fails (it is finished as a duplicate later).
    keep(current, got);
    report.imported += messages;
    report.quarantinedMessages += got.bad;
    moveTo(processed, name, stored);
  }

  /** One entry of the drop folder: imported, quarantined, left waiting, or skipped with a reason. */
  async function takeFile(current: State, name: string, at: Date, report: ImportReport, slices: TimeSlices): Promise<FileReason | undefined> {
    const filePath = path.join(folder, name);
    let stat;
    try {
      stat = fs.lstatSync(filePath);
    } catch (err) {
      return isGone(err) ? undefined : unreadable(err);
    }
    if (stat.isSymbolicLink()) return { code: 'HL7_FILE_LINK' };
    if (!stat.isFile()) return { code: 'HL7_FILE_NOT_REGULAR' };
    if (stat.size > maxFileBytes) {
      // Never read: the size alone decides.
      const reason: QuarantineReason = { code: 'HL7_FILE_TOO_LARGE', params: { reason: 'bytes', expected: maxFileBytes, found: stat.size } };
      quarantineFile(current, name, { size: stat.size }, reason, at, report);
      return undefined;
    }
    const age = at.getTime() - stat.mtimeMs;
    if (settleMs > 0 && age < settleMs) return undefined;
    // Its writer has not said it is done: it waits (and, after incompleteAfterMs, is quarantined below).
    const undeclared = doneFiles && !fs.existsSync(path.join(folder, name + DONE_SUFFIX));
    if (undeclared && age < incompleteAfterMs) return undefined;
    const opened = openRegular(filePath, { ino: stat.ino });
    if ('skip' in opened) return opened.skip;
    if (!('file' in opened)) return undefined;
    const { file } = opened;
    let attempted = false;
    try {
      await slices.pass();
      const hash = await slices.drive(sha256SourceSteps(file.source));
      const seen = current.handled.get(hash);
      if (seen) {
        // The same bytes again (resent, or a move a crash interrupted): keep the file, import nothing twice.
        file.close();
        const dir = seen.outcome === 'imported' ? processed : quarantine;
        const stored = freeName(dir, name, at);
        moveTo(dir, name, stored);
        if (seen.reason) writeReason(stored, seen.reason, at);
        report.duplicateFiles++;
        return undefined;
      }
      const marker = undeclared
        ? 'DONE'
        : (missingEndMarker(file.source) ?? (endMarker === 'terminator' ? missingTerminator(file.source) : undefined));
      if (marker) {
        // Still being written, or its writer gave up: it waits, and is quarantined once it has stood still long enough.
        if (age < incompleteAfterMs) return undefined;
        // A segment name (BTS, FTS) where the missing end is one; otherwise only the reason token.
        const params: QuarantineReason['params'] =
          marker === 'DONE' ? { reason: 'no-done-file' } : marker === 'CR' ? { reason: 'no-segment-terminator' } : { name: marker, reason: 'no-end-marker' };
        file.close();
        quarantineFile(current, name, { sha256: hash, size: file.size }, { code: 'HL7_FILE_INCOMPLETE', params }, at, report);
        return undefined;
      }
      const counted = await slices.drive(countSegmentsSourceSteps(file.source));
      const over =
        counted.messages > maxMessages
          ? { reason: 'messages', expected: maxMessages, found: counted.messages }
          : counted.segments > maxSegments
            ? { reason: 'segments', expected: maxSegments, found: counted.segments }
            : undefined;
      if (over) {
        file.close();
        quarantineFile(current, name, { sha256: hash, size: file.size }, { code: 'HL7_FILE_TOO_LARGE', params: over }, at, report);
        return undefined;
      }
      // Recorded before parsing: if this process dies in the parse, the next start holds the file back.
      setAttempt(current, { name, size: file.size, at: at.toISOString() });
      attempted = true;
      await importFile(current, name, file, hash, at, report, slices);
      return undefined;
    } catch (err) {
      const fault = readFault(err);
      if (!fault) throw err;
      // Changed or failed while read: nothing of it is kept; it stays, and is read again once it has settled.
      warn(err instanceof SourceChangedError ? 'CHANGED_WHILE_READ' : 'UNREADABLE_WHILE_READ');
      if (attempted) setAttempt(current, undefined);
      return fault;
    } finally {
      file.close();
      // A fault (full disk) is not a crash: the file is tried again next round.
      if (current.ledger.attempt) current.ledger = { version: 2, files: current.ledger.files };
    }
  }

  /** What is left in the drop folder after a round: waiting files, besides the skipped ones. */
  function remaining(): number {
    try {
      return fs.readdirSync(folder).filter((n) => !n.startsWith('.') && !OWN_FOLDERS.has(n) && !(doneFiles && n.endsWith(DONE_SUFFIX))).length;
    } catch {
      return 0;
    }
  }

  async function runImport(): Promise<ImportReport> {
    const at = now();
    const report: ImportReport = { imported: 0, quarantinedFiles: 0, quarantinedMessages: 0, unverifiedFiles: 0, duplicateFiles: 0 };
    const skipped: FileReason[] = [];
    round = { waiting: 0, skipped: [], at: at.toISOString() };
    let error: AppError | undefined;
    // One slicer for the round: every long step (hashing, counting, reading a file) pauses on its budget.
    const slices = new TimeSlices();
    try {
      if (!state) {
        try {
          fs.mkdirSync(folder, { recursive: true });
        } catch (err) {
          if (!fs.existsSync(folder)) throw err;
        }
        const read = readLedger(folder, at, fs);
        state =
          read.kind === 'ledger'
            ? await load(read.ledger, at, report, slices)
            : await rebuild(at, read.kind === 'legacy' ? read.importedAt : new Map(), slices);
        error = round.error;
        quarantineInterrupted(state, at, report);
      }
      const current = state;
      // Samsyn's own files (the ledger, its temporary and set-aside copies) start with a dot.
      const names = fs.readdirSync(folder).filter(candidate).sort();
      for (const name of names) {
        // One file per turn of the event loop: other calls are answered between files.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const reason = await takeFile(current, name, at, report, slices);
        if (reason) skipped.push(reason);
      }
    } catch (err) {
      error = folderFault(err);
      log.warn({ code: error.code, cause: (err as NodeJS.ErrnoException)?.code ?? 'error' }, 'batch import stopped');
      if (!state) {
        round = { waiting: remaining(), skipped, error, at: at.toISOString() };
        throw new CodedError(error.code, error.params);
      }
    }
    round = { waiting: Math.max(0, remaining() - skipped.length), skipped, ...(error ? { error } : {}), at: at.toISOString() };
    if (skipped.length > 0) {
      const byCode = new Map<string, number>();
      for (const s of skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
      log.warn({ skipped: Object.fromEntries(byCode) }, 'batch folder entries skipped');
    }
    if (report.imported + report.quarantinedFiles + report.quarantinedMessages + report.duplicateFiles > 0) {
      log.info({ ...report }, 'batch folder imported');
    }
    return report;
  }

  const importNew = (): Promise<ImportReport> => {
    const run = queue.then(runImport);
    queue = run.catch(() => undefined);
    return run;
  };

  function folderStatus(): FolderStatus {
    const files = state?.ledger.files ?? [];
    const quarantined: Partial<Record<ErrorCode, number>> = {};
    let importedFiles = 0;
    let quarantinedFiles = 0;
    let quarantinedMessages = 0;
    for (const entry of files) {
      quarantinedMessages += entry.quarantinedMessages;
      if (entry.outcome === 'imported') importedFiles++;
      else {
        quarantinedFiles++;
        const code = entry.reason?.code ?? 'HL7_MALFORMED';
        quarantined[code] = (quarantined[code] ?? 0) + 1;
      }
    }
    return {
      importedFiles,
      messages: (state?.messages.length ?? 0) + (state?.located.length ?? 0),
      quarantinedFiles,
      quarantined,
      quarantinedMessages,
      waiting: round.waiting,
      skipped: round.skipped,
      unverified: state?.unverified ?? [],
      ...(round.error ? { error: round.error } : {}),
      ...(round.at ? { checkedAt: round.at } : {}),
    };
  }

  async function messagesFor(identifier: Identifier, options: { signal?: AbortSignal; maxItems?: number } = {}): Promise<ImportedMessage[]> {
    const current = state;
    if (!current) return [];
    const held = current.messages.filter((m) => mentionsPatient(m, identifier));
    if (current.located.length === 0) return held;
    throwIfAborted(options.signal);
    // Looked through in steps: a 100 MB import is a million located messages.
    const slices = new TimeSlices();
    const located: LocatedMessage[] = [];
    for (const [i, m] of current.located.entries()) {
      if (mentionsPatient(m, identifier)) located.push(m);
      if (i % GATHER_STEP_MESSAGES === GATHER_STEP_MESSAGES - 1) {
        await slices.pass();
        throwIfAborted(options.signal);
      }
    }
    if (located.length === 0) return held;
    // Over the summary's limit: refused by the counts taken at import, before a message is read again
    // (the summary would refuse the answer whole anyway).
    if (options.maxItems !== undefined) {
      let items = 0;
      for (const m of held) items += m.items.length;
      for (const m of located) items += m.items;
      if (items > options.maxItems) throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'items', expected: options.maxItems, found: items });
    }
    return [...held, ...(await readLocated(current, located, options.signal))];
  }

  return { importNew, messages: () => state?.messages ?? [], messagesFor, folderStatus };
}
