import type { Result } from '../errors';
import type { CalendarDate } from './calendar';
import type { Country, NationalId } from './types';

/**
 * What the detector needs to know about one country's numbers: which characters
 * and lengths can occur at all (to tell ID_BAD_FORMAT and ID_BAD_LENGTH apart from
 * ID_UNKNOWN_FORMAT), the exact written shapes, and the full validation.
 */
export interface CountryRules {
  country: Country;
  /** Every character any accepted written form may contain. */
  characters: RegExp;
  /** Every length any accepted written form may have. */
  lengths: readonly number[];
  /** The accepted written forms, exactly. */
  shape: RegExp;
  /** Full validation of a string that matches `shape`. */
  parse(input: string, today: CalendarDate): Result<NationalId>;
}
