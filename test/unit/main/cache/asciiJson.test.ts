/** escapeNonAscii's scan (issue 13) writes exactly what the regular expression it replaced wrote. */
import { describe, expect, it } from 'vitest';
import { escapeNonAscii } from '../../../../src/main/cache/asciiJson';

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
