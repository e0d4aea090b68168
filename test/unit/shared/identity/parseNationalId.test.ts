import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';

const today = new Date(2026, 10, 25);
const parse = (input: string, country?: 'SE' | 'NO' | 'FI') =>
  parseNationalId(input, country ? { today, country } : { today });

describe('parseNationalId: detection', () => {
  it('detects each country by its written form', () => {
    const country = (input: string) => {
      const r = parse(input);
      return r.ok ? `${r.value.country} ${r.value.kind}` : r.error.code;
    };
    expect(country('191212121212')).toBe('SE personnummer');
    expect(country('19121212-1212')).toBe('SE personnummer');
    expect(country('1212121212')).toBe('SE personnummer');
    expect(country('121212+1212')).toBe('SE personnummer');
    expect(country('191212721219')).toBe('SE samordningsnummer');
    expect(country('31129956715')).toBe('NO fodselsnummer');
    expect(country('311299 56715')).toBe('NO fodselsnummer');
    expect(country('41898012350')).toBe('NO d-nummer');
    expect(country('010594Y9032')).toBe('FI henkilotunnus');
    expect(country('010185-902F')).toBe('FI henkilotunnus');
  });

  it('trims surrounding whitespace but nothing inside', () => {
    const r = parse('  \t19121212-1212 \n');
    expect(r.ok && r.value.value).toBe('191212121212');
    expect(parse(' 19121212 - 1212 ')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT' } });
  });

  it('reads YYMMDD-NNNC that is valid in Sweden only as Swedish', () => {
    const r = parse('121212-1212');
    expect(r.ok && r.value.country).toBe('SE');
  });

  it('reads DDMMYY-ZZZQ that is valid in Finland only as Finnish', () => {
    const r = parse('131052-308T');
    expect(r.ok && r.value.country).toBe('FI');
  });
});

describe('parseNationalId: ambiguity between Sweden and Finland', () => {
  it('refuses to choose when both countries accept the string', () => {
    expect(parse('121212-0172')).toEqual({ ok: false, error: { code: 'ID_AMBIGUOUS', params: { countries: 'SE,FI' } } });
    expect(parse('121212+0172')).toEqual({ ok: false, error: { code: 'ID_AMBIGUOUS', params: { countries: 'SE,FI' } } });
  });

  it('lets the caller settle it with options.country', () => {
    const se = parse('121212-0172', 'SE');
    expect(se.ok && [se.value.value, se.value.birthDate]).toEqual(['201212120172', '2012-12-12']);
    const fi = parse('121212-0172', 'FI');
    expect(fi.ok && [fi.value.value, fi.value.birthDate]).toEqual(['121212-0172', '1912-12-12']);
  });

  it('reports the failure that got furthest when neither accepts it', () => {
    // SE: 31 Dec as YYMMDD is day 99 (bad date); FI: 31.12.1999 with a wrong check character.
    expect(parse('311299-1234')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'FI' } } });
    // Both have a valid date and a wrong check digit.
    expect(parse('121212-1213')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_CHECKSUM', params: { countries: 'SE,FI' } },
    });
  });
});

describe('parseNationalId: error codes', () => {
  it('ID_EMPTY for nothing or only whitespace', () => {
    expect(parse('')).toEqual({ ok: false, error: { code: 'ID_EMPTY' } });
    expect(parse('   \t ')).toEqual({ ok: false, error: { code: 'ID_EMPTY' } });
  });

  it('ID_BAD_FORMAT for characters no accepted form contains', () => {
    expect(parse('19121212*1212')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT' } });
    expect(parse('19121212/1212')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT' } });
    expect(parse('Ö')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT' } });
    expect(parse('010594Y9032', 'SE')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT', params: { country: 'SE' } } });
    expect(parse('010594Y9032', 'NO')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT', params: { country: 'NO' } } });
  });

  it('ID_BAD_LENGTH when no form has that length, with the length only', () => {
    expect(parse('12345')).toEqual({ ok: false, error: { code: 'ID_BAD_LENGTH', params: { length: 5 } } });
    expect(parse('12345678901234')).toEqual({ ok: false, error: { code: 'ID_BAD_LENGTH', params: { length: 14 } } });
    expect(parse('191212121212', 'FI')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_LENGTH', params: { country: 'FI', length: 12 } },
    });
  });

  it('ID_UNKNOWN_FORMAT when the length fits but the layout does not', () => {
    expect(parse('1912-12121212')).toEqual({ ok: false, error: { code: 'ID_UNKNOWN_FORMAT' } });
    expect(parse('1912121212123')).toEqual({ ok: false, error: { code: 'ID_UNKNOWN_FORMAT' } });
    // Eleven digits is a Norwegian layout; for Sweden the length fits (YYMMDD-NNNC), the layout not.
    expect(parse('31129956715', 'SE')).toEqual({ ok: false, error: { code: 'ID_UNKNOWN_FORMAT', params: { country: 'SE' } } });
    expect(parse('ABCDEFHJKLM')).toEqual({ ok: false, error: { code: 'ID_UNKNOWN_FORMAT' } });
    // Skatteverket's interim numbers (a letter in the födelsenummer) are not accepted.
    expect(parse('121212-T212')).toEqual({ ok: false, error: { code: 'ID_UNKNOWN_FORMAT' } });
    expect(parse('121212-T212', 'SE')).toEqual({ ok: false, error: { code: 'ID_BAD_FORMAT', params: { country: 'SE' } } });
  });

  it('ID_BAD_DATE and ID_BAD_CHECKSUM carry the country', () => {
    expect(parse('19121232-1212')).toEqual({ ok: false, error: { code: 'ID_BAD_DATE', params: { country: 'SE' } } });
    expect(parse('31129956716')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'NO' } } });
  });

  it('never puts the number into an error', () => {
    for (const input of ['191212121213', '31129956716', '010594Y9033', '121212-0172', '19121232-1212']) {
      const r = parse(input);
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).not.toContain(input.slice(0, 6));
    }
  });
});
