/**
 * The patient header of a summary: the identifier asked for, and the name,
 * birth date and sex the sources give (the national id's own when none does).
 * Names or home addresses that differ between sources are kept side by side,
 * never resolved.
 */
import type { PatientHeader } from '../../shared/summary';
import type { PatientQuery, SubjectIdentity } from '../sources/types';

/** The subjects one source described, with which source it was. */
export interface SourceSubjects {
  sourceId: string;
  subjects: SubjectIdentity[];
}

export function patientHeader(query: PatientQuery, parts: readonly SourceSubjects[]): PatientHeader {
  const subjects = parts.flatMap((p) => p.subjects.map((subject) => ({ sourceId: p.sourceId, subject })));
  const named = subjects.filter((s) => s.subject.name);
  const names = new Set(named.map((s) => s.subject.name));
  const addressed = subjects.filter((s) => s.subject.address);
  const addresses = new Set(addressed.map((s) => s.subject.address?.trim().toLowerCase().replace(/\s+/g, ' ')));
  const first = subjects[0]?.subject;
  const nid = query.nationalId;
  return {
    identifier: query.identifier,
    ...(nid ? { nationalId: { country: nid.country, kind: nid.kind, value: nid.value } } : {}),
    ...(named[0]?.subject.name ? { name: named[0].subject.name } : {}),
    ...(first?.birthDate ?? nid?.birthDate ? { birthDate: first?.birthDate ?? nid?.birthDate } : {}),
    ...(first?.gender ?? nid?.sex ? { gender: first?.gender ?? nid?.sex } : {}),
    ...(names.size > 1
      ? { nameConflicts: named.map((s) => ({ sourceId: s.sourceId, value: s.subject.name ?? '' })) }
      : {}),
    ...(addresses.size > 1
      ? { addressConflicts: addressed.map((s) => ({ sourceId: s.sourceId, value: s.subject.address ?? '' })) }
      : {}),
  };
}
