/**
 * One entry point for a national id typed by a clinician or sent by a source:
 * find which country's written forms the string has, validate it under those
 * rules, and never choose between two countries that both accept it.
 */
import { fail, type ErrorCode, type Result } from '../errors';
import { toCalendarDate } from './calendar';
import type { CountryRules } from './countryRules';
import { finnishRules } from './finnish';
import { norwegianRules } from './norwegian';
import { swedishRules } from './swedish';
import type { NationalId, NationalIdParseOptions } from './types';

const ALL_RULES: readonly CountryRules[] = [swedishRules, norwegianRules, finnishRules];

/**
 * How far a failed validation got; when no country accepts a string that has
 * two countries' shapes, the error from the rules that got further is the one
 * that tells the clinician most (a bad check digit means the date was fine).
 */
const DEPTH: Partial<Record<ErrorCode, number>> = {
  ID_UNKNOWN_FORMAT: 1,
  ID_BAD_DATE: 2,
  ID_BAD_CHECKSUM: 3,
};

/**
 * Shapes overlap in exactly one place: YYMMDD-NNNC / YYMMDD+NNNC (a Swedish
 * 10-digit number with separator) is also DDMMYY-ZZZQ / DDMMYY+ZZZQ (a Finnish
 * number whose check character is a digit). When both are valid the answer is
 * ID_AMBIGUOUS; pass `options.country` to decide.
 */
export function parseNationalId(input: string, options: NationalIdParseOptions = {}): Result<NationalId> {
  const text = input.trim();
  if (text === '') return fail('ID_EMPTY');
  const today = toCalendarDate(options.today ?? new Date());
  const rules = options.country ? ALL_RULES.filter((r) => r.country === options.country) : ALL_RULES;
  const onlyOne = rules.length === 1 ? { country: rules[0]!.country } : undefined;

  if (!rules.some((r) => r.characters.test(text))) return fail('ID_BAD_FORMAT', onlyOne);
  const candidates = rules.filter((r) => r.characters.test(text) && r.shape.test(text));
  if (candidates.length === 0) {
    const lengthFits = rules.some((r) => r.characters.test(text) && r.lengths.includes(text.length));
    return lengthFits
      ? fail('ID_UNKNOWN_FORMAT', onlyOne)
      : fail('ID_BAD_LENGTH', { ...onlyOne, length: text.length });
  }

  const results = candidates.map((r) => r.parse(text, today));
  const valid = results.filter((r) => r.ok);
  if (valid.length === 1) return valid[0]!;
  if (valid.length > 1) {
    return fail('ID_AMBIGUOUS', { countries: candidates.map((r) => r.country).join(',') });
  }
  const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length === 1) return { ok: false, error: errors[0]! };
  const depth = (code: ErrorCode) => DEPTH[code] ?? 0;
  const deepest = Math.max(...errors.map((e) => depth(e.code)));
  const atDeepest = errors.filter((e) => depth(e.code) === deepest);
  if (atDeepest.length === 1) return { ok: false, error: atDeepest[0]! };
  // Every candidate failed the same way: name the failure, not a country.
  return fail(atDeepest[0]!.code, { countries: candidates.map((r) => r.country).join(',') });
}
