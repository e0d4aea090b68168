/**
 * Where each message of an HL7 v2 document lies in the file's own bytes, so a
 * quarantined message is kept exactly as it arrived — same character set, same
 * segment breaks, byte for byte — instead of being re-encoded from the decoded
 * text (which would lose what the decoder could not represent, and could
 * pick a different character set than the file was read in).
 *
 * The split mirrors node-hl7-client's own batch split: a message starts at a
 * line beginning `MSH|` and ends where the next `FHS|`, `BHS|`, `MSH|`, `BTS|` or
 * `FTS|` line begins. Segment names, separators and line breaks are ASCII, and
 * every supported character set (ISO 8859-1/15, windows-1252, UTF-8) is an ASCII
 * superset whose other characters never contain those bytes, so the split can
 * be made on the raw bytes whatever the body's encoding.
 */

import { type ByteSource, bufferSource, lineChunks } from './byteSource';

const CR = 0x0d;
const LF = 0x0a;
const PIPE = 0x7c;
const BOUNDARIES = ['MSH', 'BHS', 'FHS', 'BTS', 'FTS'];

export interface ByteRange {
  start: number;
  end: number;
}

function isLeadingSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CR || byte === LF || byte === 0x0b || byte === 0x0c;
}

function boundaryAt(bytes: Buffer, at: number): string | undefined {
  if (bytes[at + 3] !== PIPE) return undefined;
  const name = bytes.toString('latin1', at, at + 3);
  return BOUNDARIES.includes(name) ? name : undefined;
}

/**
 * The byte range of every message in a batch or file, in document order.
 * `contentStart` is where the document's text begins (after a byte-order mark).
 */
export function batchMessageRanges(bytes: Buffer, contentStart = 0): ByteRange[] {
  // The bytes in memory read as a source: one reading of message boundaries for both (ADR 0041).
  const steps = batchMessageRangesSourceSteps(bufferSource(bytes), contentStart);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lines looked at between two pauses of batchMessageRangesSourceSteps. */
const RANGE_STEP_LINES = 4096;

/** Bytes read per piece by batchMessageRangesSourceSteps (lines are never cut: a piece ends after a line's breaks). */
const RANGE_PIECE_BYTES = 1 << 20;

/**
 * The byte range of every message, over a source read a piece at a time
 * (ADR 0041): without the file's bytes held. Pieces start at line
 * starts (byteSource.ts lineChunks), so each line is looked at within one
 * piece; only the boundaries' positions are kept. Pauses (yields) after each
 * piece and every RANGE_STEP_LINES lines.
 */
export function* batchMessageRangesSourceSteps(
  source: ByteSource,
  contentStart = 0,
  pieceBytes = RANGE_PIECE_BYTES,
): Generator<void, ByteRange[], void> {
  let lines = 0;
  /** Leading white space still being passed over (it may span pieces). */
  let leading = true;
  const starts: Array<{ name: string; at: number }> = [];
  let offset = 0;
  for (const piece of lineChunks(source, pieceBytes)) {
    const base = offset;
    offset += piece.length;
    let at = 0;
    if (leading) {
      at = Math.max(0, contentStart - base);
      while (at < piece.length && isLeadingSpace(piece[at] as number)) at++;
      if (at >= piece.length) continue;
      leading = false;
    }
    let cr = -2;
    let lf = -2;
    while (at < piece.length) {
      const name = boundaryAt(piece, at);
      if (name) starts.push({ name, at: base + at });
      if (cr !== -1 && cr < at) cr = piece.indexOf(CR, at);
      if (lf !== -1 && lf < at) lf = piece.indexOf(LF, at);
      const lineEnd = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (lineEnd === -1) break;
      at = lineEnd + 1;
      while (at < piece.length && (piece[at] === CR || piece[at] === LF)) at++;
      if (++lines % RANGE_STEP_LINES === 0) yield;
    }
    yield;
  }
  const ranges: ByteRange[] = [];
  starts.forEach((start, i) => {
    if (start.name === 'MSH') ranges.push({ start: start.at, end: starts[i + 1]?.at ?? source.size });
  });
  return ranges;
}
