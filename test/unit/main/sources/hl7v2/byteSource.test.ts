/**
 * A file read a piece at a time (ADR 0041): the readers over a byte source
 * give what the readers over the whole bytes give, however the source is cut
 * and however little each read returns — the pieces' cuts (the line-aligned
 * ones decodeHl7Pieces has always made), segment and message counts, message
 * byte ranges, the SHA-256, windowed reads, and the message-at-a-time reader.
 * A source whose bytes differ from the digest the caller took is refused
 * (SourceChangedError), not read as another file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ByteSource,
  bufferSource,
  lineChunks,
  readRange,
  sha256SourceSteps,
  SourceChangedError,
  windowed,
} from '../../../../../src/main/sources/hl7v2/byteSource';
import { countSegmentsSourceSteps, eachHl7MessageSliced } from '../../../../../src/main/sources/hl7v2/hl7File';
import { batchMessageRanges, batchMessageRangesSourceSteps } from '../../../../../src/main/sources/hl7v2/hl7MessageBytes';
import { sha256 } from '../../../../../src/main/sources/hl7v2/batchLedger';
import { missingEndMarker, missingTerminator } from '../../../../../src/main/sources/hl7v2/batchImporter';
import { TimeSlices } from '../../../../../src/main/platform/timeSlices';
import { CodedError } from '../../../../../src/shared/errors';
import { largeBatch } from '../../../../integration/sources/hl7/largeBatch';
import { batchOf, generateMessage, int, mutateBytes, prng, type Rng } from '../../../../fuzz/mutate';

const run = <T>(g: Generator<void, T, void>): T => {
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
  }
};

/** A source over the bytes that gives at most `most` bytes per read (as a file read may). */
function stingy(bytes: Buffer, most: number): ByteSource & { reads: number } {
  const source = {
    size: bytes.length,
    reads: 0,
    read(buffer: Buffer, offset: number, length: number, position: number): number {
      source.reads++;
      return bytes.copy(buffer, offset, position, Math.min(bytes.length, position + Math.min(length, most)));
    },
  };
  return source;
}

/** The cuts as decodeHl7Pieces made them on the whole bytes before ADR 0041 (its pieceEnd), kept here as the oracle. */
function oracleCuts(bytes: Buffer, pieceBytes: number): number[] {
  const cuts: number[] = [];
  for (let start = 0; start < bytes.length; ) {
    const from = Math.min(bytes.length, start + pieceBytes);
    const cr = bytes.indexOf(0x0d, from);
    const lf = bytes.indexOf(0x0a, from);
    let at = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
    if (at === -1) at = bytes.length;
    else while (at < bytes.length && (bytes[at] === 0x0d || bytes[at] === 0x0a)) at++;
    cuts.push(at);
    start = at;
  }
  return cuts;
}

/** The message ranges as batchMessageRanges found them on the whole bytes before ADR 0041, kept here as the oracle. */
function oracleRanges(bytes: Buffer, contentStart: number): Array<{ start: number; end: number }> {
  const leadingSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a || b === 0x0b || b === 0x0c;
  const starts: Array<{ name: string; at: number }> = [];
  let at = contentStart;
  while (at < bytes.length && leadingSpace(bytes[at])) at++;
  while (at < bytes.length) {
    const name = bytes[at + 3] === 0x7c ? bytes.toString('latin1', at, at + 3) : '';
    if (['MSH', 'BHS', 'FHS', 'BTS', 'FTS'].includes(name)) starts.push({ name, at });
    const cr = bytes.indexOf(0x0d, at);
    const lf = bytes.indexOf(0x0a, at);
    const lineEnd = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
    if (lineEnd === -1) break;
    at = lineEnd + 1;
    while (at < bytes.length && (bytes[at] === 0x0d || bytes[at] === 0x0a)) at++;
  }
  return starts.flatMap((start, i) => (start.name === 'MSH' ? [{ start: start.at, end: starts[i + 1]?.at ?? bytes.length }] : []));
}

/** Segments and message headers counted the plain way: non-empty lines, and those starting MSH. */
function oracleCounts(bytes: Buffer): { segments: number; messages: number } {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lines = bytes.toString('latin1', start).split(/[\r\n]+/).filter((l) => l !== '');
  return { segments: lines.length, messages: lines.filter((l) => l.startsWith('MSH')).length };
}

