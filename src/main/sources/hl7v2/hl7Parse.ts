/**
 * The one door to HL7 v2 parsing for the mappers, the batch folder, query
 * replies and the CLI. @medplum/core's parser does the tokenizing (its
 * Hl7Segment splits fields, repetitions and components with a message's
 * Hl7Context); what this module adds around it keeps the reading Samsyn has
 * always had (it was node-hl7-client's until ADR 0007):
 *  - delimiters are read from MSH-2 as node-hl7-client read them (a short
 *    MSH-2 falls back to the standard's characters), and each segment is
 *    trimmed; a blank segment makes the message malformed;
 *  - values are unescaped with hl7Escape.ts (@medplum/core leaves escapes as
 *    written) and read as repetitions → components → subcomponents, an empty
 *    field, repetition or component having no parts;
 *  - batches and files (FHS/BHS … BTS/FTS) are split at the lines that begin
 *    with an envelope or message header: @medplum/core has no batch support;
 *  - structure checks: a parser accepts almost any text as a message, so a
 *    message is checked here and a bad one becomes HL7_MALFORMED naming only
 *    the message and segment position.
 * A field is tokenized (by the library's Hl7Field.parse) when first read; a
 * value of a segment without escapes is read straight from the library's
 * tokens, other fields are turned into Hl7Rep when first asked for. A document holds the segments of one message at
 * a time (the one read last), so a batch's tokens can be collected as it is
 * mapped. node-hl7-client (4 MB) is not loaded here: it is the MLLP client only.
 *
 * @medplum/core (1.2 MB of JavaScript) is required on the first HL7 read, not
 * when this module loads: the source registry imports the HL7 kinds (and so
 * this module) in every configuration, and a FHIR-only one never reads HL7
 * (issue 13; test/integration/app/lazyLibraries.test.ts).
 */
import { createRequire } from 'node:module';
import type * as MedplumCore from '@medplum/core';
import { CodedError } from '../../../shared/errors';
import { hl7Unescaper } from './hl7Escape';
import { normalizeSegmentBreaks } from './hl7Text';

/** One repetition of a field: components, each a list of subcomponents. */
export type Hl7Rep = string[][];

type Core = Pick<typeof MedplumCore, 'Hl7Context' | 'Hl7Field'>;
let core: Core | undefined;

/** @medplum/core, required when HL7 is first read (a plain package require: its CommonJS build). */
function medplum(): Core {
  core ??= createRequire(__filename)('@medplum/core') as Core;
  return core;
}

/**
 * Loads the parser's library now (a no-op once loaded): a stepwise reader
 * calls it as a step of its own, so the library's one-time load (tens of ms)
 * is not added to a slice of parsing.
 */
export function loadHl7Library(): void {
  medplum();
}

/** A segment name: an upper-case letter, then two upper-case letters or digits (was /^[A-Z][A-Z0-9]{2}$/; no regular expression per segment). */
function isSegmentName(name: string): boolean {
  if (name.length !== 3) return false;
  const upper = (code: number) => code >= 65 && code <= 90;
  const digit = (code: number) => code >= 48 && code <= 57;
  const second = name.charCodeAt(1);
  const third = name.charCodeAt(2);
  return upper(name.charCodeAt(0)) && (upper(second) || digit(second)) && (upper(third) || digit(third));
}
/** Lines where a message, batch or file part begins (the field separator of an envelope is always `|`). */
const BOUNDARY = /^(?:FHS|BHS|MSH|BTS|FTS)\|/gm;
/** A message header after a line break other than CR inside one CR-separated line (`^` of /^MSH\|/gm there). */
const INNER_MESSAGE_HEADER = /[\n\u2028\u2029]MSH\|/g;

/** A stepwise job run to its end at once. */
function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How one message reads: the library's context and the unescaper for its delimiters. */
interface Reading {
  context: MedplumCore.Hl7Context;
  /** The library's field tokenizer (Hl7Field.parse). */
  field: Core['Hl7Field'];
  unescape: (value: string) => string;
}

/**
 * The delimiters a message declares in MSH-2 (the five characters after `MSH`):
 * one character each, by code point, a missing one being the standard's.
 */
const readings = new Map<string, Reading>();

