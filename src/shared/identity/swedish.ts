/**
 * Swedish personnummer and samordningsnummer (coordination number, day + 60).
 *
 * Written forms: YYMMDDNNNC, YYMMDD-NNNC, YYMMDD+NNNC (10 digits) and
 * YYYYMMDDNNNC, YYYYMMDD-NNNC (12 digits). Canonical value: 12 digits.
 *
 * Why not the `personnummer` package: it takes the century from the machine's
 * clock (no reference date, so neither tests nor a replayed request can fix it),
 * picks a century from the year alone and so returns birth dates in the future,
 * accepts a `+` in the 12-digit form whatever the age, and answers only
 * valid/invalid, while we must tell a bad date from a bad check digit. The rules
 * are small, so they are implemented here; the unit tests use the package as an
 * independent oracle for the check digit and date on the 12-digit form, where
 * it is right.
 */
import { fail, ok, type Result } from '../errors';
import { compareDates, isExistingDate, toIsoDate, type CalendarDate } from './calendar';
import type { CountryRules } from './countryRules';
import type { NationalId } from './types';

const SHAPE = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/;
const COORDINATION_DAY_OFFSET = 60;
const P = { country: 'SE' } as const;

/** Luhn (modulus 10, weights 2,1,2,...) check digit over the 9 digits YYMMDDNNN. */
export function swedishCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let v = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/** The latest year not after `notAfter` whose last two digits are `yy`. */
function latestYearEndingIn(yy: number, notAfter: number): number {
  return notAfter - ((((notAfter - yy) % 100) + 100) % 100);
}

function parseSwedish(input: string, today: CalendarDate): Result<NationalId> {
  const m = SHAPE.exec(input);
  if (!m) return fail('ID_UNKNOWN_FORMAT', P);
  const [, centuryDigits, yyText = '', mmText = '', ddText = '', separator, individual = '', checkText = ''] = m;
  const yy = Number(yyText);
  const month = Number(mmText);
  const writtenDay = Number(ddText);
  const coordination = writtenDay > COORDINATION_DAY_OFFSET;
  const day = coordination ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  const plus = separator === '+';

  // Folkbokföringslagen 18 §: the separator becomes `+` from the calendar year in
  // which the person turns 100 (the year, not the birthday). So `+` means "born in
  // or before today.year - 100", and `-` or none means "born within the last 99
  // calendar years and not after today". Nothing else is inferred: a 10-digit
  // number whose date would lie later this year has no legal reading (not yet
  // born, and a person born 100 years earlier would carry `+`), so it is rejected.
  let year: number;
  if (centuryDigits === undefined) {
    year = latestYearEndingIn(yy, plus ? today.year - 100 : today.year);
  } else {
    year = Number(centuryDigits + yyText);
    // The 12-digit form states the century, so a separator adds nothing but can
    // contradict it. `-` is the conventional separator of the 12-digit form at any
    // age (sources store 19121212-1212), so it is accepted; a `+` is accepted only
    // when it agrees (born in or before today.year - 100). A contradicting `+`
    // means someone mistyped either the century or the sign, and we do not pick one.
    if (plus && year > today.year - 100) return fail('ID_BAD_DATE', { ...P, reason: 'separator' });
  }

  const birth = { year, month, day };
  // Skatteverket's century digits are 18, 19 or 20 only.
  if (year < 1800) return fail('ID_BAD_DATE', { ...P, reason: 'century' });
  if (!isExistingDate(birth)) return fail('ID_BAD_DATE', P);
  if (compareDates(birth, today) > 0) return fail('ID_BAD_DATE', { ...P, reason: 'future' });
  // Skatteverket assigns födelsenummer 001-999; 000 is never issued.
  if (individual === '000') return fail('ID_UNKNOWN_FORMAT', { ...P, reason: 'individual' });

  const nine = yyText + mmText + ddText + individual;
  if (swedishCheckDigit(nine) !== Number(checkText)) return fail('ID_BAD_CHECKSUM', P);

  return ok({
    country: 'SE',
    kind: coordination ? 'samordningsnummer' : 'personnummer',
    value: String(year).padStart(4, '0') + nine.slice(2) + checkText,
    birthDate: toIsoDate(birth),
    // The third digit of the födelsenummer: odd for men, even for women.
    sex: Number(individual[2]) % 2 === 1 ? 'male' : 'female',
    // Skatteverket's test personnummer are a published list, not a number range,
    // so the digits cannot tell a test number from a real one.
    test: false,
  });
}

export const swedishRules: CountryRules = {
  country: 'SE',
  characters: /^[0-9+-]*$/,
  lengths: [10, 11, 12, 13],
  shape: /^(?:\d{10}|\d{6}[-+]\d{4}|\d{12}|\d{8}[-+]\d{4})$/,
  parse: parseSwedish,
};
