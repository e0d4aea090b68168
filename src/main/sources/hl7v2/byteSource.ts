/**
 * A file's bytes read a bounded piece at a time instead of held whole (ADR
 * 0041): the batch folder imports a 100 MB batch through an open descriptor,
 * reading fixed-size blocks, so its memory does not grow with the file's
 * size. A Buffer is a source too (the CLI, tests): every reader here gives
 * over a source exactly what its Buffer counterpart gives over the bytes.
 */
import { createHash } from 'node:crypto';

/** Random-access reads of `size` bytes (a Buffer, or an open file checked at every read). */
export interface ByteSource {
  readonly size: number;
  /**
   * Reads up to `length` bytes at `position` into `buffer` at `offset`;
   * returns how many (0 only at the end). A file source throws
   * SourceChangedError when the file changed since it was opened.
   */
  read(buffer: Buffer, offset: number, length: number, position: number): number;
}

/**
 * The file changed (size, times, identity or content) while it was being
 * read: nothing read from it may be used. Carries no name and no content.
 */
export class SourceChangedError extends Error {
  constructor() {
    super('file changed while read');
    this.name = 'SourceChangedError';
  }
}

/** A read of the file failed (an I/O error, a permission taken away): `failure` is the node:fs error, whose code says which. */
export class SourceReadError extends Error {
  constructor(readonly failure: unknown) {
    super('file read failed');
    this.name = 'SourceReadError';
  }
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read: (buffer, offset, length, position) => bytes.copy(buffer, offset, position, Math.min(bytes.length, position + length)),
  };
}

/** The bytes [start, end) of the source, in a buffer of their own; a short read means the file changed. */
export function readRange(source: ByteSource, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(Math.max(0, end - start));
  let offset = 0;
  while (offset < out.length) {
    const n = source.read(out, offset, out.length - offset, start + offset);
    if (n === 0) throw new SourceChangedError();
    offset += n;
  }
  return out;
}

/** Bytes kept of a file's start: declaredCharset reads its first MSH line up to 64 KiB after a byte-order mark. */
export const HEAD_BYTES = 65_536 + 4096;

/** The source's first bytes (all of them when it is shorter): enough to tell its character set and kind. */
export function headOf(source: ByteSource): Buffer {
  return readRange(source, 0, Math.min(source.size, HEAD_BYTES));
}

/** Bytes read and hashed between two pauses of sha256SourceSteps. */
const HASH_STEP_BYTES = 4 << 20;

/** The SHA-256 (hex) of the source's bytes, a block at a time, pausing (yielding) between blocks. */
export function* sha256SourceSteps(source: ByteSource, blockBytes = HASH_STEP_BYTES): Generator<void, string, void> {
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(Math.min(blockBytes, Math.max(1, source.size)));
  for (let from = 0; from < source.size; ) {
    const n = source.read(block, 0, Math.min(block.length, source.size - from), from);
    if (n === 0) throw new SourceChangedError();
    hash.update(block.subarray(0, n));
    from += n;
    if (from < source.size) yield;
  }
  return hash.digest('hex');
}

const isBreak = (b: number | undefined): boolean => b === 0x0d || b === 0x0a;

/**
 * The source cut in pieces of about `pieceBytes`, each ending after a run of
 * segment breaks (CR, LF) or at the end: the next piece starts a line. A
 * piece ends at the first break at or after `pieceBytes`, past the breaks
 * that follow it (the cuts hl7Text.ts decodeHl7Pieces has always made on the
 * whole bytes), so a line is never cut; a line longer than `pieceBytes` is
 * one piece of its own length. Two buffers of about `pieceBytes` are used in
 * turn: a piece is valid until the next one is asked for (every reader here
 * decodes, counts or hashes a piece before asking for the next). Nothing of
 * the file is held but those two buffers.
 */
export function* lineChunks(source: ByteSource, pieceBytes = 1 << 20): Generator<Buffer, void, void> {
  const size = source.size;
  const step = Math.max(0, pieceBytes);
  // Read past `step` to find the line's end without growing the buffer (most lines are short); more when it goes on.
  const ahead = 65_536;
  const more = Math.max(step, ahead);
  /** Bytes read but not yet given: buf[0, have) starts at file position `start`. */
  let buf: Buffer = Buffer.alloc(0);
  /** The buffer the piece before was given in: written again once the next piece is asked for. */
  let spare: Buffer | undefined;
  let have = 0;
  let start = 0;
  const fill = (need: number): void => {
    // Up to `need` bytes in buf (fewer only at the end of the source), grown by doubling.
    const want = Math.min(need, size - start);
    if (want <= have) return;
    if (buf.length < want) {
      const next = Buffer.allocUnsafe(Math.max(want, Math.min(size - start, buf.length * 2)));
      buf.copy(next, 0, 0, have);
      buf = next;
    }
    while (have < want) {
      const n = source.read(buf, have, buf.length - have, start + have);
      if (n === 0) throw new SourceChangedError();
      have += n;
    }
  };
  while (start < size) {
    fill(step + ahead);
    // The first break at or after `step`, as pieceEnd searches from start + pieceBytes.
    let at = Math.min(step, have);
    for (;;) {
      while (at < have && !isBreak(buf[at])) at++;
      if (at < have || start + have >= size) break;
      fill(have + more);
    }
    // Past the run of breaks (it may go on in the next block).
    for (;;) {
      while (at < have && isBreak(buf[at])) at++;
      if (at < have || start + have >= size) break;
      fill(have + more);
    }
    const end = at;
    const piece = buf.subarray(0, end);
    // What is left goes to the other buffer (the one the piece before was given in: its reader asked for this one).
    const need = Math.max(step + ahead, have - end);
    const rest = spare && spare.length >= need ? spare : Buffer.allocUnsafe(need);
    buf.copy(rest, 0, end, have);
    have -= end;
    start += end;
    spare = buf;
    buf = rest;
    yield piece;
  }
}

/**
 * The source read through a window of `windowBytes`: reads that fall in the
 * window are copied from it, others read a new window from where they start.
 * For many small reads in increasing order (each message's bytes, located or
 * read again): one read call per window instead of one per message. Every
 * window is read (and, for a file, checked) as any read is.
 */
export function windowed(source: ByteSource, windowBytes = 1 << 20): ByteSource {
  let base = 0;
  let filled = 0;
  // One buffer, read into again for each window (a fresh one each time would be faulted in page by page).
  let window: Buffer | undefined;
  return {
    size: source.size,
    read(buffer, offset, length, position) {
      if (position < base || position + length > base + filled) {
        if (length >= windowBytes) return source.read(buffer, offset, length, position);
        window ??= Buffer.allocUnsafe(Math.max(1, Math.min(windowBytes, source.size)));
        base = position;
        filled = 0;
        const want = Math.min(window.length, source.size - position);
        while (filled < want) {
          const n = source.read(window, filled, want - filled, position + filled);
          if (n === 0) throw new SourceChangedError();
          filled += n;
        }
      }
      const from = position - base;
      const n = Math.max(0, Math.min(length, filled - from));
      if (n > 0) (window as Buffer).copy(buffer, offset, from, from + n);
      return n;
    },
  };
}