function readingOf(text: string): Reading {
  // Messages of one source declare the same delimiters: one context and unescaper for them all.
  const key = text.slice(3, 8);
  const known = readings.get(key);
  if (known) return known;
  const reading = newReading(key);
  if (readings.size >= 32) readings.clear(); // as hl7Unescaper's cache: the usual stay cached
  readings.set(key, reading);
  return reading;
}

function newReading(key: string): Reading {
  const declared = [...key];
  const all = `\r${declared[0]}${declared[1] ?? '^'}${declared[2] ?? '~'}${declared[3] ?? '\\'}${declared[4] ?? '&'}`;
  const { Hl7Context, Hl7Field } = medplum();
  const context = new Hl7Context('\r', all.charAt(1), all.charAt(2), all.charAt(3), all.charAt(4), all.charAt(5));
  return { context, field: Hl7Field, unescape: hl7Unescaper(context) };
}

/** An empty field (nothing between its separators) has no repetitions. */
function isEmptyField(reps: string[][]): boolean {
  return reps.length === 1 && reps[0]?.length === 1 && reps[0][0] === '';
}

/** A field as Hl7Rep[]; `escaped` false when its segment holds no escape, so nothing needs unescaping. */
function readField(reps: string[][] | undefined, reading: Reading, escaped: boolean): Hl7Rep[] {
  if (!reps || isEmptyField(reps)) return [];
  const sub = reading.context.subcomponentSeparator;
  const component = escaped ? (c: string) => c.split(sub).map(reading.unescape) : (c: string) => c.split(sub);
  return reps.map((rep) => (rep.length === 1 && rep[0] === '' ? [] : rep.map((c) => (c === '' ? [] : component(c)))));
}

export class Hl7Segment {
  readonly name: string;
  /** The segment's fields as text, split when a field is first read (as @medplum/core's Hl7Segment.parse splits them). */
  private fieldTexts: string[] | undefined;
  /** Fields tokenized so far by the library's Hl7Field.parse, by their index in fieldTexts. */
  private fieldTokens: (string[][] | undefined)[] = [];
  private cache: Hl7Rep[][] = [];
  /**
   * True when a value may hold an escape (the message's escape character, or the
   * backslash of `\.br\`): its values are then read through reps(), which
   * unescapes a whole field at a time (a bad `\Xhh\` throws when its field is
   * read). Without one, values are read straight from the library's tokens.
   */
  private readonly escaped: boolean;
  /** Where field n sits in the library's fields: MSH's field 1 is MSH-2 there, MSH-1 being the separator. */
  private readonly shift: number;

  constructor(
    private readonly line: string,
    private readonly reading: Reading,
    /** Position in its message, 1-based (MSH is 1). */
    readonly position: number,
  ) {
    this.name = line.slice(0, 3);
    this.escaped = line.includes(reading.context.escapeCharacter) || line.includes('\\');
    this.shift = this.name === 'MSH' || this.name === 'BHS' || this.name === 'FHS' ? -1 : 0;
  }

  /**
   * Field n as the library splits it: repetitions of components, escapes as
   * written. Only the fields a mapper reads are tokenized: the segment is split
   * at its field separator as `Hl7Segment.parse` splits it, and a field read is
   * handed to the library's `Hl7Field.parse`, which `Hl7Segment.parse` would
   * have run on every field (ADR 0022). Field 0 holds the segment name.
   */
  private tokens(n: number): string[][] | undefined {
    const i = n + this.shift;
    const known = this.fieldTokens[i];
    if (known) return known;
    this.fieldTexts ??= this.line.split(this.reading.context.fieldSeparator);
    const text = this.fieldTexts[i];
    if (text === undefined || !Number.isInteger(i) || i < 0) return undefined;
    const components = this.reading.field.parse(text, this.reading.context).components;
    this.fieldTokens[i] = components;
    return components;
  }

  /** Every repetition of field n (1-based, as in the standard: MSH-9 is the message type). */
  reps(n: number): Hl7Rep[] {
    const cached = this.cache[n];
    if (cached) return cached;
    const value = readField(this.tokens(n), this.reading, this.escaped);
    if (Number.isInteger(n) && n >= 0) this.cache[n] = value;
    return value;
  }

  /** How many repetitions field n has: `reps(n).length`, without building them. */
  repetitions(n: number): number {
    if (this.escaped) return this.reps(n).length;
    const reps = this.tokens(n);
    return !reps || isEmptyField(reps) ? 0 : reps.length;
  }

