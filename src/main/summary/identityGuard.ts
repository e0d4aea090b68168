/**
 * The identity guard: a response whose patient is not the one asked for is
 * rejected whole, never partially shown. A source that does not know the patient
 * (no subjects, no items) passes with nothing.
 */
import { CodedError } from '../../shared/errors';
import { matchesRequested } from '../../shared/identity';
import type { PatientQuery, SourceResult, SubjectIdentity } from '../sources/types';

export function subjectIsRequested(subject: SubjectIdentity, query: PatientQuery): boolean {
  return subject.identifiers.some((id) => matchesRequested(id, query.identifier));
}

/** Throws PATIENT_MISMATCH unless every subject in the response carries the requested identifier. */
export function guardIdentity(result: SourceResult, query: PatientQuery): SourceResult {
  if (result.items.length > 0 && result.subjects.length === 0) {
    // Data with nobody named: we cannot prove whose it is.
    throw new CodedError('PATIENT_MISMATCH', { reason: 'no-subject' });
  }
  const foreign = result.subjects.filter((s) => !subjectIsRequested(s, query)).length;
  if (foreign > 0) {
    throw new CodedError('PATIENT_MISMATCH', { subjects: result.subjects.length, foreign });
  }
  return result;
}
