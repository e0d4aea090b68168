/** The CLI's JSON error position: valid exactly when JSON.parse accepts the text, and the offset where it stops. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../../../src/main/cli/cliIo';

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorPosition', () => {
  it('points at the first character that cannot continue the JSON', () => {
    expect(jsonErrorPosition('{"resourceType": "Bundle",\n  "type": collection }')).toBe(37);
    expect(jsonErrorPosition('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorPosition('{"a": 1')).toBe(7);
    expect(jsonErrorPosition('Hello, a letter')).toBe(0);
    expect(jsonErrorPosition('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorPosition('{"a": 01}')).toBe(7);
    expect(jsonErrorPosition('  {"a": [true, false, null, -1.5e3, "\\u00e5"]}  ')).toBeUndefined();
  });

  it('agrees with JSON.parse on valid JSON and on JSON with one character changed', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom(',', '}', ']', '"', 'x', '0', ' ', '\\', '-', '.'), (json, at, c) => {
        expect(jsonErrorPosition(json)).toBeUndefined();
        const i = at % (json.length + 1);
        const changed = json.slice(0, i) + c + json.slice(i + 1);
        expect(jsonErrorPosition(changed) === undefined).toBe(accepts(changed));
      }),
      { numRuns: 500 },
    );
  });
});