  /** Field n, component c, subcomponent s of repetition r (all 1-based but r, 0-based); '' when absent. */
  get(n: number, c = 1, s = 1, r = 0): string {
    if (this.escaped) return this.reps(n)[r]?.[c - 1]?.[s - 1] ?? '';
    // An empty field, repetition or component reads '' either way, so no parts need dropping here.
    const component = this.tokens(n)?.[r]?.[c - 1];
    if (component === undefined) return '';
    const sub = this.reading.context.subcomponentSeparator;
    if (s !== 1) return component.split(sub, s)[s - 1] ?? '';
    // The first subcomponent, without the array split() would build (most reads are of it).
    const end = component.indexOf(sub);
    return end === -1 ? component : component.slice(0, end);
  }

  /** Every repetition's component c (subcomponent 1), blanks dropped. */
  all(n: number, c = 1): string[] {
    if (this.escaped) {
      return this.reps(n)
        .map((rep) => rep[c - 1]?.[0] ?? '')
        .filter((v) => v.trim() !== '');
    }
    const sub = this.reading.context.subcomponentSeparator;
    const out: string[] = [];
    for (const rep of this.tokens(n) ?? []) {
      const component = rep[c - 1];
      if (component === undefined) continue;
      // The first subcomponent, as in get(): no array built to find it.
      const end = component.indexOf(sub);
      const value = end === -1 ? component : component.slice(0, end);
      if (value.trim() !== '') out.push(value);
    }
    return out;
  }

  /** The whole field as text, repetitions joined by a new line and components by a space. */
  text(n: number): string {
    if (this.escaped) {
      return this.reps(n)
        .map((rep) => rep.map((component) => component.join(' ')).join(' ').trim())
        .filter((v) => v !== '')
        .join('\n');
    }
    const sub = this.reading.context.subcomponentSeparator;
    const out: string[] = [];
    for (const rep of this.tokens(n) ?? []) {
      const value = rep.map((component) => component.split(sub).join(' ')).join(' ').trim();
      if (value !== '') out.push(value);
    }
    return out.join('\n');
  }

  raw(): string {
    return this.line;
  }

  /**
   * Lets go of the fields split and tokenized so far (read again, they are
   * split again): a mapper that is done with a segment of a very long message
   * calls it, so 240,000 segments' tokens are not all alive at once (ADR 0038).
   */
  release(): void {
    if (this.fieldTexts === undefined) return;
    this.fieldTexts = undefined;
    this.fieldTokens = [];
    this.cache = [];
  }
}

/**
 * Which message of a document has its segments (and so their tokens) held: one
 * at a time. A batch's messages are read one after another, so holding only the
 * last one read lets the collector free each message's tokens once it is mapped
 * instead of keeping a whole batch's alive (ADR 0007, "Measured").
 */
interface Residency {
  current?: Hl7MessageView;
}

/**
 * A message's text: one string, or pieces that joined by one CR are the text
 * (hl7Text.ts decodeHl7Pieces cuts a document so: each piece starts a line).
 * A very long single message is kept as its pieces: joining 20 MB into one
 * string was one step of ~100 ms (ADR 0038).
 */
export type MessageText = string | readonly string[];

/** The text's first `n` characters, without joining more pieces than those. */
function headOf(text: MessageText, n: number): string {
  if (typeof text === 'string') return text.slice(0, n);
  let head = '';
  for (const piece of text) {
    head = head === '' ? piece : `${head}\r${piece}`;
    if (head.length >= n) break;
  }
  return head.slice(0, n);
}

/** The whole text as one string (joined once, when someone asks for it). */
export function joinText(text: MessageText): string {
  return typeof text === 'string' ? text : text.join('\r');
}

/**
 * The lines of `text.trim()` split at CR, over a text given as pieces without
 * joining them: whitespace-only pieces at either end (and the CR joining
 * them) are what trim() drops, the first and last of the rest are trimmed.
 */
