/**
 * hl7Parse reads through @medplum/core since ADR 0007; before, node-hl7-client
 * 4.0.0's node tree gave every value. These properties pin that nothing a
 * mapper, the batch folder or a reply reader sees has changed: random messages
 * (standard and custom delimiters, every escape, empty parts, padded or blank
 * segments) and random batches read the same through both. node-hl7-client
 * stays a dependency (the MLLP client), so it serves here as the oracle.
 */
import fc from 'fast-check';
import { Batch, FileBatch, Message, type HL7Node } from 'node-hl7-client';
import { describe, expect, it } from 'vitest';
import { Hl7MessageView, type Hl7Rep, parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { normalizeSegmentBreaks } from '../../../../../src/main/sources/hl7v2/hl7Text';

type Reading = Array<{ name: string; raw: string; fields: Array<Hl7Rep[] | 'throws'> }> | 'throws';

const HEADERS = new Set(['MSH', 'BHS', 'FHS']);
const attempt = <T,>(fn: () => T): T | 'throws' => {
  try {
    return fn();
  } catch {
    return 'throws';
  }
};

/** What node-hl7-client gave: its node tree walked level by level, `\.br\` as a new line (the old hl7Parse). */
function oracle(text: string): Reading {
  return attempt(() =>
    new Message({ text }).toArray().map((segment: HL7Node) => {
      const raw = segment.toRaw();
      const name = raw.slice(0, 3);
      const fields = segment.toArray();
      const count = raw.length + 2;
      return {
        name,
        raw,
        fields: Array.from({ length: count }, (_, n) =>
          attempt(() => {
            const field = fields[HEADERS.has(name) ? n - 1 : n];
            return field
              ? field.toArray().map((rep) => rep.toArray().map((c) => c.toArray().map((s) => s.toString().replace(/\\\.br\\/g, '\n'))))
              : [];
          }),
        ),
      };
    }),
  );
}

function ours(text: string): Reading {
  return attempt(() =>
    new Hl7MessageView(text, 1).segments.map((segment) => {
      const raw = segment.raw();
      const count = raw.length + 2;
      return { name: segment.name, raw, fields: Array.from({ length: count }, (_, n) => attempt(() => segment.reps(n))) };
    }),
  );
}

/** MSH-2 and MSH-1: the standard's, another valid set, or a broken one (short, repeated, letters). */
const delimiters = fc.oneof(
  { weight: 3, arbitrary: fc.constant('|^~\\&') },
  { weight: 3, arbitrary: fc.shuffledSubarray([...'|^~\\&#$*!%@'], { minLength: 5, maxLength: 5 }).map((d) => d.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('|^~', '|^', '|', '|^^\\&', '|A~\\&', '| ~\\&', '|^~\\&&') },
);

function messageFor(d: string): fc.Arbitrary<string> {
  const [f = '|', c = '^', r = '~', e = '\\', s = '&'] = [...d];
  const token = fc.constantFrom(
    'A', 'Tolvan', 'Å', 'ö', ' ', '', '12', f, f, c, c, r, s, e,
    `${e}F${e}`, `${e}S${e}`, `${e}T${e}`, `${e}R${e}`, `${e}E${e}`, `${e}X41${e}`, `${e}X4${e}`, `${e}XC5E4${e}`, `${e}XZZ${e}`,
    `${e}.br${e}`, '\\.br\\', `${e}H${e}`, `${e}N${e}`, `${e}C2842${e}`, `${e}M2442${e}`, `${e}Zxy${e}`, `${e}Q${e}`, `${e}${e}`, `${e}Foo${e}`,
  );
  const value = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));
  const name = fc.constantFrom('PID', 'OBX', 'NTE', 'ZZ1', 'AL1', 'pid', 'PI', ' PID', 'MSH');
  const segment = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(name, value).map(([n, v]) => `${n}${f}${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('   ', 'OBX', `OBX${f}1 `, '\u2028MSH|x') },
  );
  const header = fc
    .tuple(value, fc.constantFrom('ORU^R01', 'RSP^K11', `ORU${c}R01${c}ORU_R01`, 'oru', `AD${e}F${e}`, ''), value)
    .map(([app, type, id]) => `MSH${d}${f}${app}${f}B${f}C${f}D${f}2026${f}${f}${type}${f}${id}${f}P${f}2.5`);
  return fc.tuple(header, fc.array(segment, { maxLength: 6 })).map(([h, segs]) => normalizeSegmentBreaks([h, ...segs].join('\r')));
}

const message = delimiters.chain(messageFor);

describe('hl7Parse reads as node-hl7-client 4.0.0 did', () => {
  it('every segment, field, repetition, component and subcomponent of random messages', () => {
    fc.assert(
      fc.property(message, (text) => {
        expect(ours(text)).toEqual(oracle(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits batches and files into the same messages', () => {
    const standard = messageFor('|^~\\&');
    const batch = fc
      .tuple(
        fc.constantFrom('BHS|^~\\&|LAB\r', 'FHS|^~\\&\rBHS|^~\\&\r', 'FHS|^~\\&\r', ''),
        fc.array(standard, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', '\rBTS|', '\rBTS|\rFTS|1', '\rBTS|\rZZZ|after the trailer', '\n\n', '  \r'),
        fc.constantFrom('\r', '\n', '\r\n', '\u2028'),
      )
      .map(([head, messages, tail, lineBreak]) => ({ head, tail, raw: `${head}${messages.join(lineBreak)}${tail}` }));
    /** The envelopes that are complete: a batch with its BTS, a file with its batch and FTS, or no envelope at all. */
    const closed = (head: string, tail: string): boolean =>
      (head === 'BHS|^~\\&|LAB\r' && tail === '\rBTS|') ||
      (head === 'FHS|^~\\&\rBHS|^~\\&\r' && tail === '\rBTS|\rFTS|1') ||
      (head === '' && ['', '\n\n', '  \r'].includes(tail));
    fc.assert(
      fc.property(batch, ({ head, tail, raw }) => {
        const text = normalizeSegmentBreaks(raw);
        const expected = attempt(() => {
          const root = text.startsWith('FHS') ? new FileBatch({ text }) : new Batch({ text });
          return root.messages().map((m) => normalizeSegmentBreaks(m.toString()));
        });
        const single = text.startsWith('MSH') && !/\rMSH/.test(text);
        const doc = attempt(() => parseHl7Document(raw));
        if (!single && !closed(head, tail)) {
          // A batch or file not closed as the standard defines it (BTS per BHS, FTS per FHS,
          // nothing after the trailer) is refused, where node-hl7-client reads what it finds.
          expect(doc).toBe('throws');
        } else if (single) {
          expect(doc !== 'throws' && doc.entries.map((e) => e.text)).toEqual([text]);
        } else if (expected === 'throws') {
          expect(doc).toBe('throws');
        } else {
          expect(doc !== 'throws' && doc.entries.map((e) => e.text)).toEqual(expected);
          expect(doc !== 'throws' && doc.kind).toBe(text.startsWith('FHS') ? 'file' : 'batch');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
