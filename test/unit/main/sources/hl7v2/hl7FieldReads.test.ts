/**
 * Since the second round of ADR 0007, Hl7Segment reads get / all / text /
 * repetitions straight from @medplum/core's tokens when a segment holds no
 * escape, and a document holds only the segments of the message read last.
 * These properties pin that neither changes an answer: every read equals what
 * reps(n) (the whole field, unescaped, empty parts dropped) gives, and a batch
 * read message by message, in any order, maps as each message alone does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapHl7Message } from '../../../../../src/main/sources/hl7v2/hl7Map';
import { Hl7MessageView, type Hl7Segment, parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { codedText, codingsOf, codingSystem } from '../../../../../src/main/sources/hl7v2/mappers/common';
import type { Coding } from '../../../../../src/shared/summary';

const attempt = <T,>(fn: () => T): T | 'throws' => {
  try {
    return fn();
  } catch {
    return 'throws';
  }
};

/** The reads as they were defined on reps(n) before the direct reads. */
const byReps = {
  get: (seg: Hl7Segment, n: number, c: number, s: number, r: number) => seg.reps(n)[r]?.[c - 1]?.[s - 1] ?? '',
  all: (seg: Hl7Segment, n: number, c: number) =>
    seg
      .reps(n)
      .map((rep) => rep[c - 1]?.[0] ?? '')
      .filter((v) => v.trim() !== ''),
  text: (seg: Hl7Segment, n: number) =>
    seg
      .reps(n)
      .map((rep) => rep.map((component) => component.join(' ')).join(' ').trim())
      .filter((v) => v !== '')
      .join('\n'),
  codings: (seg: Hl7Segment, n: number): Coding[] => {
    const out: Coding[] = [];
    for (const rep of seg.reps(n)) {
      for (const offset of [0, 3]) {
        const code = rep[offset]?.[0]?.trim() ?? '';
        const display = rep[offset + 1]?.[0]?.trim() ?? '';
        const system = codingSystem(rep[offset + 2]?.[0] ?? '');
        if (!code) continue;
        const coding: Coding = {};
        if (system) coding.system = system;
        coding.code = code;
        if (display) coding.display = display;
        out.push(coding);
      }
    }
    return out;
  },
  codedText: (seg: Hl7Segment, n: number) => {
    const rep = seg.reps(n)[0];
    if (!rep) return undefined;
    for (const c of [1, 4, 8, 0, 3]) {
      const value = rep[c]?.[0]?.trim();
      if (value) return value;
    }
    return undefined;
  },
};

const delimiters = fc.oneof(
  { weight: 3, arbitrary: fc.constant('|^~\\&') },
  { weight: 2, arbitrary: fc.shuffledSubarray([...'|^~\\&#$*!%@'], { minLength: 5, maxLength: 5 }).map((d) => d.join('')) },
);

function messageFor(d: string): fc.Arbitrary<string> {
  const [f = '|', c = '^', r = '~', e = '\\', s = '&'] = [...d];
  const plain = fc.constantFrom('A', 'Tolvan', 'Å', ' ', '', '12', 'LN', 'SCT', '2.16.840.1.113883.6.1', f, f, f, c, c, c, r, s);
  const escape = fc.constantFrom(`${e}F${e}`, `${e}S${e}`, `${e}T${e}`, `${e}X41${e}`, `${e}XZZ${e}`, `${e}.br${e}`, '\\.br\\', `${e}H${e}`);
  const token = fc.oneof({ weight: 12, arbitrary: plain }, { weight: 1, arbitrary: escape });
  const value = fc.array(token, { maxLength: 16 }).map((t) => t.join(''));
  const name = fc.constantFrom('PID', 'OBX', 'NTE', 'AL1', 'OBR', 'DG1');
  const segment = fc.tuple(name, value).map(([n, v]) => `${n}${f}${v}`);
  const header = value.map((app) => `MSH${d}${f}${app}${f}B${f}C${f}D${f}2026${f}${f}ORU${c}R01${f}C1${f}P${f}2.5`);
  return fc.tuple(header, fc.array(segment, { minLength: 1, maxLength: 5 })).map(([h, segs]) => [h, ...segs].join('\r'));
}

const message = delimiters.chain(messageFor);

