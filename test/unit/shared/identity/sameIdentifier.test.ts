import { describe, expect, it } from 'vitest';
import { NATIONAL_ID_SYSTEMS, sameIdentifier } from '../../../../src/shared/identity';

const PNR = NATIONAL_ID_SYSTEMS.personnummer;
const SAM = NATIONAL_ID_SYSTEMS.samordningsnummer;
const FNR = NATIONAL_ID_SYSTEMS.fodselsnummer;
const HETU = NATIONAL_ID_SYSTEMS.henkilotunnus;

describe('sameIdentifier: national ids', () => {
  it('matches the same Swedish number written with or without separator', () => {
    expect(sameIdentifier({ system: PNR, value: '19121212-1212' }, { system: PNR, value: '191212121212' })).toBe(true);
    expect(sameIdentifier({ system: PNR, value: '191212121212' }, { system: PNR, value: '191212121212' })).toBe(true);
  });

  it('never matches a 10-digit Swedish value, whose century would be a guess', () => {
    expect(sameIdentifier({ system: PNR, value: '121212-1212' }, { system: PNR, value: '191212121212' })).toBe(false);
    expect(sameIdentifier({ system: PNR, value: '121212+1212' }, { system: PNR, value: '191212121212' })).toBe(false);
    expect(sameIdentifier({ system: PNR, value: '1212121212' }, { system: PNR, value: '1212121212' })).toBe(false);
  });

  it('does not match different numbers', () => {
    expect(sameIdentifier({ system: PNR, value: '191212121212' }, { system: PNR, value: '201701012393' })).toBe(false);
    // A different century is a different person.
    expect(sameIdentifier({ system: PNR, value: '191212121212' }, { system: PNR, value: '201212121212' })).toBe(false);
  });

  it('matches Norwegian and Finnish numbers in any accepted form', () => {
    expect(sameIdentifier({ system: FNR, value: '311299 56715' }, { system: FNR, value: '31129956715' })).toBe(true);
    expect(sameIdentifier({ system: HETU, value: '010594y9032' }, { system: HETU, value: '010594Y9032' })).toBe(true);
    // Same digits, different century sign: different people since 2023.
    expect(sameIdentifier({ system: HETU, value: '010594-9032' }, { system: HETU, value: '010594Y9032' })).toBe(false);
  });

  it('matches the OID in urn:oid: form and bare', () => {
    expect(sameIdentifier({ system: PNR, value: '191212121212' }, { system: '1.2.752.129.2.1.3.1', value: '19121212-1212' })).toBe(true);
    expect(sameIdentifier({ system: 'URN:OID:1.2.246.21', value: '010594Y9032' }, { system: HETU, value: '010594Y9032' })).toBe(true);
  });

  it('does not match across kinds or against a non-national system', () => {
    expect(sameIdentifier({ system: PNR, value: '191212721219' }, { system: SAM, value: '191212721219' })).toBe(false);
    expect(sameIdentifier({ system: PNR, value: '191212121212' }, { system: 'urn:oid:1.2.3', value: '191212121212' })).toBe(false);
  });

  it('does not match values that are not valid numbers of the system’s kind', () => {
    expect(sameIdentifier({ system: PNR, value: '191212121213' }, { system: PNR, value: '191212121213' })).toBe(false);
    // A samordningsnummer stored under the personnummer OID is mislabelled data.
    expect(sameIdentifier({ system: PNR, value: '191212721219' }, { system: PNR, value: '191212721219' })).toBe(false);
    expect(sameIdentifier({ system: SAM, value: '191212721219' }, { system: SAM, value: '19121272-1219' })).toBe(true);
  });
});

describe('sameIdentifier: other systems', () => {
  it('needs the exact system and the exact value', () => {
    const a = { system: 'SE2321000016-ABC', value: 'ABC-123' };
    expect(sameIdentifier(a, { system: 'SE2321000016-ABC', value: 'ABC-123' })).toBe(true);
    expect(sameIdentifier(a, { system: 'SE2321000016-ABC', value: 'abc-123' })).toBe(false);
    expect(sameIdentifier(a, { system: 'SE2321000016-ABD', value: 'ABC-123' })).toBe(false);
    expect(sameIdentifier(a, { system: 'SE2321000016-ABC', value: 'ABC-123 ' })).toBe(false);
  });

  it('matches nothing without a system or a value', () => {
    expect(sameIdentifier({ value: 'ABC' }, { value: 'ABC' })).toBe(false);
    expect(sameIdentifier({ value: '191212121212' }, { system: PNR, value: '191212121212' })).toBe(false);
    expect(sameIdentifier({ system: 'urn:x', value: '' }, { system: 'urn:x', value: '' })).toBe(false);
  });
});
