/**
 * The batch folder's stepwise reader (hl7File.ts readHl7FileSliced: decoded a
 * piece at a time, split and checked in steps, mapped message by message, the
 * event loop turning between slices) gives exactly what the synchronous
 * readHl7File gives — the same messages, items, errors and quarantine bytes —
 * on the fixtures and on generated and mutated messages and batches with
 * CR, LF, CRLF and blank-line breaks, byte-order marks and every character
 * set; and the pieces decodeHl7Pieces cuts join to the whole decode wherever
 * they are cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../../../src/shared/errors';
import { countSegments, countSegmentsSteps, eachHl7MessageSliced, type Hl7FileMessage, readHl7File, readHl7FileSliced } from '../../../../../src/main/sources/hl7v2/hl7File';
import { checkEntrySteps, Hl7MessageView, parseHl7Document, parseHl7PiecesSteps, PARSE_STEP_LINES } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { MAP_STEP_SEGMENTS } from '../../../../../src/main/sources/hl7v2/hl7Map';
import { decodeHl7Bytes, decodeHl7Pieces, normalizeSegmentBreaks } from '../../../../../src/main/sources/hl7v2/hl7Text';
import { sha256, sha256Steps } from '../../../../../src/main/sources/hl7v2/batchLedger';
import { TimeSlices } from '../../../../../src/main/platform/timeSlices';
import { seeds } from '../../../../fuzz/run';
import { batchOf, generateMessage, int, mutateBytes, mutateSegments, pick, prng, type Rng } from '../../../../fuzz/mutate';

const CTX = { sourceId: 'lab', sourceName: 'Lab', fetchedAt: '2026-11-30T08:00:00.000Z', recordPrefix: 'f/' };
const pool = seeds().hl7;

type Outcome = { ok: unknown } | { code: string; params: unknown } | { thrown: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { ok: read() };
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, params: err.params };
    return { thrown: String(err) };
  }
}

async function outcomeAsync(read: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await read() };
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, params: err.params };
    return { thrown: String(err) };
  }
}

/** Breaks written the ways files write them, sometimes doubled. */
function rebreak(rng: Rng, text: string): string {
  const breaks = ['\r', '\n', '\r\n', '\n\r', '\r\r', '\n\n'];
  return text.replace(/\r/g, () => (rng() < 0.7 ? '\r' : pick(rng, breaks)));
}

function input(rng: Rng): Buffer {
  const r = rng();
  let text: string;
  if (r < 0.4) text = batchOf(rng, Array.from({ length: 1 + int(rng, 6) }, () => generateMessage(rng).text));
  else if (r < 0.6) text = generateMessage(rng).text;
  else text = mutateSegments(rng, pick(rng, pool).toString('latin1'), pick(rng, pool).toString('latin1'));
  const prefix = rng() < 0.1 ? pick(rng, ['\uFEFF', ' \r\n', '\r\r']) : '';
  let bytes: Buffer = Buffer.from(prefix + rebreak(rng, text) + (rng() < 0.5 ? '\r' : ''), rng() < 0.5 ? 'latin1' : 'utf8');
  if (rng() < 0.3) bytes = mutateBytes(rng, bytes);
  return bytes;
}

describe('decodeHl7Pieces', () => {
  it('joins to the whole decode, normalized, wherever the pieces are cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 80 }), (s, size) => {
        const bytes = input(prng(s));
        const whole = outcome(() => normalizeSegmentBreaks(decodeHl7Bytes(bytes).replace(/^\uFEFF/, '').trimStart()));
        const pieces = outcome(() => [...decodeHl7Pieces(bytes, size)].filter((p) => p !== '').join('\r'));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });
});