function* trimmedLines(text: MessageText): Generator<string, void, void> {
  const parts = typeof text === 'string' ? [text] : text.length > 0 ? text : [''];
  let first = 0;
  let last = parts.length - 1;
  while (first < last && (parts[first] as string).trim() === '') first++;
  while (last > first && (parts[last] as string).trim() === '') last--;
  for (let p = first; p <= last; p++) {
    let piece = parts[p] as string;
    if (p === first) piece = piece.trimStart();
    if (p === last) piece = piece.trimEnd();
    for (let from = 0; ; ) {
      const end = piece.indexOf('\r', from);
      yield end === -1 ? piece.slice(from) : piece.slice(from, end);
      if (end === -1) break;
      from = end + 1;
    }
  }
}

export class Hl7MessageView {
  private held: Hl7Segment[] | undefined;
  private readonly reading: Reading;

  constructor(
    /** The message's text (or its pieces), starting with its MSH segment; segments separated by CR. */
    private readonly text: MessageText,
    /** 1-based position in its document. */
    readonly index: number,
    /** Shared by the messages of one document; a message read on its own has its own. */
    private readonly residency: Residency = {},
    /** Left to the caller (Hl7MessageView.steps): the split into segments. */
    splitLater = false,
  ) {
    this.reading = readingOf(headOf(text, 8));
    if (splitLater) return;
    this.held = runToEnd(this.splitSteps());
    this.hold();
  }

  /**
   * A view built in steps: the split into segments (and the one-header check)
   * pauses every PARSE_STEP_LINES segments, so one very long message (a
   * quarter of a million segments) never holds the event loop for its whole
   * split (ADR 0034). The same view and the same errors as the constructor.
   */
  static *steps(text: MessageText, index: number, residency: Residency = {}): Generator<void, Hl7MessageView, void> {
    const view = new Hl7MessageView(text, index, residency, true);
    view.held = yield* view.splitSteps();
    view.hold();
    return view;
  }

  /**
   * The segments, one per CR-separated line of the trimmed text; a blank line
   * is HL7_MALFORMED, and so is a second message header (a batch read as a
   * message): a line starting `MSH|`, or `MSH|` after a line break inside a
   * line (LF, U+2028, U+2029), as `/^MSH\|/gm` finds them.
   */
  private *splitSteps(): Generator<void, Hl7Segment[], void> {
    const segments: Hl7Segment[] = [];
    let headers = 0;
    const malformed = () => new CodedError('HL7_MALFORMED', { message: this.index });
    let position = 0;
    for (const line of trimmedLines(this.text)) {
      position++;
      if (line.startsWith('MSH|')) headers++;
      if (line.indexOf('MSH|', 1) !== -1) headers += line.match(INNER_MESSAGE_HEADER)?.length ?? 0;
      if (headers > 1) throw malformed();
      const segment = line.trim();
      if (segment === '') throw malformed();
      segments.push(new Hl7Segment(segment, this.reading, position));
      if (position % PARSE_STEP_LINES === 0) yield;
    }
    return segments;
  }

  private split(): Hl7Segment[] {
    return runToEnd(this.splitSteps());
  }

  /** Makes this the document's held message, letting go of the one held before. */
  private hold(): void {
    const previous = this.residency.current;
    if (previous === this) return;
    if (previous) previous.held = undefined;
    this.residency.current = this;
  }

  /** The message's segments; split again (and tokenized again when read) if another message was read since. */
  get segments(): Hl7Segment[] {
    if (!this.held) {
      this.held = this.split();
      this.hold();
    }
    return this.held;
  }
  get header(): Hl7Segment {
    return this.segments[0] as Hl7Segment;
  }

  first(name: string): Hl7Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  /** MSH-9 as TYPE^EVENT, e.g. RSP^K11. */
  get type(): string {
    const h = this.header;
    return `${h.get(9, 1)}^${h.get(9, 2)}`;
  }

  get controlId(): string {
    return this.header.get(10);
  }
}

export interface ParsedEntry {
  index: number;
  /** The message's own text (for quarantine); normalized segment breaks. */
  text: string;
  view?: Hl7MessageView;
  error?: CodedError;
}

export interface ParsedDocument {
  kind: 'message' | 'batch' | 'file';
  entries: ParsedEntry[];
}

