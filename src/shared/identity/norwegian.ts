/**
 * Norwegian fødselsnummer and D-nummer (day + 40), including the synthetic test
 * numbers of NAV/Dolly (month + 40) and Skatteetaten's Tenor (month + 80).
 * Written forms: 11 digits, or DDMMYY NNNNN (our display form, so a copied value
 * parses back). Canonical value: 11 digits.
 *
 * Why not `@navikt/fnrvalidator`: its fnr()/dnr()/hnr() are one and the same check
 * (only the returned `type` differs); it already accepts the first check digit
 * of the scheme planned for 2032 (K1 may be any of four values), which today
 * lets through numbers with a wrong K1; and it validates the date without the
 * century (29.02.1900 passes). We implement today's rule (one K1, one K2) and the
 * century from the individual number. The unit tests use the package as an oracle
 * in the direction where it is right: every number we accept it accepts too.
 *
 * H-numbers (hjelpenummer, month + 40) are out of scope but cannot be told apart
 * from NAV synthetic numbers, which use the same month + 40: such a number is read
 * as a synthetic fødselsnummer with `test: true`. The older H-number form (first
 * digit 8 or 9) and FH-numbers (first digit 8 or 9, no date) are rejected as
 * ID_BAD_DATE, because their first two digits are not a day. Before 2032 the
 * checksum rule here must be revisited (Skatteetaten: "nytt fødselsnummer fra 2032").
 */
import { fail, ok, type Result } from '../errors';
import { compareDates, isExistingDate, toIsoDate, type CalendarDate } from './calendar';
import type { CountryRules } from './countryRules';
import type { NationalId } from './types';

const P = { country: 'NO' } as const;
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const D_NUMBER_DAY_OFFSET = 40;
const NAV_SYNTHETIC_MONTH_OFFSET = 40;
const TENOR_SYNTHETIC_MONTH_OFFSET = 80;

/** Modulus 11 check digit; undefined when the remainder gives 10 (such numbers are never issued). */
function mod11(digits: readonly number[], weights: readonly number[]): number | undefined {
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w * (digits[i] ?? 0);
  });
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  return k === 10 ? undefined : k;
}

/** Both check digits for the first nine digits, or undefined when the nine digits cannot form a valid number. */
export function norwegianCheckDigits(nineDigits: string): string | undefined {
  const d = [...nineDigits].map(Number);
  const k1 = mod11(d, K1_WEIGHTS);
  if (k1 === undefined) return undefined;
  const k2 = mod11([...d, k1], K2_WEIGHTS);
  return k2 === undefined ? undefined : `${k1}${k2}`;
}

/** Skatteetaten's individual number ranges; undefined where no century is assigned. */
function century(individual: number, yy: number): number | undefined {
  if (individual <= 499) return 1900;
  if (individual >= 900 && yy >= 40) return 1900;
  if (individual >= 500 && yy <= 39) return 2000;
  if (individual <= 749 && yy >= 54) return 1800;
  return undefined;
}

function parseNorwegian(input: string, today: CalendarDate): Result<NationalId> {
  const digits = input.replace(' ', '');
  if (!/^\d{11}$/.test(digits)) return fail('ID_UNKNOWN_FORMAT', P);
  const writtenDay = Number(digits.slice(0, 2));
  const writtenMonth = Number(digits.slice(2, 4));
  const yy = Number(digits.slice(4, 6));
  const individual = Number(digits.slice(6, 9));

  const dNumber = writtenDay > D_NUMBER_DAY_OFFSET;
  const day = dNumber ? writtenDay - D_NUMBER_DAY_OFFSET : writtenDay;
  let month = writtenMonth;
  let test = false;
  if (writtenMonth > TENOR_SYNTHETIC_MONTH_OFFSET) {
    month -= TENOR_SYNTHETIC_MONTH_OFFSET;
    test = true;
  } else if (writtenMonth > NAV_SYNTHETIC_MONTH_OFFSET) {
    month -= NAV_SYNTHETIC_MONTH_OFFSET;
    test = true;
  }

  const c = century(individual, yy);
  if (c === undefined) return fail('ID_BAD_DATE', { ...P, reason: 'century' });
  const birth = { year: c + yy, month, day };
  if (!isExistingDate(birth)) return fail('ID_BAD_DATE', P);
  if (compareDates(birth, today) > 0) return fail('ID_BAD_DATE', { ...P, reason: 'future' });

  if (norwegianCheckDigits(digits.slice(0, 9)) !== digits.slice(9)) return fail('ID_BAD_CHECKSUM', P);

  return ok({
    country: 'NO',
    kind: dNumber ? 'd-nummer' : 'fodselsnummer',
    value: digits,
    birthDate: toIsoDate(birth),
    // The third digit of the individual number: odd for men, even for women.
    sex: Number(digits[8]) % 2 === 1 ? 'male' : 'female',
    test,
  });
}

export const norwegianRules: CountryRules = {
  country: 'NO',
  characters: /^[0-9 ]*$/,
  lengths: [11, 12],
  shape: /^(?:\d{11}|\d{6} \d{5})$/,
  parse: parseNorwegian,
};
