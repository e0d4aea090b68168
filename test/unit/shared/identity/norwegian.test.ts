import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';

const today = new Date(2026, 10, 25);
const no = (input: string, at: Date = today) => parseNationalId(input, { today: at, country: 'NO' });
const code = (input: string) => {
  const r = no(input);
  return r.ok ? 'ok' : r.error.code;
};

describe('Norwegian fødselsnummer', () => {
  it('accepts a valid number and reads date, century and sex', () => {
    expect(no('31129956715')).toEqual({
      ok: true,
      value: {
        country: 'NO',
        kind: 'fodselsnummer',
        value: '31129956715',
        birthDate: '1899-12-31',
        sex: 'male',
        test: false,
      },
    });
    const kari = no('22036154873');
    expect(kari.ok && [kari.value.birthDate, kari.value.sex]).toEqual(['1861-03-22', 'female']);
  });

  it('accepts the display form DDMMYY NNNNN', () => {
    const r = no('311299 56715');
    expect(r.ok && r.value.value).toBe('31129956715');
  });

  it('takes the century from the individual number', () => {
    // 000-499: 1900s; 500-749 with year 54-99: 1800s; 500-999 with year 00-39: 2000s;
    // 900-999 with year 40-99: 1900s.
    const birth = (input: string) => {
      const r = no(input);
      return r.ok ? r.value.birthDate : r.error.code;
    };
    // 29.02.58 with individual 612 is 1858, not a leap year (the check digits are right).
    expect(birth('29025861246')).toBe('ID_BAD_DATE');
    expect(birth('01019090058')).toBe('1990-01-01');
    expect(birth('31129956715')).toBe('1899-12-31');
    expect(birth('02014091273')).toBe('1940-01-02');
    expect(birth('29420091239')).toBe('2000-02-29');
  });

  it('rejects a number whose individual number assigns no century to its year', () => {
    expect(no('01015080082')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'NO', reason: 'century' } },
    });
  });

  it('rejects wrong check digits with today’s rule, including a K1 the 2032 rule would allow', () => {
    expect(no('31129956716')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'NO' } } });
    // K1 = 2 instead of 1, with K2 recomputed for it: valid only under the 2032 scheme.
    expect(code('31129956723')).toBe('ID_BAD_CHECKSUM');
    // 010857567: K1 would be 10, so no check digits make it valid.
    for (let k = 0; k < 100; k++) expect(code(`010857567${String(k).padStart(2, '0')}`)).toBe('ID_BAD_CHECKSUM');
  });

  it('checks 29 February in the resolved century', () => {
    // 29.02.1900 (individual 123): 1900 is not a leap year; the check digits are right.
    expect(code('29020012380')).toBe('ID_BAD_DATE');
  });

  it('rejects birth dates after today', () => {
    // 01.01.2030: individual 512 with year 30.
    expect(no('01013051255')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'NO', reason: 'future' } },
    });
    const later = no('01013051255', new Date(2030, 0, 1));
    expect(later.ok && later.value.birthDate).toBe('2030-01-01');
  });

  it('rejects FH-numbers and old-style H-numbers (first digit 8 or 9) as ID_BAD_DATE', () => {
    expect(code('81234567890')).toBe('ID_BAD_DATE');
    expect(code('91234567890')).toBe('ID_BAD_DATE');
  });

  it('rejects a month that is no month in any range', () => {
    // 13, 53 (13 + 40) and 93 (13 + 80); and 00.
    for (const mm of ['13', '53', '93', '00', '60']) expect(code(`01${mm}9012365`)).toBe('ID_BAD_DATE');
  });
});

describe('Norwegian D-nummer', () => {
  it('subtracts 40 from the day', () => {
    expect(no('41085756743')).toEqual({
      ok: true,
      value: {
        country: 'NO',
        kind: 'd-nummer',
        value: '41085756743',
        birthDate: '1857-08-01',
        sex: 'male',
        test: false,
      },
    });
  });

  it('rejects a D-nummer day beyond 71 and a wrong check digit', () => {
    expect(code('72085756743')).toBe('ID_BAD_DATE');
    expect(code('41085756744')).toBe('ID_BAD_CHECKSUM');
  });
});

describe('Norwegian synthetic test numbers', () => {
  it('reads month + 80 (Skatteetaten Tenor) as a test number with the real date', () => {
    expect(no('01819012365')).toEqual({
      ok: true,
      value: {
        country: 'NO',
        kind: 'fodselsnummer',
        value: '01819012365',
        birthDate: '1990-01-01',
        sex: 'male',
        test: true,
      },
    });
  });

  it('reads month + 40 (NAV Dolly) as a test number with the real date', () => {
    const r = no('15458512326');
    expect(r.ok && [r.value.kind, r.value.birthDate, r.value.test]).toEqual(['fodselsnummer', '1985-05-15', true]);
  });

  it('reads an H-number (also month + 40) the same way: the digits cannot tell them apart', () => {
    const r = no('29420091239');
    expect(r.ok && [r.value.kind, r.value.test]).toEqual(['fodselsnummer', true]);
  });

  it('reads a synthetic D-nummer as a D-nummer with test set', () => {
    const r = no('41898012350');
    expect(r.ok && [r.value.kind, r.value.birthDate, r.value.test]).toEqual(['d-nummer', '1980-09-01', true]);
  });

  it('still checks the date and check digits of synthetic numbers', () => {
    expect(code('01819012366')).toBe('ID_BAD_CHECKSUM');
    expect(code('31829012365')).toBe('ID_BAD_DATE'); // 31 February
  });
});
