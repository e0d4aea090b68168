/**
 * PID → SubjectIdentity. Every PID-3 repetition is an identifier: the value is
 * CX.1 and the system its assigning authority (CX.4: namespace, universal id).
 * A national-id authority (by its registered OID) becomes `urn:oid:<oid>`, the
 * form FHIR sources use; any other authority is kept as given, once per
 * spelling (namespace and universal id), so `AUTHORITY|ID` matches either.
 *
 * A PID-3 value without an authority (common in real feeds) is an identifier
 * with no system: only a `|VALUE` request matches it, unless the source
 * configures a default authority (withDefaultAuthority), which then becomes its
 * system. PID-2 and PID-4 name *other* systems' numbers, so without an authority
 * they are dropped: neither the sender's default authority nor `|VALUE` may
 * claim them.
 */
import type { Identifier } from '../../../../shared/summary';
import { nationalIdKindOfSystem } from '../../../../shared/identity/identifierSystems';
import { NATIONAL_ID_SYSTEMS } from '../../../../shared/identity/types';
import type { SubjectIdentity } from '../../types';
import type { Hl7Segment } from '../hl7Parse';
import { hl7Date, nonEmpty } from './common';

function authoritySystems(authority: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const part of (authority ?? []).slice(0, 2)) {
    const value = part.trim();
    if (!value) continue;
    const kind = nationalIdKindOfSystem(value);
    const system = kind ? NATIONAL_ID_SYSTEMS[kind] : value;
    if (!out.includes(system)) out.push(system);
  }
  return out;
}

function pidIdentifiers(pid: Hl7Segment): Identifier[] {
  const out: Identifier[] = [];
  // PID-2 (external id) and PID-4 (alternate id) were withdrawn in favour of PID-3 but still arrive from 2.3 systems.
  for (const field of [3, 2, 4]) {
    // Read value by value (Hl7Segment.get equals reps(n)[r][c - 1][s - 1]): no arrays built for every component.
    const count = pid.repetitions(field);
    for (let r = 0; r < count; r++) {
      const value = pid.get(field, 1, 1, r).trim();
      if (!value) continue;
      // CX.4 assigning authority: namespace id and universal id (subcomponents 1 and 2).
      const systems = authoritySystems([pid.get(field, 4, 1, r), pid.get(field, 4, 2, r)]);
      if (systems.length === 0 && field === 3) out.push({ value });
      for (const system of systems) out.push({ system, value });
    }
  }
  return out;
}

/**
 * The system a configured default assigning authority stands for (a national
 * id OID becomes `urn:oid:<oid>`, as in PID-3), or undefined when none is set.
 */
export function defaultAuthoritySystem(authority: string | undefined): string | undefined {
  return authoritySystems(authority === undefined ? undefined : [authority])[0];
}

/**
 * The subject with the source's default assigning authority given to every
 * identifier that has no system (only PID-3 values lack one, see pidIdentifiers).
 * Without a default authority the subject is returned as it is.
 */
export function withDefaultAuthority(subject: SubjectIdentity, authority: string | undefined): SubjectIdentity {
  const system = defaultAuthoritySystem(authority);
  if (!system || subject.identifiers.every((id) => id.system)) return subject;
  const identifiers: Identifier[] = [];
  for (const id of subject.identifiers) {
    const assigned = id.system ? id : { system, value: id.value };
    if (!identifiers.some((o) => o.system === assigned.system && o.value === assigned.value)) identifiers.push(assigned);
  }
  return { ...subject, identifiers };
}

export function pidToSubject(pid: Hl7Segment): SubjectIdentity {
  const subject: SubjectIdentity = { identifiers: pidIdentifiers(pid) };
  const family = nonEmpty(pid.get(5, 1));
  const given = nonEmpty(pid.get(5, 2));
  const name = [given, family].filter(Boolean).join(' ');
  if (name) subject.name = name;
  const birth = hl7Date(pid.get(7).slice(0, 8));
  if (birth && birth.length === 10) subject.birthDate = birth;
  const sex = pid.get(8).toUpperCase();
  if (sex === 'F') subject.gender = 'female';
  else if (sex === 'M') subject.gender = 'male';
  else if (sex) subject.gender = sex === 'O' ? 'other' : 'unknown';
  // PID-11 (first repetition): street, other designation, city (3), postal code (5), country (6).
  const place = [nonEmpty(pid.get(11, 5)), nonEmpty(pid.get(11, 3))].filter(Boolean).join(' ');
  const address = [nonEmpty(pid.get(11, 1)), nonEmpty(pid.get(11, 2)), place, nonEmpty(pid.get(11, 6))].filter(Boolean).join(', ');
  if (address) subject.address = address;
  return subject;
}
