/**
 * The identity guard: a response whose patient is not the one asked for is
 * rejected whole, never partially shown. A source that does not know the patient
 * (no subjects, no items) passes with nothing.
 *
 * Two checks, in order (docs/adr/0011-strict-patient-identity.md):
 * 1. every subject carries the requested identifier (FHIR token semantics:
 *    matchesRequested), else PATIENT_MISMATCH;
 * 2. no subject's birth date or sex contradicts what a Swedish, Norwegian or
 *    Finnish national id implies — the requested one, or a valid one the subject
 *    carries itself — else PATIENT_DEMOGRAPHICS_MISMATCH. Only a contradiction
 *    rejects: an absent, partial or unreadable birth date, or a sex that is
 *    neither female nor male, is never one.
 */
import { CodedError } from '../../shared/errors';
import { demographicConflicts, matchesRequested, nationalIdOf, type NationalId } from '../../shared/identity';
import type { PatientQuery, SourceResult, SubjectIdentity } from '../sources/types';

export function subjectIsRequested(subject: SubjectIdentity, query: PatientQuery): boolean {
  return subject.identifiers.some((id) => matchesRequested(id, query.identifier));
}

/** The national ids whose birth date and sex the subject's own must agree with. */
function impliedBy(subject: SubjectIdentity, query: PatientQuery): Pick<NationalId, 'birthDate' | 'sex'>[] {
  const own = subject.identifiers.map(nationalIdOf).filter((id): id is NationalId => id !== undefined);
  return query.nationalId ? [query.nationalId, ...own] : own;
}

/**
 * Throws PATIENT_MISMATCH unless every subject in the response carries the
 * requested identifier, and PATIENT_DEMOGRAPHICS_MISMATCH when one's birth date
 * or sex contradicts a national id. Params name only the field, never a value.
 */
export function guardIdentity(result: SourceResult, query: PatientQuery): SourceResult {
  if (result.items.length > 0 && result.subjects.length === 0) {
    // Data with nobody named: we cannot prove whose it is.
    throw new CodedError('PATIENT_MISMATCH', { reason: 'no-subject' });
  }
  const foreign = result.subjects.filter((s) => !subjectIsRequested(s, query)).length;
  if (foreign > 0) {
    throw new CodedError('PATIENT_MISMATCH', { subjects: result.subjects.length, foreign });
  }
  for (const subject of result.subjects) {
    for (const implied of impliedBy(subject, query)) {
      const fields = demographicConflicts(implied, subject);
      if (fields.length > 0) throw new CodedError('PATIENT_DEMOGRAPHICS_MISMATCH', { fields: fields.join(',') });
    }
  }
  return result;
}
