import { describe, expect, it } from 'vitest';
import { matchesRequested, NATIONAL_ID_SYSTEMS } from '../../../../src/shared/identity';

const PNR = NATIONAL_ID_SYSTEMS.personnummer;

describe('matchesRequested: a request without a system (|VALUE)', () => {
  it('matches an identifier that has no system and exactly the same value', () => {
    expect(matchesRequested({ value: '454721' }, { value: '454721' })).toBe(true);
    expect(matchesRequested({ system: '', value: '454721' }, { value: '454721' })).toBe(true);
  });

  it('never matches an identifier under a system, national or not', () => {
    expect(matchesRequested({ system: PNR, value: '191212121212' }, { value: '191212121212' })).toBe(false);
    expect(matchesRequested({ system: '1.2.752.129.2.1.3.1', value: '191212121212' }, { value: '191212121212' })).toBe(false);
    expect(matchesRequested({ system: 'EPIC-MRN', value: '454721' }, { value: '454721' })).toBe(false);
  });

  it('needs the exact value: no trimming, no case folding, no national id canonicalization', () => {
    expect(matchesRequested({ value: 'abc' }, { value: 'ABC' })).toBe(false);
    expect(matchesRequested({ value: '454721 ' }, { value: '454721' })).toBe(false);
    expect(matchesRequested({ value: '19121212-1212' }, { value: '191212121212' })).toBe(false);
    expect(matchesRequested({ value: '' }, { value: '' })).toBe(false);
  });
});

describe('matchesRequested: a request with a system', () => {
  it('is sameIdentifier: an identifier without a system never matches it', () => {
    expect(matchesRequested({ value: '191212121212' }, { system: PNR, value: '191212121212' })).toBe(false);
    expect(matchesRequested({ value: '454721' }, { system: 'EPIC-MRN', value: '454721' })).toBe(false);
    expect(matchesRequested({ system: PNR, value: '19121212-1212' }, { system: PNR, value: '191212121212' })).toBe(true);
    expect(matchesRequested({ system: 'EPIC-MRN', value: '454721' }, { system: 'EPIC-MRN', value: '454721' })).toBe(true);
  });
});