/** Structure checks the parser does not make. Throws HL7_MALFORMED. Pauses every PARSE_STEP_LINES segments. */
function* checkStructure(view: Hl7MessageView): Generator<void, void, void> {
  const index = view.index;
  const fieldSeparator = view.header.raw().charAt(3);
  let checked = 0;
  for (const segment of view.segments) {
    if (++checked % PARSE_STEP_LINES === 0) yield;
    const raw = segment.raw();
    if (!isSegmentName(segment.name) || (raw.length > 3 && raw.charAt(3) !== fieldSeparator)) {
      throw new CodedError('HL7_MALFORMED', { message: index, segment: segment.position });
    }
  }
  const header = view.header;
  if (header.name !== 'MSH') throw new CodedError('HL7_MALFORMED', { message: index, segment: 1, name: 'MSH' });
  if (!/^[A-Z0-9]{3}$/.test(header.get(9, 1))) {
    throw new CodedError('HL7_MALFORMED', { message: index, segment: 1, name: 'MSH', field: 9 });
  }
  const encoding = header.raw().slice(3, 8);
  if (encoding.length < 5 || /[A-Za-z0-9\s]/.test(encoding) || new Set(encoding).size !== 5) {
    throw new CodedError('HL7_MALFORMED', { message: index, segment: 1, name: 'MSH', field: 2 });
  }
}

/**
 * An entry is built by a constructor, not an object literal, on purpose. V8
 * tracks how long the objects of each literal live ("allocation-site
 * pretenuring"): a batch keeps its 2,000 entries until the last is mapped, so
 * after one batch V8 decided that the literal's objects live long and allocated
 * them in the old generation from then on. A single message's entry then sat in
 * the old generation and kept its view, segments and tokens alive through every
 * scavenge until the next full collection: single messages read after a batch
 * took ~3× as long, most of it garbage collection (ADR 0022). Objects made by
 * `new` carry no allocation site, so a batch cannot change where they go.
 */
class Entry implements ParsedEntry {
  constructor(
    readonly index: number,
    /** The text as it was given: a long single message stays in pieces until its text is asked for. */
    private source: MessageText,
    readonly view: Hl7MessageView | undefined,
    readonly error: CodedError | undefined,
  ) {}

  get text(): string {
    if (typeof this.source !== 'string') this.source = joinText(this.source);
    return this.source;
  }

  /** The text, joined only when read: holds the pieces, not the view. */
  lazyText(): () => string {
    let source = this.source;
    return () => {
      if (typeof source !== 'string') source = joinText(source);
      return source;
    };
  }
}

/**
 * An entry's text as a function that joins it only when called and holds
 * nothing else of the entry (its view and segments can be let go of).
 */
export function lazyEntryText(entry: ParsedEntry): () => string {
  if (entry instanceof Entry) return entry.lazyText();
  const text = entry.text;
  return () => text;
}

/**
 * A batch message, checked when its view or error is first asked for. Readers
 * take a batch's messages in order and map each right after its check, so the
 * message is split into segments once (the check's segments are the ones
 * mapped) instead of once to check every message up front and again to map it.
 */
class BatchEntry implements ParsedEntry {
  private checked: ParsedEntry | undefined;

  constructor(
    readonly index: number,
    readonly text: string,
    private readonly residency: Residency,
  ) {}

  get view(): Hl7MessageView | undefined {
    return this.check().view;
  }

  get error(): CodedError | undefined {
    return this.check().error;
  }

  private check(): ParsedEntry {
    this.checked ??= runToEnd(parseOneSteps(this.text, this.index, this.residency));
    return this.checked;
  }

  /** The check in steps (a long message in a batch pauses inside its split and check); view and error then read it. */
  *checkSteps(): Generator<void, void, void> {
    this.checked ??= yield* parseOneSteps(this.text, this.index, this.residency);
  }
}

/**
 * Settles an entry's check in steps before its view or error is read: a batch
 * message is checked on first use (BatchEntry), so a reader that maps in
 * steps checks in steps too. Other entries are checked already.
 */
export function* checkEntrySteps(entry: ParsedEntry): Generator<void, void, void> {
  if (entry instanceof BatchEntry) yield* entry.checkSteps();
}

/** One message read and checked, pausing inside a very long one (a single message is one document). */
function* parseOneSteps(text: MessageText, index: number, residency?: Residency): Generator<void, ParsedEntry, void> {
  try {
    const view = yield* Hl7MessageView.steps(text, index, residency);
    yield* checkStructure(view);
    return new Entry(index, text, view, undefined);
  } catch (err) {
    const error = err instanceof CodedError ? err : new CodedError('HL7_MALFORMED', { message: index });
    return new Entry(index, text, undefined, error);
  }
}

