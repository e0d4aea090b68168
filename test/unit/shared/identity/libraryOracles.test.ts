/**
 * The identity rules are our own code (see the comments in src/shared/identity),
 * but the npm packages are independent implementations of the same schemes.
 * Here they check us where they are right, and these tests pin down exactly
 * where and why we disagree with them.
 */
import { idnr } from '@navikt/fnrvalidator';
import { FinnishSSN } from 'finnish-ssn';
import Personnummer from 'personnummer';
import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';
import { TEST_IDS } from '../../../fixtures/testIds';

const today = new Date(2026, 10, 25);
const accepts = (input: string, country: 'SE' | 'NO' | 'FI') => parseNationalId(input, { today, country }).ok;

describe('personnummer (npm) as oracle for the 12-digit form', () => {
  const valid = ['191212121212', '201701012393', '191212721219', '200002292381', '181212121212', '192612242384'];
  const invalid = ['191212121213', '191212721218', '190002292381', '191212921215', '191212601213'];

  it('agrees on check digit and date', () => {
    for (const v of valid) expect([v, accepts(v, 'SE'), Personnummer.valid(v)]).toEqual([v, true, true]);
    for (const v of invalid) expect([v, accepts(v, 'SE'), Personnummer.valid(v)]).toEqual([v, false, false]);
  });

  it('disagrees on a 12-digit + that contradicts the century: we refuse, it accepts', () => {
    expect(accepts('20121212+1212', 'SE')).toBe(false);
    expect(Personnummer.valid('20121212+1212')).toBe(true);
  });
});

describe('@navikt/fnrvalidator as oracle', () => {
  it('accepts every Norwegian number we accept', () => {
    const ours = [
      ...Object.values(TEST_IDS.no),
      ...Object.values(TEST_IDS.noD),
      ...Object.values(TEST_IDS.noSynthetic),
    ].map((i) => i.value);
    for (const v of [...ours, '01019090058', '02014091273', '29420091239']) {
      expect(accepts(v, 'NO')).toBe(true);
      expect([v, idnr(v).status]).toEqual([v, 'valid']);
    }
  });

  it('accepts a first check digit off by one (the 2032 rule); today that number is invalid', () => {
    expect(idnr('31129956723').status).toBe('valid');
    expect(accepts('31129956723', 'NO')).toBe(false);
  });

  it('validates the date without its century: 29.02.1900 passes there, not here', () => {
    expect(idnr('29020012380').status).toBe('valid');
    expect(accepts('29020012380', 'NO')).toBe(false);
  });
});

describe('finnish-ssn as oracle', () => {
  const covered = ['010594Y9032', '020594X903P', '030594W903B', '040594V9030', '050594U903M', '010516B902W',
    '020516C903K', '311220D9117', '150623E999N', '290224F9505', '010101A902T', '010185-902F', '010195+9011',
    '131052-308T', '290200A9908'];

  it('agrees on the signs and years it covers', () => {
    for (const v of covered) expect([v, accepts(v, 'FI'), FinnishSSN.validate(v)]).toEqual([v, true, true]);
    for (const v of ['010594Y9033', '290200-9908', '131052-308U']) {
      expect([v, accepts(v, 'FI'), FinnishSSN.validate(v)]).toEqual([v, false, false]);
    }
  });

  it('disagrees where it is wrong', () => {
    // Individual numbers 000 and 001 are never issued.
    expect(FinnishSSN.validate('010101A000P')).toBe(true);
    expect(accepts('010101A000P', 'FI')).toBe(false);
    // + is the whole 1800s, not only 1850-1899.
    expect(FinnishSSN.validate('010145+9025')).toBe(false);
    expect(accepts('010145+9025', 'FI')).toBe(true);
    // A-F cover 2000-2099, not only 2000-2029.
    expect(FinnishSSN.validate('010130A9029')).toBe(false);
    expect(parseNationalId('010130A9029', { today: new Date(2030, 0, 1), country: 'FI' }).ok).toBe(true);
  });
});
