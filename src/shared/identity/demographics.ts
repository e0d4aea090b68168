/**
 * Birth date and sex as a national id implies them, compared with what a source
 * states about its patient. Only a contradiction counts: a missing, partial or
 * unreadable birth date is compared as far as it goes (a year alone is compared
 * with the year), and a sex other than female or male (other, unknown, none)
 * is not compared, because neither contradicts the number.
 */
import type { NationalId } from './types';

export type DemographicField = 'birthDate' | 'sex';

export interface StatedDemographics {
  /** FHIR date (YYYY, YYYY-MM, YYYY-MM-DD) or dateTime; anything else is not compared. */
  birthDate?: string;
  /** FHIR administrative gender; only 'female' and 'male' are compared. */
  gender?: string;
}

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T.*)?)?)?$/;

function birthDateContradicts(implied: string, stated: string | undefined): boolean {
  // A value that is not text (a malformed source's object or number) is unreadable, never a contradiction.
  const m = typeof stated === 'string' ? FHIR_DATE.exec(stated.trim()) : null;
  if (!m) return false;
  const [, year, month, day] = m;
  const [iy, im, id] = implied.split('-');
  return year !== iy || (month !== undefined && month !== im) || (day !== undefined && day !== id);
}

function sexContradicts(implied: NationalId['sex'], stated: string | undefined): boolean {
  const gender = typeof stated === 'string' ? stated.trim().toLowerCase() : undefined;
  return (gender === 'female' || gender === 'male') && gender !== implied;
}

/** The fields the stated demographics contradict (empty when none does). */
export function demographicConflicts(
  id: Pick<NationalId, 'birthDate' | 'sex'>,
  stated: StatedDemographics,
): DemographicField[] {
  const out: DemographicField[] = [];
  if (birthDateContradicts(id.birthDate, stated.birthDate)) out.push('birthDate');
  if (sexContradicts(id.sex, stated.gender)) out.push('sex');
  return out;
}
