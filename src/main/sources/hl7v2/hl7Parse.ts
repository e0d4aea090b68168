/**
 * The one door to node-hl7-client's parser. Splits a document (a message, a
 * BHS batch or an FHS file) into messages with the library's Message, Batch and
 * FileBatch, and reads fields through its node tree, so escape sequences are
 * decoded by the library. Two things are added around it:
 *  - repetitions: the library's path API (`PID.3.1`, and `PID.3[2]`, which it
 *    reads as `PID.3`) always answers from the first repetition, so fields are
 *    read by walking `toArray()` level by level instead;
 *  - structure checks: the library accepts almost any text as a message (any
 *    three characters make a segment), so a message is checked here and a bad
 *    one becomes HL7_MALFORMED naming only the message and segment position.
 */
import { Batch, FileBatch, Message, type HL7Node } from 'node-hl7-client';
import { CodedError } from '../../../shared/errors';
import { normalizeSegmentBreaks } from './hl7Text';

/** One repetition of a field: components, each a list of subcomponents. */
export type Hl7Rep = string[][];

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
/** HL7 formatting escapes the library leaves in place; a line break is kept as one. */
const FORMATTING = /\\\.br\\/g;

function readRep(rep: HL7Node): Hl7Rep {
  return rep.toArray().map((component) => component.toArray().map((sub) => sub.toString().replace(FORMATTING, '\n')));
}

export class Hl7Segment {
  readonly name: string;
  private fields: HL7Node[] | undefined;
  private readonly cache = new Map<number, Hl7Rep[]>();

  constructor(
    private readonly node: HL7Node,
    /** Position in its message, 1-based (MSH is 1). */
    readonly position: number,
  ) {
    this.name = node.toRaw().slice(0, 3);
  }

  /** Every repetition of field n (1-based, as in the standard: MSH-9 is the message type). */
  reps(n: number): Hl7Rep[] {
    const cached = this.cache.get(n);
    if (cached) return cached;
    this.fields ??= this.node.toArray();
    // Child 0 holds the segment name; MSH's child 1 is MSH-2, MSH-1 being the separator.
    const field = this.fields[this.name === 'MSH' || this.name === 'BHS' || this.name === 'FHS' ? n - 1 : n];
    const value = field ? field.toArray().map(readRep) : [];
    this.cache.set(n, value);
    return value;
  }

  /** Field n, component c, subcomponent s of repetition r (all 1-based but r, 0-based); '' when absent. */
  get(n: number, c = 1, s = 1, r = 0): string {
    return this.reps(n)[r]?.[c - 1]?.[s - 1] ?? '';
  }

  /** Every repetition's component c (subcomponent 1), blanks dropped. */
  all(n: number, c = 1): string[] {
    return this.reps(n)
      .map((rep) => rep[c - 1]?.[0] ?? '')
      .filter((v) => v.trim() !== '');
  }

  /** The whole field as text, repetitions joined by a new line and components by a space. */
  text(n: number): string {
    return this.reps(n)
      .map((rep) => rep.map((component) => component.join(' ')).join(' ').trim())
      .filter((v) => v !== '')
      .join('\n');
  }

  raw(): string {
    return this.node.toRaw();
  }
}

export class Hl7MessageView {
  readonly segments: Hl7Segment[];
  constructor(
    readonly message: Message,
    /** 1-based position in its document. */
    readonly index: number,
  ) {
    this.segments = message.toArray().map((node, i) => new Hl7Segment(node, i + 1));
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

/** Structure checks the library does not make. Throws HL7_MALFORMED. */
function checkStructure(view: Hl7MessageView): void {
  const index = view.index;
  const fieldSeparator = view.header.raw().charAt(3);
  for (const segment of view.segments) {
    const raw = segment.raw();
    if (!SEGMENT_NAME.test(segment.name) || (raw.length > 3 && raw.charAt(3) !== fieldSeparator)) {
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

function parseOne(text: string, index: number): ParsedEntry {
  try {
    const view = new Hl7MessageView(new Message({ text }), index);
    checkStructure(view);
    return { index, text, view };
  } catch (err) {
    const error = err instanceof CodedError ? err : new CodedError('HL7_MALFORMED', { message: index });
    return { index, text, error };
  }
}

/**
 * Splits decoded text into messages. A document that is not HL7 at all, or
 * whose batch envelope is broken, throws HL7_MALFORMED; a bad message inside a
 * good envelope becomes an entry with an error, so the rest can still be used.
 */
export function parseHl7Document(decoded: string): ParsedDocument {
  const text = normalizeSegmentBreaks(decoded.replace(/^\uFEFF/, '').trimStart());
  const head = text.slice(0, 3);
  if (head === 'MSH' && !/\rMSH/.test(text)) return { kind: 'message', entries: [parseOne(text, 1)] };
  let messages: Message[];
  let kind: ParsedDocument['kind'];
  try {
    if (head === 'FHS') {
      kind = 'file';
      messages = new FileBatch({ text }).messages();
    } else if (head === 'BHS' || head === 'MSH') {
      kind = 'batch';
      messages = new Batch({ text }).messages();
    } else {
      throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
    }
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('HL7_MALFORMED', { message: 0, segment: 1 });
  }
  checkEnvelope(text, messages.length);
  return {
    kind,
    entries: messages.map((m, i) => parseOne(normalizeSegmentBreaks(m.toString()), i + 1)),
  };
}

/**
 * A batch must not lose messages silently: BTS-1 / FTS-1, where given, must
 * match what was found, and nothing but envelope segments may sit outside a
 * message.
 */
function checkEnvelope(text: string, found: number): void {
  const lines = text.split('\r');
  const firstMsh = lines.findIndex((l) => l.startsWith('MSH'));
  for (let i = 0; i < (firstMsh === -1 ? lines.length : firstMsh); i++) {
    const name = lines[i]?.slice(0, 3);
    if (name !== 'FHS' && name !== 'BHS') throw new CodedError('HL7_MALFORMED', { message: 0, segment: i + 1 });
  }
  const bts = lines.find((l) => l.startsWith('BTS'));
  const count = bts ? bts.split(bts.charAt(3))[1] : undefined;
  if (count && /^\d+$/.test(count) && Number(count) !== found) {
    throw new CodedError('HL7_MALFORMED', { message: 0, name: 'BTS', expected: Number(count), found });
  }
  if (found === 0) throw new CodedError('HL7_MALFORMED', { message: 0, reason: 'empty' });
}
