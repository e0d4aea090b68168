import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';

const today = new Date(2026, 10, 25);
const fi = (input: string, at: Date = today) => parseNationalId(input, { today: at, country: 'FI' });
const read = (input: string, at: Date = today) => {
  const r = fi(input, at);
  return r.ok ? `${r.value.birthDate} ${r.value.sex} ${r.value.test ? 'test' : 'real'}` : r.error.code;
};

describe('Finnish henkilötunnus', () => {
  it('accepts DVV’s examples for every century sign added in 2023', () => {
    expect(read('010594Y9032')).toBe('1994-05-01 male test');
    expect(read('020594X903P')).toBe('1994-05-02 male test');
    expect(read('030594W903B')).toBe('1994-05-03 male test');
    expect(read('040594V9030')).toBe('1994-05-04 male test');
    expect(read('050594U903M')).toBe('1994-05-05 male test');
    expect(read('010516B903X')).toBe('2016-05-01 male test');
    expect(read('010516B902W')).toBe('2016-05-01 female test');
    expect(read('020516C903K')).toBe('2016-05-02 male test');
    expect(read('311220D9117')).toBe('2020-12-31 male test');
    expect(read('150623E999N')).toBe('2023-06-15 male test');
    expect(read('290224F9505')).toBe('2024-02-29 female test');
    expect(read('010101A902T')).toBe('2001-01-01 female test');
  });

  it('accepts the signs - (1900s) and + (1800s)', () => {
    expect(read('010185-902F')).toBe('1985-01-01 female test');
    expect(read('010195+9011')).toBe('1895-01-01 male test');
    // + covers the whole 1800s, also before 1850.
    expect(read('010145+9025')).toBe('1845-01-01 female test');
  });

  it('returns the canonical value upper case with the sign as written', () => {
    const r = fi('010516b902w');
    expect(r).toEqual({
      ok: true,
      value: {
        country: 'FI',
        kind: 'henkilotunnus',
        value: '010516B902W',
        birthDate: '2016-05-01',
        sex: 'female',
        test: true,
      },
    });
    // Same date and individual number, different sign: a different number.
    const dash = fi('010594-9032');
    const y = fi('010594Y9032');
    expect(dash.ok && y.ok && dash.value.value !== y.value.value).toBe(true);
  });

  it('flags 900-999 as test numbers and 002-899 as real ones', () => {
    expect(read('131052-308T')).toBe('1952-10-13 female real');
    expect(read('010594Y9032')).toBe('1994-05-01 male test');
    expect(read('150623E999N')).toBe('2023-06-15 male test');
  });

  it('rejects individual numbers 000 and 001', () => {
    expect(fi('010101A000P')).toEqual({
      ok: false,
      error: { code: 'ID_UNKNOWN_FORMAT', params: { country: 'FI', reason: 'individual' } },
    });
    expect(read('010101A001R')).toBe('ID_UNKNOWN_FORMAT');
  });

  it('rejects a wrong check character', () => {
    expect(fi('010594Y9033')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'FI' } } });
    expect(read('131052-308U')).toBe('ID_BAD_CHECKSUM');
  });

  it('checks 29 February in the century of the sign', () => {
    expect(read('290200A9908')).toBe('2000-02-29 female test');
    expect(read('290200-9908')).toBe('ID_BAD_DATE');
    expect(read('290200+9233')).toBe('ID_BAD_DATE');
    expect(read('290224F9505')).toBe('2024-02-29 female test');
    expect(read('300224F9505')).toBe('ID_BAD_DATE');
  });

  it('accepts 2000s signs with years 30-99 once the date has passed, and not before', () => {
    expect(fi('010130A9029')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'FI', reason: 'future' } },
    });
    expect(read('010130A9029', new Date(2030, 0, 1))).toBe('2030-01-01 female test');
  });

  it('rejects signs and check characters outside the alphabet', () => {
    // G is no century sign; Z is no check character; I, O, Q, G, Z never occur.
    expect(read('010594G9032')).toBe('ID_BAD_FORMAT');
    expect(read('010594Y903Z')).toBe('ID_BAD_FORMAT');
    // H is a check character but not a century sign.
    expect(read('010594H9032')).toBe('ID_UNKNOWN_FORMAT');
  });
});
