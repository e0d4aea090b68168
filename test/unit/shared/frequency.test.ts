import { describe, expect, it } from 'vitest';
import { frequencyFromCode, frequencyOf } from '../../../src/shared/frequency';

describe('medication frequency from structured timing', () => {
  it('reads FHIR repeat frequency/period/unit', () => {
    expect(frequencyOf(2, 1, 'd')).toBe('2×/d');
    expect(frequencyOf(1, 8, 'h')).toBe('1×/8h');
    expect(frequencyOf(3, undefined, 'd')).toBe('3×/d');
    expect(frequencyOf(undefined, 1, 'd')).toBeUndefined();
    expect(frequencyOf(0, 1, 'd')).toBeUndefined();
    expect(frequencyOf(2, 1, 'fortnight')).toBeUndefined();
  });

  it('reads timing codes (FHIR GTS and HL7 v2 table 0335) and never guesses an unknown one', () => {
    expect(frequencyFromCode('BID')).toBe('2×/d');
    expect(frequencyFromCode('tid')).toBe('3×/d');
    expect(frequencyFromCode('Q8H')).toBe('1×/8h');
    expect(frequencyFromCode('Q2D')).toBe('1×/2d');
    expect(frequencyFromCode('Q1W')).toBe('1×/wk');
    expect(frequencyFromCode('QOD')).toBe('1×/2d');
    expect(frequencyFromCode('PRN')).toBeUndefined();
    expect(frequencyFromCode('morgon och kväll')).toBeUndefined();
    expect(frequencyFromCode(undefined)).toBeUndefined();
  });
});
