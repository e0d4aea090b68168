/**
 * Whether two identifiers name the same patient. Used by the identity guard, so
 * every doubt answers "no": a response then fails as PATIENT_MISMATCH, which is
 * shown, instead of showing another patient's data.
 */
import type { Identifier } from '../summary';
import { nationalIdKindOfSystem } from './identifierSystems';
import { nationalIdOf } from './nationalIdOf';

/**
 * National id systems (by OID, `urn:oid:` or bare): same kind and the same
 * canonical number, so `19121212-1212` matches `191212121212`. Any other
 * system: the same system and the same value, exactly. An identifier without a
 * system or value matches nothing: nothing proves whose it is.
 */
export function sameIdentifier(a: Identifier, b: Identifier): boolean {
  if (!a.system || !b.system || !a.value || !b.value) return false;
  const kindA = nationalIdKindOfSystem(a.system);
  const kindB = nationalIdKindOfSystem(b.system);
  if (kindA !== undefined || kindB !== undefined) {
    if (kindA !== kindB || kindA === undefined) return false;
    const canonicalA = nationalIdOf(a)?.value;
    return canonicalA !== undefined && canonicalA === nationalIdOf(b)?.value;
  }
  return a.system === b.system && a.value === b.value;
}