describe('Hl7Segment reads without building repetitions', () => {
  it('get, all, text and repetitions answer what reps(n) answers, escapes and empty parts included', () => {
    fc.assert(
      fc.property(message, (text) => {
        // Two views of the same text: one read directly, one only through reps(n).
        const direct = new Hl7MessageView(text, 1).segments;
        const reference = new Hl7MessageView(text, 1).segments;
        direct.forEach((seg, i) => {
          const ref = reference[i] as Hl7Segment;
          const got: unknown[] = [];
          const want: unknown[] = [];
          const read = (ours: () => unknown, theirs: () => unknown) => {
            got.push(attempt(ours));
            want.push(attempt(theirs));
          };
          for (let n = 0; n <= Math.min(seg.raw().length + 1, 16); n++) {
            read(() => seg.repetitions(n), () => ref.reps(n).length);
            read(() => seg.text(n), () => byReps.text(ref, n));
            read(() => codingsOf(seg, n), () => byReps.codings(ref, n));
            read(() => codedText(seg, n), () => byReps.codedText(ref, n));
            for (let c = 0; c <= 7; c++) {
              read(() => seg.all(n, c), () => byReps.all(ref, n, c));
              for (let s = 0; s <= 3; s++) {
                for (let r = 0; r <= 2; r++) read(() => seg.get(n, c, s, r), () => byReps.get(ref, n, c, s, r));
              }
            }
          }
          expect(got).toEqual(want);
        });
      }),
      { numRuns: 300 },
    );
  });
});

const CTX = { sourceId: 's', sourceName: 'S', fetchedAt: '2026-01-01T00:00:00Z', recordPrefix: '' };
const PID = (i: number) => `PID|1||19121212121${i % 10}^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan`;
const MESSAGES = [
  (i: number) => [`MSH|^~\\&|LAB|L|S|S|20260101||ORU^R01|M${i}|P|2.5`, PID(i), `OBR|1|P-${i}|F-${i}|24326-1^Elektrolyter^LN|||20260915`, `OBX|1|NM|2823-3^Kalium^LN||4,${i}|mmol/L|3.5-5.0|N~A|||F`, 'NTE|1||Kontroll\\.br\\om tre månader'],
  (i: number) => [`MSH|^~\\&|EPJ|E|S|S|20260101||ADT^A01|A${i}|P|2.5`, PID(i), 'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria~Andnöd|20090317', 'DG1|1|I10SE|I48.9^Förmaksflimmer|||W'],
  (i: number) => [`MSH|$~!&|EPJ|E|S|S|20260101||RDE$O11|R${i}|P|2.5`, PID(i).replaceAll('^', '$'), 'RXE|$$$20260301|C07AB02$Metoprolol$WC|50||mg|TAB$Tablett', 'RXR|PO$Oralt'],
];

describe('a document holds one message at a time', () => {
  const batch = fc.array(fc.nat({ max: MESSAGES.length - 1 }), { minLength: 2, maxLength: 8 }).map((kinds) => {
    const texts = kinds.map((k, i) => (MESSAGES[k] as (i: number) => string[])(i).join('\r'));
    return { texts, text: ['BHS|^~\\&|LAB', ...texts, `BTS|${texts.length}`].join('\r') };
  });

  it('maps a batch read message by message, in any order and more than once, as each message alone', () => {
    fc.assert(
      fc.property(batch, fc.array(fc.nat(), { maxLength: 12 }), ({ texts, text }, order) => {
        const alone = texts.map((t) => mapHl7Message(parseHl7Document(t).entries[0]?.view as Hl7MessageView, CTX));
        const doc = parseHl7Document(text);
        // In document order, as readHl7File reads, then in a random order with repeats.
        const sequence = [...texts.keys(), ...order.map((k) => k % texts.length)];
        for (const i of sequence) {
          const view = doc.entries[i]?.view;
          expect(view).toBeDefined();
          expect(mapHl7Message(view as Hl7MessageView, CTX)).toEqual(alone[i]);
          expect(view?.controlId).toBe(texts[i]?.split('|')[9]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a segment readable after its message was let go', () => {
    const doc = parseHl7Document(['BHS|^~\\&', ...MESSAGES.map((m, i) => m(i).join('\r'))].join('\r'));
    const first = doc.entries[0]?.view as Hl7MessageView;
    const obx = first.first('OBX') as Hl7Segment;
    for (const entry of doc.entries) void entry.view?.segments;
    expect(obx.get(5)).toBe('4,0');
    expect(first.first('OBX')?.get(3, 2)).toBe('Kalium');
    expect(first.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'OBR', 'OBX', 'NTE']);
  });
});