describe('readHl7FileSliced', () => {
  it('reads every fixture as readHl7File does', async () => {
    for (const bytes of pool) {
      expect(await outcomeAsync(() => readHl7FileSliced(bytes, CTX, new TimeSlices(0)))).toEqual(outcome(() => readHl7File(bytes, CTX)));
    }
  });

  it('reads generated and mutated messages and batches as readHl7File does, errors and quarantine bytes included, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 300 }), async (s, pieceBytes) => {
        const bytes = input(prng(s));
        const sliced = await outcomeAsync(() => readHl7FileSliced(bytes, CTX, new TimeSlices(0), { pieceBytes }));
        expect(sliced).toEqual(outcome(() => readHl7File(bytes, CTX)));
      }),
      { numRuns: 500 },
    );
  });

  it('turns the event loop while a large batch is decoded, split and checked, not only while it is mapped', async () => {
    const n = 3 * PARSE_STEP_LINES;
    const text = ['BHS|^~\\&', ...Array.from({ length: n }, (_, i) => `MSH|^~\\&|A|B|C|D|20260101||ADT^A08|M${i}|P|2.5\rPID|1||${i}^^^X`), `BTS|${n}`].join('\r');
    const bytes = Buffer.from(text, 'latin1');
    // Steps counted, not timed: a budget of 0 pauses after every step.
    let steps = 0;
    for (const gen = parseHl7PiecesSteps([text]); !gen.next().done; ) steps++;
    // Boundaries, the lines of the envelope check (twice the messages), the entries: each in steps of PARSE_STEP_LINES.
    expect(steps).toBeGreaterThanOrEqual(Math.floor((n + 2) / PARSE_STEP_LINES) + Math.floor((2 * n + 2) / PARSE_STEP_LINES));
    const slices = new TimeSlices(0);
    const content = await readHl7FileSliced(bytes, { ...CTX, recordPrefix: '' }, slices, { pieceBytes: 4096 });
    expect(content.messages).toHaveLength(n);
    // Every message mapped is a turn, and so is every step before the first one.
    expect(slices.turns).toBeGreaterThanOrEqual(n + steps);
    expect(parseHl7Document(text).entries).toHaveLength(n);
  });
});

