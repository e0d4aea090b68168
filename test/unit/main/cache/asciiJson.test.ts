/**
 * ASCII-only JSON as bytes: the same bytes as the string form, whatever the
 * characters; and escapeNonAscii's scan (issue 13) writes exactly what the
 * regular expression it replaced wrote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJsonBytes, asciiJsonChunks, escapeNonAscii, toAsciiJson } from '../../../../src/main/cache/asciiJson';

const values: unknown[] = [
  {},
  { plain: 'abc', n: 1, list: [true, null] },
  { name: 'Åsa Öberg', unit: 'µmol/L', range: '3–5 ≥ 2', emoji: 'ok 🙂', del: '\u007f', nbsp: '\u00a0' },
  ['ä', 'x'.repeat(5000), 'ö'],
  'only a string with – a dash',
];

describe('asciiJsonBytes', () => {
  it.each(values.map((v) => [JSON.stringify(v).slice(0, 40), v]))('writes %s as toAsciiJson does', (_label, value) => {
    const bytes = asciiJsonBytes(value, 'event: x\ndata: ', '\n\n');
    expect(bytes.toString('latin1')).toBe(`event: x\ndata: ${toAsciiJson(value)}\n\n`);
    expect(bytes.every((b) => b < 0x7f)).toBe(true);
    expect(JSON.parse(asciiJsonBytes(value).toString('latin1'))).toEqual(value);
  });

  it('writes any value as JSON.stringify would, ASCII only, in chunks or whole', () => {
    const anything = fc.anything({
      withDate: true,
      withBoxedValues: true,
      withNullPrototype: true,
      withSparseArray: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withUnicodeString: true,
      maxDepth: 6,
    });
    fc.assert(
      fc.property(anything, (value) => {
        fc.pre(value !== undefined && JSON.stringify(value) !== undefined);
        const expected = toAsciiJson(value);
        expect(Buffer.concat(asciiJsonChunks(value)).toString('latin1')).toBe(expected);
        expect(asciiJsonBytes(value, '[', ']').toString('latin1')).toBe(`[${expected}]`);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a large value into chunks of about 64 KB, escapes included', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i, text: `rad ${i}: kreatinin ≥ 90 µmol/L – Åsa 🙂`, undef: undefined, at: new Date(0) }));
    const value = { summary: { sections: { results: rows }, note: undefined } };
    const chunks = asciiJsonChunks(value, 'event: x\ndata: ', '\n\n');
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(3 * 64 * 1024);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(`event: x\ndata: ${toAsciiJson(value)}\n\n`);
  });
});

const byRegex = (json: string) => json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

describe('escapeNonAscii', () => {
  it('matches the regular-expression escape on edge cases and random text', () => {
    const cases = ['', 'abc', '\u007e\u007f\u0080', 'Åsa Öberg', '😀', 'x\uffff', '\ud800', 'é' + 'a'.repeat(1000) + 'ß'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 200; n++) {
      let s = '';
      for (let i = next() % 60; i > 0; i--) s += String.fromCharCode(next() % 3 === 0 ? next() % 0x10000 : 0x20 + (next() % 0x60));
      cases.push(JSON.stringify({ s }));
    }
    for (const c of cases) {
      expect(escapeNonAscii(c)).toBe(byRegex(c));
      expect([...escapeNonAscii(c)].every((ch) => ch.charCodeAt(0) < 0x7f)).toBe(true);
    }
  });

  it('returns ASCII text as it is', () => {
    const json = JSON.stringify({ a: 'plain' });
    expect(escapeNonAscii(json)).toBe(json);
  });
});