/** HL7-like bytes: batches and messages with every kind of break, long lines, whitespace and a BOM sometimes, mutated sometimes. */
function input(rng: Rng): Buffer {
  const r = rng();
  let text = r < 0.5 ? batchOf(rng, Array.from({ length: 1 + int(rng, 6) }, () => generateMessage(rng).text)) : generateMessage(rng).text;
  const breaks = ['\r', '\n', '\r\n', '\n\r', '\r\r', '\n\n', '\r\n\r\n'];
  text = text.replace(/\r/g, () => (rng() < 0.6 ? '\r' : (breaks[int(rng, breaks.length)] as string)));
  if (rng() < 0.2) text = `${'x'.repeat(int(rng, 600))}\r${text}`;
  const prefix = rng() < 0.15 ? ['\uFEFF', ' \r\n', '\r\r', '\n  '][int(rng, 4)] : '';
  let bytes: Buffer = Buffer.from(prefix + text + (rng() < 0.5 ? '\r' : ''), rng() < 0.5 ? 'latin1' : 'utf8');
  if (rng() < 0.3) bytes = mutateBytes(rng, bytes);
  return bytes;
}

const seedAndCut = [fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 97 })] as const;

describe('lineChunks', () => {
  it('cuts where decodeHl7Pieces cut the whole bytes, however little each read gives, and the pieces join to the bytes', () => {
    fc.assert(
      fc.property(...seedAndCut, (s, pieceBytes, most) => {
        const bytes = input(prng(s));
        const pieces: Buffer[] = [];
        const cuts: number[] = [];
        let at = 0;
        // Copied as they come: a piece is valid until the next is asked for.
        for (const piece of lineChunks(stingy(bytes, most), pieceBytes)) {
          pieces.push(Buffer.from(piece));
          at += piece.length;
          cuts.push(at);
        }
        expect(cuts).toEqual(oracleCuts(bytes, pieceBytes));
        expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('holds two buffers of about a piece for a large file, not the file: one line longer than a piece is one piece', () => {
    const long = Buffer.from(`MSH|${'a'.repeat(300_000)}\rOBX|1\r`, 'latin1');
    const sizes = [...lineChunks(bufferSource(long), 1000)].map((p) => p.length);
    expect(sizes).toEqual([300_005, 6]);
    const batch = largeBatch(3000);
    const seen = new Set<ArrayBufferLike>();
    let pieces = 0;
    for (const piece of lineChunks(bufferSource(batch), 64 * 1024)) {
      seen.add(piece.buffer);
      pieces++;
    }
    expect(pieces).toBeGreaterThan(20);
    expect(seen.size).toBe(2);
  });
});

describe('readers over a source', () => {
  it('count segments and messages, locate messages and hash as over the whole bytes', () => {
    fc.assert(
      fc.property(...seedAndCut, (s, pieceBytes, most) => {
        const bytes = input(prng(s));
        expect(run(countSegmentsSourceSteps(stingy(bytes, most), pieceBytes))).toEqual(oracleCounts(bytes));
        const contentStart = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
        expect(run(batchMessageRangesSourceSteps(stingy(bytes, most), contentStart, pieceBytes))).toEqual(oracleRanges(bytes, contentStart));
        expect(batchMessageRanges(bytes, contentStart)).toEqual(oracleRanges(bytes, contentStart));
        expect(run(sha256SourceSteps(stingy(bytes, most), 1 + pieceBytes))).toBe(sha256(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('read ranges through a window as directly, in file order or not, with one read call per window for many small ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 5000 }), (s, windowBytes) => {
        const rng = prng(s);
        const bytes = input(rng);
        const source = windowed(bufferSource(bytes), windowBytes);
        for (let k = 0; k < 30; k++) {
          const start = int(rng, bytes.length + 1);
          const end = start + int(rng, bytes.length - start + 1);
          expect(readRange(source, start, end).equals(bytes.subarray(start, end))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    const batch = largeBatch(2000);
    const counting = stingy(batch, batch.length);
    const source = windowed(counting, 1 << 20);
    for (const r of batchMessageRanges(batch)) expect(readRange(source, r.start, r.end).equals(batch.subarray(r.start, r.end))).toBe(true);
    expect(counting.reads).toBeLessThanOrEqual(Math.ceil(batch.length / ((1 << 20) - 2000)) + 1);
  });
});

describe('eachHl7MessageSliced over a source', () => {
  type Seen = { index: number; text: string; mapped: unknown; error?: { code: string; params: unknown }; own?: string };
  async function read(input: Parameters<typeof eachHl7MessageSliced>[0], options: { pieceBytes?: number; sha256?: string } = {}) {
    const messages: Seen[] = [];
    try {
      const done = await eachHl7MessageSliced(
        input,
        { sourceId: 'lab', sourceName: 'Lab', fetchedAt: '2026-11-30T08:00:00.000Z', recordPrefix: 'f/' },
        new TimeSlices(0),
        ({ message, locate }) => {
          const range = locate();
          messages.push({
            index: message.index,
            text: message.text,
            mapped: message.mapped,
            ...(message.error ? { error: { code: message.error.code, params: message.error.params } } : {}),
            ...(range ? { own: `${range.start}-${range.end}:${range.bytes.toString('base64')}` } : {}),
          });
        },
        options,
      );
      return { kind: done.kind, messages };
    } catch (err) {
      if (err instanceof CodedError) return { code: err.code, params: err.params };
      return { thrown: (err as Error).name };
    }
  }

  it('hands over what it hands over for the whole bytes (messages, errors, located bytes), however the source is cut', async () => {
    await fc.assert(
      fc.asyncProperty(...seedAndCut, async (s, pieceBytes, most) => {
        const bytes = input(prng(s));
        const expected = await read(bytes, { pieceBytes: 1 << 20 });
        const head = bytes.subarray(0, 70_000);
        expect(await read({ source: stingy(bytes, most), head }, { pieceBytes, sha256: sha256(bytes) })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a source whose bytes are not those hashed: SourceChangedError, after reading them', async () => {
    const bytes = largeBatch(40);
    const source = { source: bufferSource(bytes), head: bytes };
    expect(await read(source, { sha256: sha256(bytes) })).toMatchObject({ kind: 'batch' });
    const other = Buffer.from(bytes);
    other[other.indexOf('4,1')] = 0x35;
    expect(await read({ source: bufferSource(other), head: other }, { sha256: sha256(bytes) })).toEqual({ thrown: 'SourceChangedError' });
    const single = Buffer.from(`${largeBatch(1).toString('latin1').split('\r').slice(1, -2).join('\r')}\r`, 'latin1');
    expect(await read({ source: bufferSource(single), head: single }, { sha256: sha256(single) })).toMatchObject({ kind: 'message' });
    expect(await read({ source: bufferSource(single), head: single }, { sha256: sha256(bytes) })).toEqual({ thrown: 'SourceChangedError' });
    expect(new SourceChangedError().message).not.toMatch(/\d{6}/);
  });
});

/** missingEndMarker / missingTerminator as they read the whole bytes before ADR 0041, kept here as the oracle. */
const WHITESPACE = new Set([0x09, 0x0a, 0x0d, 0x20, 0x1a, 0x00]);
function oracleEnd(bytes: Buffer): { marker: 'BTS' | 'FTS' | undefined; terminator: 'CR' | undefined } {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length && WHITESPACE.has(bytes[start] as number)) start++;
  const head = bytes.toString('latin1', start, start + 3);
  const want = head === 'FHS' ? 'FTS' : head === 'BHS' ? 'BTS' : undefined;
  let marker: 'BTS' | 'FTS' | undefined;
  if (want) {
    let end = bytes.length;
    while (end > start && WHITESPACE.has(bytes[end - 1] as number)) end--;
    let last = end;
    while (last > start && bytes[last - 1] !== 0x0d && bytes[last - 1] !== 0x0a) last--;
    marker = bytes.toString('latin1', last, last + 3) === want ? undefined : want;
  }
  let terminator: 'CR' | undefined;
  if (head !== 'FHS' && head !== 'BHS') {
    let end = bytes.length;
    while (end > start && (bytes[end - 1] === 0x1a || bytes[end - 1] === 0x00)) end--;
    const last = bytes[end - 1];
    terminator = end > start && (last === 0x0d || last === 0x0a) ? undefined : 'CR';
  }
  return { marker, terminator };
}

describe('end markers over a source', () => {
  it('are found as over the whole bytes, the last line or the leading white space longer than a read block included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 70_000 }), (s, most) => {
        const rng = prng(s);
        let bytes = input(rng);
        const long = rng() < 0.3 ? `OBX|${'a'.repeat(int(rng, 140_000))}` : '';
        if (long) bytes = Buffer.concat([bytes, Buffer.from(`\r${long}`, 'latin1')]);
        if (rng() < 0.3) bytes = Buffer.concat([bytes, Buffer.from(['\r\x1a', 'BTS|1\r', 'FTS|1', '\x00\x00', ' \r\n'][int(rng, 5)] as string, 'latin1')]);
        if (rng() < 0.1) bytes = Buffer.concat([Buffer.from(' \r'.repeat(40_000), 'latin1'), bytes]);
        const source = stingy(bytes, most);
        expect({ marker: missingEndMarker(source), terminator: missingTerminator(source) }).toEqual(oracleEnd(bytes));
      }),
      { numRuns: 150 },
    );
  });
});
