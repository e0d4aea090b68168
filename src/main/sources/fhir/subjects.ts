/**
 * Who each resource is about. Every patient a response speaks of must surface
 * as a SubjectIdentity, so the identity guard can refuse data about anyone else;
 * an unknown reference is therefore reported, never dropped.
 */
import type { Address, HumanName, Identifier as FhirIdentifier, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import { sameIdentifier } from '../../../shared/identity';
import type { Identifier } from '../../../shared/summary';
import type { SubjectIdentity } from '../types';
import { nonEmpty } from './mappers/common';

/**
 * The patient a Patient resource names. One whose shape is not FHIR R4's
 * (`name` that is no list, an `identifier` of null...) cannot be trusted to
 * say who the data is about: SOURCE_BAD_RESPONSE naming the type, so the
 * source is refused with its reason (the identity guard never sees a guess).
 */
export function patientToSubject(patient: Patient, ref: string | undefined): SubjectIdentity {
  try {
    return readPatient(patient, ref);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'resource-shape', resourceType: 'Patient' });
  }
}

function readPatient(patient: Patient, ref: string | undefined): SubjectIdentity {
  const subject: SubjectIdentity = { identifiers: identifiersOf(patient.identifier) };
  if (ref) subject.ref = ref;
  const name = displayName(patient.name);
  if (name) subject.name = name;
  if (patient.birthDate) subject.birthDate = patient.birthDate;
  if (patient.gender) subject.gender = patient.gender;
  const address = addressLine(patient.address);
  if (address) subject.address = address;
  return subject;
}

/** The current home address (else the first current one) as one line. */
function addressLine(addresses: Address[] | undefined): string | undefined {
  const current = (addresses ?? []).filter((a) => a.use !== 'old' && !nonEmpty(a.period?.end));
  const a = current.find((x) => x.use === 'home') ?? current[0];
  if (!a) return undefined;
  const parts = [...(a.line ?? []), [a.postalCode, a.city].map((p) => nonEmpty(p)).filter(Boolean).join(' '), a.country];
  const line = parts.map((p) => nonEmpty(p)).filter(Boolean).join(', ');
  return line || nonEmpty(a.text);
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

/** A relative literal reference, `Type/id` (FHIR's id: 1-64 of A-Z a-z 0-9 - .). */
const RELATIVE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
/** A RESTful absolute URL: server base, then `Type/id`, optionally versioned. */
const RESTFUL = /^([Hh][Tt][Tt][Pp][Ss]?:\/\/.+)\/([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export function isRelativeReference(reference: string): boolean {
  return RELATIVE.test(reference);
}

/**
 * One spelling per absolute URL, so `HTTPS://Fhir.Example/fhir/Patient/1` and
 * `https://fhir.example:443/fhir/Patient/1` compare equal: scheme and host are
 * case-insensitive and a default port is no port (URL does both). The path is
 * compared exactly. Anything else (urn:uuid, urn:oid) is kept as written.
 */
export function normalizeAbsolute(url: string): string {
  const bare = withoutHistory(url);
  if (!/^https?:\/\//i.test(bare)) return bare;
  try {
    const u = new URL(bare);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return bare;
  }
}

/** The server base of a RESTful fullUrl (`https://x/fhir` of `https://x/fhir/Patient/1`), normalized; else undefined. */
export function serverBaseOf(fullUrl: string | undefined): string | undefined {
  const m = fullUrl ? RESTFUL.exec(fullUrl.trim()) : null;
  return m?.[1] ? normalizeAbsolute(m[1]) : undefined;
}

/**
 * The `Type/id` a reference names on the server at `base` (normalized), or
 * undefined when it names something elsewhere: a relative reference is read
 * against `base`; an absolute one only when it lies on that same server.
 */
export function onServer(reference: string, base: string): string | undefined {
  const bare = withoutHistory(reference);
  if (RELATIVE.test(bare)) return bare;
  const m = RESTFUL.exec(bare);
  return m?.[1] && m[2] && normalizeAbsolute(m[1]) === base ? m[2] : undefined;
}

/**
 * Finds the Patient a (history-free) literal reference names among the patients
 * of the same response, or undefined when it names anyone or anything else.
 */
export type PatientLookup = (reference: string) => Patient | undefined;

function sameIdentifierExactly(a: Identifier, b: Identifier): boolean {
  return (a.system ?? '') === (b.system ?? '') && a.value === b.value;
}

/**
 * Every patient a clinical resource speaks of that the guard must still see,
 * beside the response's own Patients (empty when the subject is one of them):
 * - a literal reference that does not resolve to a Patient of the response (another
 *   server, a Patient not found, a Group...) is reported with no identifiers, so
 *   the guard rejects it whatever else is known;
 * - a reference to a contained Patient (`#p`) reports that Patient;
 * - an identifier in the reference reports that identifier unless the resolved
 *   Patient carries it itself, so one naming someone else rejects the response
 *   even beside a matching reference;
 * - a resource naming nobody is reported as an unidentified subject.
 */
export function unverifiedSubjects(resource: Resource, lookup: PatientLookup): SubjectIdentity[] {
  const ref = subjectReferenceOf(resource);
  const reference = nonEmpty(ref?.reference);
  const idValue = nonEmpty(ref?.identifier?.value);
  const idSystem = nonEmpty(ref?.identifier?.system);
  const identifier: Identifier | undefined = idValue ? (idSystem ? { system: idSystem, value: idValue } : { value: idValue }) : undefined;
  const out: SubjectIdentity[] = [];
  let named: Patient | undefined;
  if (reference) {
    if (reference.startsWith('#')) {
      // `contained` of the wrong shape holds no Patient we can read: the reference then names someone unknown.
      const list = (resource as { contained?: unknown }).contained;
      const contained = Array.isArray(list)
        ? (list as unknown[]).find((r): r is Resource => typeof r === 'object' && r !== null && (r as Resource).id === reference.slice(1))
        : undefined;
      if (contained?.resourceType === 'Patient') out.push(patientToSubject(contained, undefined));
      else out.push({ ref: reference, identifiers: [] });
    } else {
      named = lookup(withoutHistory(reference));
      if (!named) out.push({ ref: reference, identifiers: [] });
    }
  }
  if (identifier) {
    const carried =
      named && identifiersOf(named.identifier).some((id) => sameIdentifier(id, identifier) || sameIdentifierExactly(id, identifier));
    if (!carried) out.push({ identifiers: [identifier] });
  }
  // Nobody named: we cannot prove whose data it is, so it must not pass unseen.
  if (!reference && !identifier) out.push({ identifiers: [] });
  return out;
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