describe('eachHl7MessageSliced (ADR 0038: the batch folder reads a message at a time, never the whole document)', () => {
  /** What a reader says of each message, its quarantine bytes aside (located on demand here). */
  const seen = (m: Hl7FileMessage) => ({ index: m.index, controlId: m.controlId, text: m.text, mapped: m.mapped, error: m.error && { code: m.error.code, params: m.error.params } });

  async function each(bytes: Buffer, pieceBytes?: number): Promise<Outcome> {
    return outcomeAsync(async () => {
      const messages: unknown[] = [];
      const own: Array<Buffer | undefined> = [];
      const done = await eachHl7MessageSliced(bytes, CTX, new TimeSlices(0), ({ message, locate }) => {
        messages.push(seen(message));
        const range = locate();
        own.push(range && bytes.subarray(range.start, range.end));
      }, pieceBytes ? { pieceBytes } : {});
      return { kind: done.kind, messages, own: own.filter((b, i) => b !== undefined && (messages[i] as { error?: unknown }).error !== undefined) };
    });
  }

  async function whole(bytes: Buffer): Promise<Outcome> {
    return outcomeAsync(async () => {
      const content = await readHl7FileSliced(bytes, CTX, new TimeSlices(0));
      // Where every message lines up, a bad one's quarantine bytes are its own: the same bytes eachHl7MessageSliced locates.
      const own = content.messages.filter((m) => m.error && m.bytes !== bytes).map((m) => m.bytes);
      return { kind: content.kind, messages: content.messages.map(seen), own };
    });
  }

  it('hands over the messages, texts, items and errors readHl7FileSliced gives, and throws what it throws, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 300 }), async (s, pieceBytes) => {
        const bytes = input(prng(s));
        const expected = await whole(bytes);
        const got = await each(bytes, pieceBytes);
        if ('ok' in expected && 'ok' in got) {
          const e = expected.ok as { kind: string; messages: unknown[]; own: Buffer[] };
          const g = got.ok as { kind: string; messages: unknown[]; own: Buffer[] };
          expect({ kind: g.kind, messages: g.messages }).toEqual({ kind: e.kind, messages: e.messages });
          // A bad message's own bytes, where readHl7FileSliced could locate them, are located alike.
          for (const b of e.own) expect(g.own.some((o) => o.equals(b))).toBe(true);
        } else expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('reads every fixture as readHl7FileSliced does', async () => {
    for (const bytes of pool) {
      const expected = await whole(bytes);
      const got = await each(bytes);
      if ('ok' in expected && 'ok' in got) expect((got.ok as { messages: unknown }).messages).toEqual((expected.ok as { messages: unknown }).messages);
      else expect(got).toEqual(expected);
    }
  });
});

describe('a single very long message', () => {
  it('is checked and mapped in steps too, to the same items', async () => {
    const n = 5 * MAP_STEP_SEGMENTS;
    const lines = ['MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M1|P|2.5', 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan', 'OBR|1|P|F|24326-1^E^LN|||20260915'];
    for (let i = 1; i <= n; i++) lines.push(`OBX|${i}|NM|2823-3^Kalium^LN||4,${i % 10}|mmol/L|||||F|||20260915090000`);
    const bytes = Buffer.from(lines.join('\r'), 'latin1');
    const slices = new TimeSlices(0);
    const sliced = await readHl7FileSliced(bytes, CTX, slices);
    expect(sliced).toEqual(readHl7File(bytes, CTX));
    expect(sliced.messages[0]?.mapped?.items).toHaveLength(n);
    // One message, yet the event loop turned inside it: at least once per MAP_STEP_SEGMENTS segments mapped.
    expect(slices.turns).toBeGreaterThanOrEqual(Math.floor((n + 3) / MAP_STEP_SEGMENTS));
  });
});

describe('a single very long message, split into segments (ADR 0034)', () => {
  const long = (n: number) =>
    ['MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M1|P|2.5', 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan', ...Array.from({ length: n }, (_, i) => `OBX|${i + 1}|NM|2823-3^Kalium^LN||4`)].join('\r');

  it('pauses inside the split, not only inside the check', () => {
    const n = 3 * PARSE_STEP_LINES;
    let steps = 0;
    const gen = parseHl7PiecesSteps([long(n)]);
    let step = gen.next();
    for (; !step.done; step = gen.next()) steps++;
    expect(step.value.entries[0]?.view?.segments).toHaveLength(n + 2);
    // The split and the check each pause every PARSE_STEP_LINES segments (before: the split was one step).
    expect(steps).toBeGreaterThanOrEqual(2 * Math.floor((n + 2) / PARSE_STEP_LINES));
  });

  it('a batch message is checked in steps too when it is mapped in steps', async () => {
    const n = 2 * PARSE_STEP_LINES;
    const text = ['BHS|^~\\&', long(n), 'BTS|1'].join('\r');
    const slices = new TimeSlices(0);
    const content = await readHl7FileSliced(Buffer.from(text, 'latin1'), CTX, slices);
    expect(content.messages[0]?.mapped?.items).toHaveLength(n);
    expect(content).toEqual(readHl7File(Buffer.from(text, 'latin1'), CTX));
    // A batch message is checked on first use: in steps, its split and its check each pause inside it.
    const entry = parseHl7Document(text).entries[0]!;
    let steps = 0;
    for (const gen = checkEntrySteps(entry); !gen.next().done; ) steps++;
    expect(steps).toBeGreaterThanOrEqual(2 * Math.floor((n + 2) / PARSE_STEP_LINES));
    expect(entry.view?.segments).toHaveLength(n + 2);
  });

  /** The split as it was before it was stepwise: one regular expression over the text, then one split. */
  function oneGoSegments(text: string): string[] {
    if ((text.match(/^MSH\|/gm)?.length ?? 0) > 1) throw new CodedError('HL7_MALFORMED', { message: 1 });
    return text
      .trim()
      .split('\r')
      .map((line) => {
        const segment = line.trim();
        if (segment === '') throw new CodedError('HL7_MALFORMED', { message: 1 });
        return segment;
      });
  }

  it('gives the segments and errors the one-go split gave, second headers after LF, U+2028 and U+2029 included', () => {
    const breaks = ['\r', '\n', '\u2028', '\u2029', '\r\r', ' \r', '\r ', '\n\r'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = prng(seed);
        const lines = generateMessage(rng).text.split('\r');
        if (rng() < 0.5) lines.splice(1 + int(rng, lines.length), 0, pick(rng, ['MSH|^~\\&|X', ' MSH|^~\\&|Y', 'NTE|1||MSH|x', '']));
        let text = lines.map((l, i) => (i === 0 ? l : pick(rng, breaks) + l)).join('');
        if (rng() < 0.3) text += pick(rng, breaks);
        const expected = outcome(() => oneGoSegments(text));
        expect(outcome(() => new Hl7MessageView(text, 1).segments.map((seg) => seg.raw()))).toEqual(expected);
        const steps = Hl7MessageView.steps(text, 1);
        expect(
          outcome(() => {
            for (;;) {
              const step = steps.next();
              if (step.done) return step.value.segments.map((seg) => seg.raw());
            }
          }),
        ).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('a single long message read over its pieces (ADR 0038)', () => {
  it('splits as the one-go split of the joined text, without joining: pieces cut at any line, whitespace-only pieces at the ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = prng(seed);
        const lines = generateMessage(rng).text.split('\r');
        if (rng() < 0.3) lines.splice(1 + int(rng, lines.length), 0, pick(rng, ['MSH|^~\\&|X', '', ' ', 'NTE|1||MSH|x']));
        const pieces: string[] = [];
        for (let i = 0; i < lines.length; ) {
          const n = 1 + int(rng, 4);
          pieces.push(lines.slice(i, i + n).join('\r'));
          i += n;
        }
        if (rng() < 0.3) pieces.unshift(pick(rng, [' ', '\t', ' \u2028']));
        if (rng() < 0.3) pieces.push(pick(rng, [' ', '\t ', '\n']));
        if (rng() < 0.2) pieces[pieces.length - 1] += ' ';
        const whole = pieces.join('\r');
        const expected = outcome(() => new Hl7MessageView(whole, 1).segments.map((seg) => seg.raw()));
        expect(outcome(() => new Hl7MessageView(pieces, 1).segments.map((seg) => seg.raw()))).toEqual(expected);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps a single message given in pieces as pieces: the same items and text as the one-string read', async () => {
    const lines = ['MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M1|P|2.5', 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan', 'OBR|1|P|F|24326-1^E^LN|||20260915'];
    for (let i = 1; i <= 3 * PARSE_STEP_LINES; i++) lines.push(`OBX|${i}|NM|2823-3^Kalium^LN||4,${i % 10}|mmol/L|||||F|||20260915090000`);
    const bytes = Buffer.from(lines.join('\r'), 'latin1');
    const content = await readHl7FileSliced(bytes, CTX, new TimeSlices(0), { pieceBytes: 4096 });
    expect(content).toEqual(readHl7File(bytes, CTX));
    expect(content.messages[0]?.text).toBe(lines.join('\r'));
    expect(content.messages[0]?.mapped?.items).toHaveLength(3 * PARSE_STEP_LINES);
  });
});

describe('stepwise counting and hashing', () => {
  it('counts segments and hashes as the one-go functions do', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s) => {
        const bytes = input(prng(s));
        const run = <T>(g: Generator<void, T, void>): T => {
          for (;;) {
            const step = g.next();
            if (step.done) return step.value;
          }
        };
        expect(run(countSegmentsSteps(bytes))).toEqual(countSegments(bytes));
        expect(run(sha256Steps(bytes))).toBe(sha256(bytes));
      }),
      { numRuns: 100 },
    );
    const big = Buffer.alloc(9 << 20, 'OBX|1\r');
    let pauses = 0;
    const g = sha256Steps(big);
    let step = g.next();
    for (; !step.done; step = g.next()) pauses++;
    expect(step.value).toBe(sha256(big));
    expect(pauses).toBe(2);
  });
});
