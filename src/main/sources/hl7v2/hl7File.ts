/**
 * HL7 v2 files (a message, a BHS batch or an FHS file) → mapped messages. The
 * CLI's `summarize` and the batch folder share this, so both map alike.
 */
import { createHash, type Hash } from 'node:crypto';
import { CodedError } from '../../../shared/errors';
import { matchesRequested } from '../../../shared/identity';
import type { Identifier } from '../../../shared/summary';
import type { SourceResult } from '../types';
import { type Hl7MapContext, mapHl7MessageSteps, type MappedMessage } from './hl7Map';
import {
  checkEntrySteps,
  checkPiecesSteps,
  lazyEntryText,
  loadHl7Library,
  messageTextSteps,
  parseHl7Document,
  parseHl7PiecesSteps,
  parseMessageSteps,
  type ParsedDocument,
} from './hl7Parse';
import { batchMessageRanges, batchMessageRangesSourceSteps, type ByteRange } from './hl7MessageBytes';
import { decodeHl7Bytes, decodeHl7Chunks, decodeHl7Pieces, isHl7Bytes, normalizeSegmentBreaks, withoutBom } from './hl7Text';
import { TimeSlices } from '../../platform/timeSlices';
import { type ByteSource, bufferSource, lineChunks, readRange, SourceChangedError, windowed } from './byteSource';
import { withDefaultAuthority } from './mappers/patient';

