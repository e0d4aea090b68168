import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';

// A fixed reference date: 25 Nov 2026 (local calendar date).
const today = new Date(2026, 10, 25);
const se = (input: string, at: Date = today) => parseNationalId(input, { today: at, country: 'SE' });
const value = (input: string, at: Date = today) => {
  const r = se(input, at);
  return r.ok ? r.value.value : r.error.code;
};

describe('Swedish personnummer', () => {
  it('reads Tolvan Tolvansson in every written form to one canonical value', () => {
    for (const written of ['191212121212', '19121212-1212', '121212+1212']) {
      const r = se(written);
      expect(r).toEqual({
        ok: true,
        value: {
          country: 'SE',
          kind: 'personnummer',
          value: '191212121212',
          birthDate: '1912-12-12',
          sex: 'male',
          test: false,
        },
      });
    }
  });

  it('reads the sex from the third digit of the födelsenummer', () => {
    const r = se('201701012393');
    expect(r.ok && r.value.sex).toBe('male');
    // 000229-2381: individual 238, third digit 8 is even.
    const f = se('000229-2381');
    expect(f.ok && f.value.sex).toBe('female');
  });

  it('rejects a wrong check digit', () => {
    expect(se('191212121213')).toEqual({ ok: false, error: { code: 'ID_BAD_CHECKSUM', params: { country: 'SE' } } });
    expect(value('121212-1213')).toBe('ID_BAD_CHECKSUM');
  });

  it('rejects dates that do not exist', () => {
    expect(value('19121232-1212')).toBe('ID_BAD_DATE');
    expect(value('19121312-1212')).toBe('ID_BAD_DATE');
    expect(value('19120012-1212')).toBe('ID_BAD_DATE');
  });

  it('rejects individual number 000, which Skatteverket never issues', () => {
    expect(se('191212120008')).toEqual({
      ok: false,
      error: { code: 'ID_UNKNOWN_FORMAT', params: { country: 'SE', reason: 'individual' } },
    });
  });

  it('rejects centuries other than 18, 19, 20 and birth dates after today', () => {
    expect(value('171212121212')).toBe('ID_BAD_DATE');
    expect(value('181212121212')).toBe('181212121212');
    // 24 Dec 2026 is after today.
    expect(se('202612242384')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'SE', reason: 'future' } },
    });
  });
});

describe('Swedish 10-digit century rule', () => {
  it('takes the latest matching year within the last 99 years without a separator or with -', () => {
    expect(value('1212121212')).toBe('201212121212');
    expect(value('121212-1212')).toBe('201212121212');
    expect(value('121212-1212', new Date(2012, 11, 12))).toBe('201212121212');
    // The day before: 2012-12-12 is not yet, and 1912 turns 100 in 2012 (so it would carry +).
    expect(value('121212-1212', new Date(2012, 11, 11))).toBe('ID_BAD_DATE');
    expect(value('121212-1212', new Date(2011, 11, 31))).toBe('191212121212');
  });

  it('takes the century 100 years earlier with +', () => {
    expect(value('121212+1212')).toBe('191212121212');
    expect(value('121212+1212', new Date(2013, 0, 1))).toBe('191212121212');
    expect(value('121212+1212', new Date(2012, 0, 1))).toBe('191212121212');
    expect(value('121212+1212', new Date(2011, 11, 31))).toBe('181212121212');
  });

  it('applies + from the calendar year of the 100th birthday, not from the birthday', () => {
    // Born 24 Dec 1926: still 99 on 25 Nov 2026, but written with + all of 2026.
    expect(value('261224+2384')).toBe('192612242384');
    // Without + the number would be born later this year: no legal reading, not guessed.
    expect(se('261224-2384')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'SE', reason: 'future' } },
    });
    expect(value('2612242384')).toBe('ID_BAD_DATE');
    // From 1 Jan 2027 the same digits without + are a child born in 2026.
    expect(value('261224-2384', new Date(2027, 0, 1))).toBe('202612242384');
  });

  it('accepts a person born today', () => {
    expect(value('261125-2384')).toBe('202611252384');
  });

  it('checks 29 February in the century it resolves to', () => {
    expect(value('000229-2381')).toBe('200002292381');
    expect(value('0002292381')).toBe('200002292381');
    // With + the year is 1900, not a leap year.
    expect(value('000229+2381')).toBe('ID_BAD_DATE');
    expect(value('190002292381')).toBe('ID_BAD_DATE');
    expect(value('200002292381')).toBe('200002292381');
    expect(value('040229-2387')).toBe('200402292387');
    expect(value('010229-2380')).toBe('ID_BAD_DATE');
  });
});

describe('Swedish 12-digit form with a separator', () => {
  it('accepts - at any age: it is the conventional separator of the 12-digit form', () => {
    expect(value('19121212-1212')).toBe('191212121212');
    expect(value('20121212-1212')).toBe('201212121212');
  });

  it('accepts + only when it agrees with the stated century', () => {
    expect(value('19121212+1212')).toBe('191212121212');
    expect(value('19261224+2384')).toBe('192612242384');
    expect(se('20121212+1212')).toEqual({
      ok: false,
      error: { code: 'ID_BAD_DATE', params: { country: 'SE', reason: 'separator' } },
    });
    expect(value('19271224+2384')).toBe('ID_BAD_DATE');
  });
});

describe('Swedish samordningsnummer', () => {
  it('subtracts 60 from the day for the birth date and keeps it in the value', () => {
    expect(se('191212721219')).toEqual({
      ok: true,
      value: {
        country: 'SE',
        kind: 'samordningsnummer',
        value: '191212721219',
        birthDate: '1912-12-12',
        sex: 'male',
        test: false,
      },
    });
    expect(value('121272-1219')).toBe('201212721219');
    expect(value('121272+1219')).toBe('191212721219');
  });

  it('rejects a wrong check digit and a day that is not a date + 60', () => {
    expect(value('191212721218')).toBe('ID_BAD_CHECKSUM');
    // Day 92 - 60 = 32; day 60 - 60 = 0.
    expect(value('191212921215')).toBe('ID_BAD_DATE');
    expect(value('191212601213')).toBe('ID_BAD_DATE');
  });

  it('rejects 29 February + 60 in a year that is not a leap year', () => {
    // 000289: 29 Feb + 60. Check digit over 000289238 is 8.
    expect(value('000289-2388')).toBe('200002892388');
    expect(value('000289+2388')).toBe('ID_BAD_DATE');
  });
});
