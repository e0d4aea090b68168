/**
 * Who each resource is about. Every patient a response speaks of must surface
 * as a SubjectIdentity, so the identity guard can refuse data about anyone else;
 * an unknown reference is therefore reported, never dropped.
 */
import type { HumanName, Identifier as FhirIdentifier, Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { Identifier } from '../../../shared/summary';
import type { SubjectIdentity } from '../types';
import { nonEmpty } from './mappers/common';

export function patientToSubject(patient: Patient, ref: string | undefined): SubjectIdentity {
  const subject: SubjectIdentity = { identifiers: identifiersOf(patient.identifier) };
  if (ref) subject.ref = ref;
  const name = displayName(patient.name);
  if (name) subject.name = name;
  if (patient.birthDate) subject.birthDate = patient.birthDate;
  if (patient.gender) subject.gender = patient.gender;
  return subject;
}

function identifiersOf(ids: FhirIdentifier[] | undefined): Identifier[] {
  const out: Identifier[] = [];
  for (const id of ids ?? []) {
    const value = nonEmpty(id.value);
    if (!value) continue;
    out.push(id.system ? { system: id.system, value } : { value });
  }
  return out;
}

function displayName(names: HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  const parts = [...(name.given ?? []), name.family].map((p) => nonEmpty(p)).filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : nonEmpty(name.text);
}

/** The reference(s) naming the patient a clinical resource is about. */
export function subjectReferenceOf(resource: Resource): Reference | undefined {
  const r = resource as { subject?: Reference; patient?: Reference };
  switch (resource.resourceType) {
    case 'AllergyIntolerance':
    case 'Immunization':
      return r.patient;
    default:
      return r.subject;
  }
}

/** `Patient/1/_history/2` and `Patient/1` are the same patient. */
export function withoutHistory(reference: string): string {
  return reference.replace(/\/_history\/[^/]+$/, '');
}

/**
 * Decides whether a resource's subject is one of the known patients. `isKnown`
 * receives the reference without its history suffix.
 * Returns undefined when the subject is known, else the subject to report.
 */
export function foreignSubject(
  resource: Resource,
  isKnown: (reference: string) => boolean,
): SubjectIdentity | undefined {
  const ref = subjectReferenceOf(resource);
  const reference = nonEmpty(ref?.reference);
  if (reference) {
    return isKnown(withoutHistory(reference)) ? undefined : { ref: reference, identifiers: [] };
  }
  // A logical reference by identifier: the guard can check it like a Patient's.
  const value = nonEmpty(ref?.identifier?.value);
  if (value) {
    const system = ref?.identifier?.system;
    return { identifiers: [system ? { system, value } : { value }] };
  }
  // Nobody named: we cannot prove whose data it is, so it must not pass unseen.
  return { identifiers: [] };
}

/** Adds a subject unless one with the same ref (or the same sole identifier) is already listed. */
export function addSubject(subjects: SubjectIdentity[], subject: SubjectIdentity): void {
  const key = subjectKey(subject);
  if (!subjects.some((s) => subjectKey(s) === key)) subjects.push(subject);
}

function subjectKey(s: SubjectIdentity): string {
  if (s.ref) return `ref:${s.ref}`;
  return `id:${s.identifiers.map((i) => `${i.system ?? ''}|${i.value}`).join(',')}`;
}
