/**
 * Finnish henkilötunnus: DDMMYY, century sign, individual number ZZZ, check
 * character Q. Canonical value: the 11 characters, upper case, with the century
 * sign as written: since 2023 the same date and individual number may be issued
 * once per sign (`-` and `Y` are different people), so the sign is identity.
 *
 * Why not `finnish-ssn`: it accepts the 2000s signs A-F only for years 00-29 and
 * `+` only for 1850-1899, accepts individual numbers 000 and 001 (never issued),
 * does not flag the test range 900-999, and reads dates through the local time
 * zone and the machine clock. The check is small, so it is implemented here; the
 * unit tests use the package as an oracle on the range it does cover.
 */
import { fail, ok, type Result } from '../errors';
import { compareDates, isExistingDate, toIsoDate, type CalendarDate } from './calendar';
import type { CountryRules } from './countryRules';
import type { NationalId } from './types';

const P = { country: 'FI' } as const;
const SHAPE = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-FHJ-NPR-Y])$/;
const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Century per sign (Digi- ja väestötietovirasto; U-Y and B-F were added in 2023). */
const CENTURY: Readonly<Record<string, number>> = {
  '+': 1800,
  '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900,
  A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000,
};

/** The check character for DDMMYY + ZZZ (nine digits) read as one number, modulo 31. */
export function finnishCheckCharacter(nineDigits: string): string {
  return CHECK_CHARACTERS[Number(nineDigits) % 31] ?? '';
}

function parseFinnish(input: string, today: CalendarDate): Result<NationalId> {
  // Letter case carries no meaning in a henkilötunnus, so lower case is read as
  // upper case; nothing else is normalized.
  const upper = input.toUpperCase();
  const m = SHAPE.exec(upper);
  if (!m) return fail('ID_UNKNOWN_FORMAT', P);
  const [, dd = '', mm = '', yy = '', sign = '', individual = '', check = ''] = m;
  const base = CENTURY[sign];
  if (base === undefined) return fail('ID_UNKNOWN_FORMAT', P);

  const birth = { year: base + Number(yy), month: Number(mm), day: Number(dd) };
  if (!isExistingDate(birth)) return fail('ID_BAD_DATE', P);
  if (compareDates(birth, today) > 0) return fail('ID_BAD_DATE', { ...P, reason: 'future' });
  // Individual numbers start at 002; 000 and 001 are never issued.
  const n = Number(individual);
  if (n < 2) return fail('ID_UNKNOWN_FORMAT', { ...P, reason: 'individual' });
  if (finnishCheckCharacter(dd + mm + yy + individual) !== check) return fail('ID_BAD_CHECKSUM', P);

  return ok({
    country: 'FI',
    kind: 'henkilotunnus',
    value: upper,
    birthDate: toIsoDate(birth),
    sex: n % 2 === 1 ? 'male' : 'female',
    // DVV never issues 900-999 to a person: the range holds test numbers (some
    // organisations also use it for local temporary numbers, which are not national ids).
    test: n >= 900,
  });
}

export const finnishRules: CountryRules = {
  country: 'FI',
  characters: /^[0-9+A-FHJ-NPR-Ya-fhj-npr-y-]*$/,
  lengths: [11],
  shape: /^\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-FHJ-NPR-Ya-fhj-npr-y]$/,
  parse: parseFinnish,
};
