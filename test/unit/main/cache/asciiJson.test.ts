/** ASCII-only JSON as bytes: the same bytes as the string form, whatever the characters. */
import { describe, expect, it } from 'vitest';
import { asciiJsonBytes, toAsciiJson } from '../../../../src/main/cache/asciiJson';

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
});