/**
 * One message of a batch read on its own, as the batch read it (the same
 * check, the same errors): `text` is its normalized text, `index` its
 * position in the batch. For a message read again from its file's bytes
 * (batchImporter.ts: messages past the memory budget, ADR 0038).
 */
export function parseMessageSteps(text: string, index: number): Generator<void, ParsedEntry, void> {
  return parseOneSteps(text, index);
}

/** Lines or boundaries looked at between two pauses of a stepwise parse (a few hundred KiB of text). */
export const PARSE_STEP_LINES = 4096;

/**
 * The messages of a batch or file: from each line beginning `MSH|` to the next
 * line that begins a message or an envelope segment (FHS, BHS, BTS, FTS).
 * The document is given as pieces (see parseHl7PiecesSteps); a message may
 * span pieces. Pauses (yields) every PARSE_STEP_LINES boundaries.
 */
function* splitMessages(pieces: readonly string[]): Generator<void, string[], void> {
  // A regular expression of its own: stepwise parses of two documents may interleave.
  const boundary = new RegExp(BOUNDARY.source, BOUNDARY.flags);
  // Where each boundary is: its piece and its offset in it (a piece starts a line, as after the CR that joins it).
  const starts: Array<{ piece: number; at: number }> = [];
  for (const [p, piece] of pieces.entries()) {
    boundary.lastIndex = 0;
    for (let m = boundary.exec(piece); m !== null; m = boundary.exec(piece)) {
      starts.push({ piece: p, at: m.index });
      if (starts.length % PARSE_STEP_LINES === 0) yield;
    }
  }
  const messages: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as { piece: number; at: number };
    const from = pieces[start.piece] as string;
    if (from.startsWith('MSH', start.at)) {
      // To the next boundary, or to the document's end.
      const end = starts[i + 1] ?? { piece: pieces.length - 1, at: (pieces[pieces.length - 1] as string).length };
      if (end.piece === start.piece) messages.push(from.slice(start.at, end.at).trim());
      else {
        // The pieces between joined by the CR that separates them.
        const parts = [from.slice(start.at)];
        for (let k = start.piece + 1; k < end.piece; k++) parts.push(pieces[k] as string);
        parts.push((pieces[end.piece] as string).slice(0, end.at));
        messages.push(parts.join('\r').trim());
      }
    }
    if (i % PARSE_STEP_LINES === PARSE_STEP_LINES - 1) yield;
  }
  return messages;
}

/**
 * Splits decoded text into messages. A document that is not HL7 at all, or
 * whose batch envelope is broken, throws HL7_MALFORMED; a bad message inside a
 * good envelope becomes an entry with an error, so the rest can still be used.
 */
