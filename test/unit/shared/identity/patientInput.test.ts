import { describe, expect, it } from 'vitest';
import { formatNationalId, NATIONAL_ID_SYSTEMS, parseNationalId, parsePatientInput } from '../../../../src/shared/identity';

const today = new Date(2026, 10, 25);
const input = (text: string) => parsePatientInput(text, { today });

describe('parsePatientInput: national ids', () => {
  it('sends a national id with its OID system and canonical value', () => {
    const r = input(' 19121212-1212 ');
    expect(r.ok && r.value.identifier).toEqual({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '191212121212' });
    expect(r.ok && r.value.nationalId?.birthDate).toBe('1912-12-12');

    const d = input('41898012350');
    expect(d.ok && d.value.identifier).toEqual({ system: NATIONAL_ID_SYSTEMS['d-nummer'], value: '41898012350' });
    const s = input('121272-1219');
    expect(s.ok && s.value.identifier.system).toBe(NATIONAL_ID_SYSTEMS.samordningsnummer);
    const f = input('010594y9032');
    expect(f.ok && f.value.identifier).toEqual({ system: NATIONAL_ID_SYSTEMS.henkilotunnus, value: '010594Y9032' });
  });

  it('passes on the national id errors', () => {
    expect(input('')).toEqual({ ok: false, error: { code: 'ID_EMPTY' } });
    expect(input('191212121213')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'SE' } } });
    expect(input('121212-0172')).toEqual({ ok: false, error: { code: 'ID_AMBIGUOUS', params: { countries: 'SE,FI' } } });
  });
});

describe('parsePatientInput: identifier tokens', () => {
  it('takes SYSTEM|VALUE exactly', () => {
    expect(input('urn:oid:1.2.3|ABC-123')).toEqual({
      ok: true,
      value: { identifier: { system: 'urn:oid:1.2.3', value: 'ABC-123' } },
    });
    expect(input('SE2321000016-ABC|123')).toEqual({
      ok: true,
      value: { identifier: { system: 'SE2321000016-ABC', value: '123' } },
    });
    // Only the first bar separates; case and inner characters are kept.
    expect(input('  http://example.org/mrn|aB|c d  ')).toEqual({
      ok: true,
      value: { identifier: { system: 'http://example.org/mrn', value: 'aB|c d' } },
    });
  });

  it('rejects an empty value', () => {
    for (const text of ['urn:oid:1.2.3|', '|', '  |  ', 'urn:oid:1.2.3|   ', '  x|  ']) {
      expect(input(text), text).toEqual({ ok: false, error: { code: 'IDENTIFIER_TOKEN_INVALID' } });
    }
  });

  it('reads |VALUE as an identifier with no system (FHIR token semantics), value as typed', () => {
    expect(input('|454721')).toEqual({ ok: true, value: { identifier: { value: '454721' } } });
    expect(input('  |MRN 12345  ')).toEqual({ ok: true, value: { identifier: { value: 'MRN 12345' } } });
    // A national id without its system is not a national id: no system is guessed for it.
    expect(input('|19121212-1212')).toEqual({ ok: true, value: { identifier: { value: '19121212-1212' } } });
  });

  it('validates and canonicalizes a value under a national id system', () => {
    const r = input(`${NATIONAL_ID_SYSTEMS.personnummer}|19121212-1212`);
    expect(r.ok && r.value.identifier).toEqual({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '191212121212' });
    expect(r.ok && r.value.nationalId?.kind).toBe('personnummer');

    const no = input(`${NATIONAL_ID_SYSTEMS.fodselsnummer}|311299 56715`);
    expect(no.ok && no.value.identifier.value).toBe('31129956715');

    // The bare OID (as HL7 v2 assigning authorities carry it) names the same system.
    const fi = input('1.2.246.21|010594y9032');
    expect(fi.ok && fi.value.identifier).toEqual({ system: NATIONAL_ID_SYSTEMS.henkilotunnus, value: '010594Y9032' });
  });

  it('uses the system’s country, so an SE/FI ambiguous value is not ambiguous', () => {
    const r = input(`${NATIONAL_ID_SYSTEMS.personnummer}|121212-0172`);
    expect(r.ok && r.value.identifier.value).toBe('201212120172');
  });

  it('rejects an invalid value under a national id system with the id error', () => {
    expect(input(`${NATIONAL_ID_SYSTEMS.personnummer}|191212121213`)).toEqual({
      ok: false,
      error: { code: 'ID_BAD_CHECKSUM', params: { country: 'SE' } },
    });
    expect(input(`${NATIONAL_ID_SYSTEMS.henkilotunnus}|31129956715`)).toEqual({
      ok: false,
      error: { code: 'ID_UNKNOWN_FORMAT', params: { country: 'FI' } },
    });
  });

  it('rejects a valid number of another kind than the system names', () => {
    expect(input(`${NATIONAL_ID_SYSTEMS.personnummer}|191212721219`)).toEqual({
      ok: false,
      error: { code: 'IDENTIFIER_TOKEN_INVALID', params: { country: 'SE', reason: 'kind' } },
    });
    expect(input(`${NATIONAL_ID_SYSTEMS['d-nummer']}|31129956715`)).toEqual({
      ok: false,
      error: { code: 'IDENTIFIER_TOKEN_INVALID', params: { country: 'NO', reason: 'kind' } },
    });
  });
});

describe('formatNationalId', () => {
  const format = (text: string) => {
    const r = parseNationalId(text, { today });
    if (!r.ok) throw new Error(r.error.code);
    return formatNationalId(r.value);
  };

  it('shows each country’s usual form', () => {
    expect(format('191212121212')).toBe('19121212-1212');
    expect(format('121272-1219')).toBe('20121272-1219');
    expect(format('31129956715')).toBe('311299 56715');
    expect(format('010594y9032')).toBe('010594Y9032');
  });

  it('is read back to the same number', () => {
    for (const text of ['191212121212', '41898012350', '31129956715', '010516B902W']) {
      const first = parseNationalId(text, { today });
      const again = parseNationalId(format(text), { today });
      expect(first.ok && again.ok && again.value).toEqual(first.ok && first.value);
    }
  });
});
