/**
 * Since ADR 0022 a segment is split at its field separator when first read and
 * only the fields read are tokenized, each by @medplum/core's Hl7Field.parse.
 * These tests hold that to what the library's whole-segment parse gives, in
 * any reading order, and pin a mixed batch whose escapes sit inside
 * repetitions and components (the reads mappers depend on most).
 */
import { Hl7Context, Hl7Segment as LibrarySegment } from '@medplum/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapHl7Message } from '../../../../../src/main/sources/hl7v2/hl7Map';
import { type Hl7MessageView, parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';

const delimiters = fc.oneof(
  { weight: 2, arbitrary: fc.constant('|^~\\&') },
  { weight: 1, arbitrary: fc.shuffledSubarray([...'|^~\\&#$*!%@'], { minLength: 5, maxLength: 5 }).map((d) => d.join('')) },
);

/** A message of plain values only (no escape character), so every read goes straight to the tokens. */
const plainMessage = delimiters.chain((d) => {
  const [f = '|', c = '^', r = '~', , s = '&'] = [...d];
  const token = fc.constantFrom('A', 'Åsa', ' ', '', '12', 'LN', f, f, f, f, c, c, r, s);
  const value = fc.array(token, { maxLength: 24 }).map((t) => t.join(''));
  const segment = fc.tuple(fc.constantFrom('PID', 'OBX', 'AL1', 'RXE', 'PV1'), value).map(([n, v]) => `${n}${f}${v}`);
  // MSH-4 may hold components and repetitions, not a field separator (MSH-9 must stay in place).
  const headerValue = fc.array(fc.constantFrom('A', 'Åsa', '', c, r, s), { maxLength: 8 }).map((t) => t.join(''));
  const header = headerValue.map((v) => `MSH${d}${f}APP${f}${v}${f}C${f}D${f}2026${f}${f}ORU${c}R01${f}C1${f}P${f}2.5`);
  return fc.record({
    d: fc.constant(d),
    text: fc.tuple(header, fc.array(segment, { minLength: 1, maxLength: 4 })).map(([h, segs]) => [h, ...segs].join('\r')),
    order: fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 16 }),
  });
});

describe('fields tokenized one at a time', () => {
  it('read in any order (and again), every value equals the library parsing the whole segment', () => {
    fc.assert(
      fc.property(plainMessage, ({ d, text, order }) => {
        const [f = '|', c = '^', r = '~', e = '\\', s = '&'] = [...d];
        const context = new Hl7Context('\r', f, c, r, e, s);
        const view = parseHl7Document(text).entries[0]?.view as Hl7MessageView;
        for (const seg of view.segments) {
          const whole = LibrarySegment.parse(seg.raw(), context);
          // MSH-1 is the field separator itself: the library's field n is MSH-(n+1).
          const shift = seg.name === 'MSH' ? -1 : 0;
          for (const n of [...order, ...order]) {
            const tokens = whole.fields[n + shift]?.components;
            const empty = !tokens || (tokens.length === 1 && tokens[0]?.length === 1 && tokens[0][0] === '');
            expect(seg.repetitions(n)).toBe(empty ? 0 : tokens.length);
            for (let rep = 0; rep <= 1; rep++) {
              for (let comp = 1; comp <= 3; comp++) {
                for (let sub = 1; sub <= 2; sub++) {
                  const want = tokens?.[rep]?.[comp - 1]?.split(s)[sub - 1] ?? '';
                  expect(seg.get(n, comp, sub, rep)).toBe(want);
                }
              }
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('maps a mixed batch with escapes inside repetitions and components as each message alone', () => {
    const messages = [
      [
        'MSH|^~\\&|EPJ|E|S|S|20260101||ADT^A01|A1|P|2.5',
        'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE~RN\\T\\1^^^REGION\\S\\NORD&1.2.752.999.1&ISO^PI||Tolvansson^Tolvan',
        'AL1|1|DA|764146007^Penicillin \\R\\ amoxicillin^SCT~X1^Pollen\\F\\gräs^L|SV|Urtikaria\\R\\klåda~Andnöd\\S\\pip|20090317',
      ],
      [
        'MSH|^~\\&|LAB|L|S|S|20260101||ORU^R01|R2|P|2.5',
        'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE',
        'OBR|1|P-2|F-2|24326-1^Elektrolyter^LN|||20260915',
        'OBX|1|TX|11506-3^Anteckning^LN||Rad ett\\.br\\rad två~Rad \\T\\ tre||||||F',
        'OBX|2|NM|2823-3^Kalium^LN||4,2|mmol/L|3.5-5.0|N~A|||F',
      ],
      [
        'MSH|$~!&|EPJ|E|S|S|20260101||RDE$O11|D3|P|2.5',
        'PID|1||191212121212$$$1.2.752.129.2.1.3.1$NNSWE',
        'RXE|$$$20260301|C07AB02$Metoprolol !S! retard$WC~X$Y !R! Z$L|50||mg|TAB$Tablett',
        'RXR|PO$Oralt !T! sväljs',
      ],
    ].map((m) => m.join('\r'));
    const ctx = { sourceId: 's', sourceName: 'S', fetchedAt: '2026-01-01T00:00:00Z', recordPrefix: '' };
    const doc = parseHl7Document(['BHS|^~\\&|LAB', ...messages, `BTS|${messages.length}`].join('\r'));
    const mapped = doc.entries.map((entry) => mapHl7Message(entry.view as Hl7MessageView, ctx));
    const alone = messages.map((m) => mapHl7Message(parseHl7Document(m).entries[0]?.view as Hl7MessageView, ctx));
    expect(mapped).toEqual(alone);

    const [adt, oru, rde] = mapped;
    expect(adt?.subjects[0]?.identifiers).toEqual([
      { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' },
      { system: 'REGION^NORD', value: 'RN&1' },
      { system: '1.2.752.999.1', value: 'RN&1' },
    ]);
    const allergy = adt?.items[0];
    expect(allergy?.codes).toEqual([
      { system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin ~ amoxicillin' },
      { system: 'L', code: 'X1', display: 'Pollen|gräs' },
    ]);
    expect(allergy?.details).toMatchObject({
      reactions: [
        { manifestations: ['Urtikaria~klåda'], severity: 'severe' },
        { manifestations: ['Andnöd^pip'], severity: 'severe' },
      ],
    });
    expect(oru?.items.map((i) => i.value)).toEqual(['Rad ett\nrad två\nRad & tre', { value: 4.2, unit: 'mmol/L' }]);
    expect(oru?.items[1]?.details).toMatchObject({ interpretation: [{ code: 'N' }, { code: 'A' }] });
    expect(rde?.items[0]?.codes).toEqual([
      { system: 'http://www.whocc.no/atc', code: 'C07AB02', display: 'Metoprolol $ retard' },
      { system: 'L', code: 'X', display: 'Y ~ Z' },
    ]);
    expect(rde?.items[0]?.details).toMatchObject({ route: 'Oralt & sväljs', dose: '50 mg', form: 'Tablett' });
  });
});