/** Segments (non-empty lines) and message headers, counted on the bytes without decoding them. */
export function countSegments(bytes: Buffer): { segments: number; messages: number } {
  const steps = countSegmentsSteps(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Bytes counted between two pauses of countSegmentsSteps. */
const COUNT_STEP_BYTES = 1 << 20;

/** countSegments in steps of COUNT_STEP_BYTES (it yields between them; see timeSlices.ts). */
export function* countSegmentsSteps(bytes: Buffer): Generator<void, { segments: number; messages: number }, void> {
  return yield* countSegmentsSourceSteps(bufferSource(bytes));
}

/**
 * countSegmentsSteps over a source read a piece at a time (ADR 0041): the
 * pieces start at line starts (byteSource.ts lineChunks), so a segment's
 * first bytes are always within the piece that holds them.
 */
export function* countSegmentsSourceSteps(
  source: ByteSource,
  pieceBytes = COUNT_STEP_BYTES,
): Generator<void, { segments: number; messages: number }, void> {
  let segments = 0;
  let messages = 0;
  let first = true;
  for (const bytes of lineChunks(source, pieceBytes)) {
    let lineStart = true;
    const start = first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    first = false;
    for (let i = start; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x0d || b === 0x0a) {
        lineStart = true;
        continue;
      }
      if (!lineStart) continue;
      lineStart = false;
      segments++;
      if (b === 0x4d && bytes[i + 1] === 0x53 && bytes[i + 2] === 0x48) messages++;
    }
    yield;
  }
  return { segments, messages };
}

/**
 * Segments one file read outside the batch folder (the CLI) may hold: the
 * batch folder's default, so a command-line check is bounded like an import.
 */
export const FILE_MAX_SEGMENTS = 250_000;

/** Throws HL7_FILE_TOO_LARGE naming the limit when the bytes hold more segments than allowed (counted before any parse). */
export function checkSegmentLimit(bytes: Buffer, maxSegments: number = FILE_MAX_SEGMENTS): void {
  const { segments } = countSegments(bytes);
  if (segments > maxSegments) throw new CodedError('HL7_FILE_TOO_LARGE', { reason: 'segments', expected: maxSegments, found: segments });
}

export interface Hl7FileMessage {
  index: number;
  controlId?: string;
  /** The message's own text (decoded, segment breaks normalized). */
  text: string;
  /**
   * For a message with an error: its original bytes, exactly as in the file, so
   * quarantine keeps it as it came. When the message cannot be located in the
   * bytes with certainty, the whole file's bytes: more than the message, but
   * nothing lost and nothing re-encoded.
   */
  bytes?: Buffer;
  mapped?: MappedMessage;
  error?: CodedError;
}

export interface Hl7FileContent {
  kind: ParsedDocument['kind'];
  messages: Hl7FileMessage[];
}

/** Each message's original bytes, checked against what the parser saw; undefined when they do not line up. */
function* originalBytes(bytes: Buffer, kind: ParsedDocument['kind'], entries: readonly ParsedEntry[]): Generator<void, Buffer[] | undefined, void> {
  if (kind === 'message') return entries.length === 1 ? [bytes] : undefined;
  const texts = entries.map((e) => e.text);
  const ranges = batchMessageRanges(bytes, bytes.length - withoutBom(bytes).length);
  if (ranges.length !== texts.length) return undefined;
  const slices = ranges.map((r) => bytes.subarray(r.start, r.end));
  for (const [i, slice] of slices.entries()) {
    try {
      if (normalizeSegmentBreaks(decodeHl7Bytes(slice, bytes)) !== texts[i]) return undefined;
    } catch {
      return undefined;
    }
    if (i % 256 === 255) yield;
  }
  return slices;
}

type ReadContext = Omit<Hl7MapContext, 'recordPrefix'> & { recordPrefix?: string; defaultAuthority?: string };
type ParsedEntry = ParsedDocument['entries'][number];

function mapEntry(entry: ParsedEntry, ctx: ReadContext): Hl7FileMessage {
  return runSteps(mapEntrySteps(entry, ctx));
}

/** One entry mapped, in steps of mapHl7MessageSteps (a very long message pauses inside). */
function* mapEntrySteps(entry: ParsedEntry, ctx: ReadContext): Generator<void, Hl7FileMessage, void> {
  yield* checkEntrySteps(entry);
  // The text is joined only when read: a long single message is kept as its pieces (ADR 0038).
  const text = lazyEntryText(entry);
  if (entry.error || !entry.view) return withText({ index: entry.index, error: entry.error ?? new CodedError('HL7_MALFORMED', { message: entry.index }) }, text);
  const controlId = entry.view.controlId || undefined;
  try {
    const message = yield* mapHl7MessageSteps(entry.view, {
      sourceId: ctx.sourceId,
      sourceName: ctx.sourceName,
      fetchedAt: ctx.fetchedAt,
      recordPrefix: `${ctx.recordPrefix ?? ''}${controlId ?? `#${entry.index}`}/`,
      ...(ctx.confidentiality ? { confidentiality: ctx.confidentiality } : {}),
    });
    const mapped = { ...message, subjects: message.subjects.map((s) => withDefaultAuthority(s, ctx.defaultAuthority)) };
    return withText({ index: entry.index, ...(controlId ? { controlId } : {}), mapped }, text);
  } catch {
    return withText({ index: entry.index, error: new CodedError('HL7_MALFORMED', { message: entry.index }) }, text);
  }
}

/** The message with its `text` read through `text()` when first asked for (an own, enumerable property). */
function withText(message: Omit<Hl7FileMessage, 'text'>, text: () => string): Hl7FileMessage {
  return Object.defineProperty(message, 'text', { enumerable: true, configurable: true, get: text }) as Hl7FileMessage;
}

function parseFile(bytes: Buffer): ParsedDocument {
  if (!isHl7Bytes(bytes)) throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  return parseHl7Document(decodeHl7Bytes(bytes));
}

function* withOriginalBytes(bytes: Buffer, doc: ParsedDocument, messages: Hl7FileMessage[]): Generator<void, Hl7FileContent, void> {
  let anyError = false;
  for (let i = 0; i < messages.length && !anyError; i++) {
    anyError = messages[i]!.error !== undefined;
    // A 100,000-message batch is looked through in steps too.
    if (i % 4096 === 4095) yield;
  }
  if (anyError) {
    const slices = yield* originalBytes(bytes, doc.kind, doc.entries);
    for (const [i, message] of messages.entries()) {
      if (message.error) message.bytes = slices?.[i] ?? bytes;
    }
  }
  return { kind: doc.kind, messages };
}

/** A stepwise job run to its end at once (the synchronous readers). */
function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Reads a whole file. Throws HL7_MALFORMED / HL7_CHARSET_UNSUPPORTED when nothing
 * in it can be trusted. `defaultAuthority`: the source's assigning authority for
 * PID-3 values that carry none (see mappers/patient.ts withDefaultAuthority).
 */
export function readHl7File(bytes: Buffer, ctx: ReadContext): Hl7FileContent {
  const doc = parseFile(bytes);
  return runSteps(withOriginalBytes(bytes, doc, doc.entries.map((entry) => mapEntry(entry, ctx))));
}

/**
 * readHl7File for the app's paths (the batch folder), off the request path:
 * every whole-file step is done a bounded piece at a time — decoding and
 * normalizing (a MiB at a time), the message split and the envelope check
 * (PARSE_STEP_LINES lines at a time), mapping (message by message), locating
 * a bad message's bytes — and the event loop turns whenever a slice of about
 * SLICE_MS is spent (timeSlices.ts), so calls, the preview and the event
 * stream are served while a large batch imports. The same result and the same
 * errors as readHl7File (test/unit/main/sources/hl7v2/hl7Sliced.test.ts).
 * A single message is one step of the split and the check: its size is
 * bounded by the segment limit counted before it is read.
 */
export async function readHl7FileSliced(
  bytes: Buffer,
  ctx: ReadContext,
  slices: TimeSlices = new TimeSlices(),
  /** Bytes decoded per piece (tests cut small pieces); default 1 MiB. */
  options: { pieceBytes?: number } = {},
): Promise<Hl7FileContent> {
  const doc = await parseSliced(bytes, slices, options.pieceBytes);
  const messages: Hl7FileMessage[] = [];
  for (const entry of doc.entries) {
    messages.push(await slices.drive(mapEntrySteps(entry, ctx)));
    await slices.pass();
  }
  return slices.drive(withOriginalBytes(bytes, doc, messages));
}

/** Where a message lies in its file, and its bytes read from there (checked against the text that was mapped). */
export type LocatedRange = ByteRange & { bytes: Buffer };

/** One message of a file as eachHl7MessageSliced hands it over. */
export interface Hl7MessageInFile {
  message: Hl7FileMessage;
  kind: ParsedDocument['kind'];
  /**
   * Where the message lies in the file's bytes, checked: its bytes decode
   * (with the file's character set) and normalize to exactly the text that
   * was mapped. Undefined when it cannot be located with certainty. Computed
   * when called (a read and a decode of the message).
   */
  locate(): LocatedRange | undefined;
}

/**
 * A file read a piece at a time (ADR 0041): its bytes as a source (an open
 * file, checked at every read) and its first bytes (byteSource.ts headOf),
 * where its kind and character set are read.
 */
export interface Hl7Input {
  source: ByteSource;
  head: Buffer;
}

/**
 * readHl7FileSliced one message at a time (ADR 0038): the file is decoded,
 * split and checked as readHl7FileSliced does it (the same errors, thrown
 * before any message is handed over), then each message is mapped, handed to
 * `visit`, and let go of — its text, its view and its tokens — before the
 * next; the decoded pieces go as their messages go. Given a source (ADR
 * 0041), the file's bytes are never held either: each pass reads it again a
 * piece at a time (about `pieceBytes`, 1 MiB), so what a large batch takes is
 * a piece, a message, the messages' byte ranges and what `visit` keeps.
 * `sha256` (hex): the digest the caller took of the whole file; the pass
 * whose messages are handed over hashes what it reads and throws
 * SourceChangedError, after the last message, when it differs (the file
 * changed between the caller's hash and this read) — a caller keeps nothing
 * of an import that throws.
 */
export async function eachHl7MessageSliced(
  input: Buffer | Hl7Input,
  ctx: ReadContext,
  slices: TimeSlices,
  visit: (m: Hl7MessageInFile) => void | Promise<void>,
  /** Bytes decoded per piece (tests cut small pieces); default 1 MiB. */
  options: { pieceBytes?: number; sha256?: string } = {},
): Promise<{ kind: ParsedDocument['kind']; messages: number }> {
  const { source, head } = Buffer.isBuffer(input) ? { source: bufferSource(input), head: input } : input;
  if (!isHl7Bytes(head)) throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  loadHl7Library();
  await slices.yieldNow();
  // Read and decoded afresh for each pass, never held whole: the check, then the messages one at a time.
  const pieces: Iterable<string> = { [Symbol.iterator]: () => nonEmptyPieces(lineChunks(source, options.pieceBytes), head) };
  const checked = await slices.drive(checkPiecesSteps(pieces));
  // The last pass hashed as it is read: what is handed over is what the caller hashed.
  const hash = options.sha256 !== undefined ? createHash('sha256') : undefined;
  const lastPass: Iterable<string> = { [Symbol.iterator]: () => nonEmptyPieces(hashed(lineChunks(source, options.pieceBytes), hash), head) };
  const verify = (): void => {
    if (hash && hash.digest('hex') !== options.sha256) throw new SourceChangedError();
  };
  if (checked.kind === 'message') {
    // One message (bounded by the segment limit): read as readHl7FileSliced reads it.
    const doc = await slices.drive(parseHl7PiecesSteps([...lastPass]));
    verify();
    const message = await slices.drive(mapEntrySteps(doc.entries[0] as ParsedEntry, ctx));
    await visit({ message, kind: 'message', locate: () => ({ start: 0, end: source.size, bytes: readRange(source, 0, source.size) }) });
    return { kind: 'message', messages: 1 };
  }
  const ranges = await slices.drive(batchMessageRangesSourceSteps(source, head.length - withoutBom(head).length));
  const lined = ranges.length === checked.messages;
  // Messages are located in file order: read a window at a time, not one read per message.
  const located = windowed(source);
  let index = 0;
  for (const text of messageTextSteps(lastPass)) {
    if (text === undefined) {
      await slices.pass();
      continue;
    }
    const i = index++;
    // Checked and mapped as a batch entry is (the same text, the same errors), then let go of.
    const entry = await slices.drive(parseMessageSteps(normalizeSegmentBreaks(text), i + 1));
    const message = await slices.drive(mapEntrySteps(entry, ctx));
    const locate = (): LocatedRange | undefined => {
      const range = lined ? ranges[i] : undefined;
      if (!range) return undefined;
      // A file that changed is never taken for one that cannot be located: that is thrown.
      const bytes = readRange(located, range.start, range.end);
      try {
        return normalizeSegmentBreaks(decodeHl7Bytes(bytes, head)) === message.text ? { ...range, bytes } : undefined;
      } catch {
        return undefined;
      }
    };
    await visit({ message, kind: checked.kind, locate });
    await slices.pass();
  }
  verify();
  return { kind: checked.kind, messages: index };
}

/** The pieces, each also fed to `hash` as it passes. */
function* hashed(chunks: Iterable<Buffer>, hash: Hash | undefined): Generator<Buffer, void, void> {
  for (const chunk of chunks) {
    hash?.update(chunk);
    yield chunk;
  }
}

/** The document's decoded pieces, empty ones left out (as parseSliced keeps them). */
function* nonEmptyPieces(chunks: Iterable<Buffer>, head: Buffer): Generator<string, void, void> {
  for (const piece of decodeHl7Chunks(chunks, head)) if (piece !== '') yield piece;
}

/**
 * One batch message mapped again from its own bytes (located by
 * eachHl7MessageSliced when the file was imported): decoded with the file's
 * character set (`declaredBy`: the file's first bytes, where it is declared),
 * checked and mapped as it was in its batch, in steps.
 */
export async function mapMessageBytes(
  message: Buffer,
  declaredBy: Buffer,
  index: number,
  ctx: ReadContext,
  slices: TimeSlices,
): Promise<Hl7FileMessage> {
  loadHl7Library();
  const text = normalizeSegmentBreaks(decodeHl7Bytes(message, declaredBy));
  const entry = await slices.drive(parseMessageSteps(text, index));
  return slices.drive(mapEntrySteps(entry, ctx));
}

/** The document decoded a piece at a time, split and its envelope checked in steps (readHl7FileSliced's first half). */
async function parseSliced(bytes: Buffer, slices: TimeSlices, pieceBytes?: number): Promise<ParsedDocument> {
  if (!isHl7Bytes(bytes)) throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  // The library's first load is a step of its own.
  loadHl7Library();
  await slices.yieldNow();
  // The pieces are parsed as they are: a large batch is never copied into one string.
  const pieces: string[] = [];
  for (const piece of decodeHl7Pieces(bytes, pieceBytes)) {
    if (piece !== '') pieces.push(piece);
    await slices.pass();
  }
  return slices.drive(parseHl7PiecesSteps(pieces));
}

/**
 * One file's answer about one patient (the CLI's `summarize`), read in steps
 * (ADR 0034): the segments counted on the bytes first — more than
 * `maxSegments` is HL7_FILE_TOO_LARGE naming the limit, nothing parsed — then
 * decoded, split, checked and mapped message by message as readHl7FileSliced
 * reads, so no step holds the event loop long. A malformed message fails the
 * file (a command-line check must not pass over part of a feed): the first
 * one's error, as readHl7File's messages would name it. Only what the answer
 * needs is kept: the messages naming the patient and, until the first of them
 * is met, the others (selectForPatient answers with every message when none
 * names the patient) — never the mapped file with every message's text.
 * The result is selectForPatient's over the whole file.
 */
export async function readHl7ForPatient(
  bytes: Buffer,
  ctx: ReadContext & { identifier: Identifier },
  options: { maxSegments?: number; slices?: TimeSlices } = {},
): Promise<SourceResult> {
  const slices = options.slices ?? new TimeSlices();
  const maxSegments = options.maxSegments ?? FILE_MAX_SEGMENTS;
  const { segments } = await slices.drive(countSegmentsSteps(bytes));
  if (segments > maxSegments) throw new CodedError('HL7_FILE_TOO_LARGE', { reason: 'segments', expected: maxSegments, found: segments });
  const doc = await parseSliced(bytes, slices);
  const matching: MappedMessage[] = [];
  let others: MappedMessage[] = [];
  for (const [i, entry] of doc.entries.entries()) {
    const message = await slices.drive(mapEntrySteps(entry, ctx));
    // Read once: the entry (its text, its check) is let go of with the message.
    (doc.entries as Array<ParsedEntry | undefined>)[i] = undefined;
    if (message.error || !message.mapped) throw message.error ?? new CodedError('HL7_MALFORMED', { message: message.index });
    if (mentionsPatient(message.mapped, ctx.identifier)) {
      matching.push(message.mapped);
      others = [];
    } else if (matching.length === 0) others.push(message.mapped);
    await slices.pass();
  }
  return selectForPatient(matching.length > 0 ? matching : others, ctx.identifier, ctx.fetchedAt);
}

/** True when one of the message's subjects carries the identifier (the identity guard's own comparison). */
export function mentionsPatient(mapped: Pick<MappedMessage, 'subjects'>, identifier: Identifier): boolean {
  return mapped.subjects.some((s) => s.identifiers.some((id) => matchesRequested(id, identifier)));
}

/**
 * The messages of a file that concern the patient, as one source result. A
 * file's messages are independent (a lab batch holds many patients), so those
 * that do not name the patient are left out; a message naming the patient and
 * someone else is kept whole, and the identity guard rejects it. When no message
 * names the patient, every message is returned, so the guard says why.
 */
export function selectForPatient(messages: MappedMessage[], identifier: Identifier, fetchedAt: string): SourceResult {
  const matching = messages.filter((m) => mentionsPatient(m, identifier));
  const chosen = matching.length > 0 ? matching : messages;
  return {
    subjects: chosen.flatMap((m) => m.subjects),
    items: chosen.flatMap((m) => m.items),
    fetchedAt,
  };
}