export function parseHl7Document(decoded: string): ParsedDocument {
  const steps = parseHl7PiecesSteps([normalizeSegmentBreaks(decoded.replace(/^\uFEFF/, '').trimStart())]);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * parseHl7Document in steps, over a document given as pieces: the generator
 * pauses (yields) after every PARSE_STEP_LINES lines or message boundaries,
 * so a caller can give the event loop a turn between steps (hl7File.ts
 * readHl7FileSliced); parseHl7Document is this run to its end on one piece
 * (the one implementation). The checks, their order and their errors are the
 * same however the document is cut.
 *
 * `pieces`: the document's text, decoded, its start trimmed and its segment
 * breaks normalized, cut at line starts: joined with one CR they are the text
 * (hl7Text.ts decodeHl7Pieces cuts them so). No piece is empty. Kept apart,
 * a large batch is never copied into one string.
 */
export function* parseHl7PiecesSteps(pieces: readonly string[]): Generator<void, ParsedDocument, void> {
  const first = pieces[0] ?? '';
  const head = (first.length < 3 && pieces.length > 1 ? `${first}\r${pieces[1]}` : first).slice(0, 3);
  // A second message header anywhere (at a piece's start it follows the joining CR).
  let anotherHeader = false;
  for (const [i, piece] of pieces.entries()) {
    if (piece.includes('\rMSH') || (i > 0 && piece.startsWith('MSH'))) {
      anotherHeader = true;
      break;
    }
    // A piece (about a MiB) searched per step.
    yield;
  }
  // One message: read over its pieces, never joined into one string (ADR 0038); a copy of the list, the caller's may be cleared.
  if (head === 'MSH' && !anotherHeader) return { kind: 'message', entries: [yield* parseOneSteps(pieces.length === 1 ? first : [...pieces], 1)] };
  if (head !== 'FHS' && head !== 'BHS' && head !== 'MSH') throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  const messages = yield* splitMessages(pieces);
  // Headers without a BHS or FHS envelope: at least two messages, or it is no batch.
  if (head === 'MSH' && messages.length < 2) throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  yield* checkEnvelope(pieces, messages.length);
  const residency: Residency = {};
  const entries: ParsedEntry[] = [];
  for (let i = 0; i < messages.length; i++) {
    entries.push(new BatchEntry(i + 1, normalizeSegmentBreaks(messages[i] as string), residency));
    if (i % PARSE_STEP_LINES === PARSE_STEP_LINES - 1) yield;
  }
  return { kind: head === 'FHS' ? 'file' : 'batch', entries };
}

/**
 * A document read without holding it (ADR 0038): `pieces` is iterated again
 * for each pass (each iteration decodes afresh), and only what a pass needs
 * is kept. checkPiecesSteps makes every whole-document check of
 * parseHl7PiecesSteps, in the same order and with the same errors, and says
 * what the document is: a single message (read it with parseHl7PiecesSteps:
 * its size is bounded by the segment limit) or a batch / file and how many
 * messages it holds, whose texts messageTextSteps then gives one at a time.
 */
export function* checkPiecesSteps(pieces: Iterable<string>): Generator<void, { kind: ParsedDocument['kind']; messages: number }, void> {
  let first = '';
  let second: string | undefined;
  let n = 0;
  for (const piece of pieces) {
    if (n === 0) first = piece;
    else second = piece;
    if (++n === 2) break;
  }
  const head = (first.length < 3 && second !== undefined ? `${first}\r${second}` : first).slice(0, 3);
  let anotherHeader = false;
  let i = 0;
  for (const piece of pieces) {
    if (piece.includes('\rMSH') || (i > 0 && piece.startsWith('MSH'))) {
      anotherHeader = true;
      break;
    }
    i++;
    yield;
  }
  if (head === 'MSH' && !anotherHeader) return { kind: 'message', messages: 1 };
  if (head !== 'FHS' && head !== 'BHS' && head !== 'MSH') throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  // The messages splitMessages would give: one per boundary that is a message header.
  const boundary = new RegExp(BOUNDARY.source, BOUNDARY.flags);
  let messages = 0;
  let boundaries = 0;
  for (const piece of pieces) {
    boundary.lastIndex = 0;
    for (let m = boundary.exec(piece); m !== null; m = boundary.exec(piece)) {
      if (piece.startsWith('MSH', m.index)) messages++;
      if (++boundaries % PARSE_STEP_LINES === 0) yield;
    }
  }
  if (head === 'MSH' && messages < 2) throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  yield* checkEnvelope(pieces, messages);
  return { kind: head === 'FHS' ? 'file' : 'batch', messages };
}

/**
 * The messages' texts of a batch or file, as splitMessages gives them (from a
 * line beginning `MSH|` to the next boundary line, trimmed; a message across
 * pieces joined by CR), one at a time without holding the document: yields
 * a text for each message, undefined for a pause (every PARSE_STEP_LINES
 * boundaries). Only the pieces of the message being read are held.
 */
export function* messageTextSteps(pieces: Iterable<string>): Generator<string | undefined, void, void> {
  const boundary = new RegExp(BOUNDARY.source, BOUNDARY.flags);
  /** The message being read: its parts from earlier pieces, and where it starts in the current one (-1: an earlier one). */
  let parts: string[] | undefined;
  let openAt = -1;
  let boundaries = 0;
  for (const piece of pieces) {
    boundary.lastIndex = 0;
    for (let m = boundary.exec(piece); m !== null; m = boundary.exec(piece)) {
      if (parts) {
        if (openAt >= 0) yield piece.slice(openAt, m.index).trim();
        else {
          parts.push(piece.slice(0, m.index));
          yield parts.join('\r').trim();
        }
        parts = undefined;
      }
      if (piece.startsWith('MSH', m.index)) {
        parts = [];
        openAt = m.index;
      }
      if (++boundaries % PARSE_STEP_LINES === 0) yield undefined;
    }
    if (parts) {
      parts.push(openAt >= 0 ? piece.slice(openAt) : piece);
      openAt = -1;
    }
  }
  if (parts) yield parts.join('\r').trim();
}

/**
 * The document's lines (as `pieces.join('\r').split('\r')` gives them) with
 * their 0-based index, pausing every PARSE_STEP_LINES lines; `visit` returning
 * false stops the walk.
 */
function* linesOf(pieces: Iterable<string>, visit: (line: string, i: number) => boolean | void): Generator<void, void, void> {
  let i = 0;
  for (const text of orEmpty(pieces)) {
    let from = 0;
    for (;;) {
      const end = text.indexOf('\r', from);
      const line = end === -1 ? text.slice(from) : text.slice(from, end);
      if (visit(line, i) === false) return;
      if (i % PARSE_STEP_LINES === PARSE_STEP_LINES - 1) yield;
      i++;
      if (end === -1) break;
      from = end + 1;
    }
  }
}

/** The pieces, or one empty piece when there are none. */
function* orEmpty(pieces: Iterable<string>): Generator<string, void, void> {
  let any = false;
  for (const piece of pieces) {
    any = true;
    yield piece;
  }
  if (!any) yield '';
}

/**
 * A batch must not lose messages silently. The envelope is checked as the
 * standard defines it, batch by batch: each BTS-1 against the messages of its
 * own BHS, FTS-1 against the batches of the file; a batch or file that is
 * opened must be closed (a truncated file is malformed, not quietly short);
 * nothing but envelope segments may sit outside a message, and a batch may
 * not open inside another.
 */
function* checkEnvelope(pieces: Iterable<string>, found: number): Generator<void, void, void> {
  const malformed = (params: Record<string, string | number>) => new CodedError('HL7_MALFORMED', { message: 0, ...params });
  const fieldOf = (line: string, n: number) => line.split(line.charAt(3))[n];
  let fileOpen = false;
  let fileClosed = false;
  let batchOpen = false;
  let inMessage = false;
  let batchMessages = 0;
  let batches = 0;
  // Before the first message only the envelope may stand.
  yield* linesOf(pieces, (line, i) => {
    if (line.startsWith('MSH')) return false;
    const name = line.slice(0, 3);
    if (name !== 'FHS' && name !== 'BHS') throw malformed({ segment: i + 1 });
  });
  if (found === 0) throw malformed({ reason: 'empty' });
  yield* linesOf(pieces, (line, i) => {
    if (line.trim() === '') return;
    const name = line.slice(0, 3);
    const segment = i + 1;
    if (fileClosed) throw malformed({ segment, name: 'FTS', reason: 'after-end' });
    switch (name) {
      case 'FHS':
        if (i !== 0) throw malformed({ segment, name });
        fileOpen = true;
        return;
      case 'BHS':
        if (batchOpen) throw malformed({ segment, name, reason: 'unclosed-batch' });
        batchOpen = true;
        inMessage = false;
        batchMessages = 0;
        return;
      case 'MSH':
        inMessage = true;
        batchMessages++;
        return;
      case 'BTS': {
        if (!batchOpen) throw malformed({ segment, name, reason: 'no-batch' });
        const count = fieldOf(line, 1);
        if (count && /^\d+$/.test(count) && Number(count) !== batchMessages) {
          // The batch is named from the second on (a file of one batch reads as before).
          throw malformed({ name, ...(batches > 0 ? { batch: batches + 1 } : {}), expected: Number(count), found: batchMessages });
        }
        batchOpen = false;
        inMessage = false;
        batches++;
        return;
      }
      case 'FTS': {
        if (!fileOpen) throw malformed({ segment, name, reason: 'no-file' });
        if (batchOpen) throw malformed({ segment, name: 'BTS', reason: 'missing' });
        const count = fieldOf(line, 1);
        if (count && /^\d+$/.test(count) && Number(count) !== batches) {
          throw malformed({ name, expected: Number(count), found: batches });
        }
        fileClosed = true;
        inMessage = false;
        return;
      }
      default:
        if (!inMessage) throw malformed({ segment });
    }
  });
  if (batchOpen) throw malformed({ name: 'BTS', reason: 'missing' });
  if (fileOpen && !fileClosed) throw malformed({ name: 'FTS', reason: 'missing' });
}
