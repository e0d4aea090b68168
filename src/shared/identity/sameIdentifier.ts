/**
 * Whether two identifiers name the same patient. Used by the identity guard, so
 * every doubt answers "no": a response then fails as PATIENT_MISMATCH, which is
 * shown, instead of showing another patient's data.
 */
import type { Identifier } from '../summary';
import { nationalIdKindOfSystem } from './identifierSystems';
import { parseNationalId } from './parseNationalId';
import { NATIONAL_ID_COUNTRY, type NationalIdKind } from './types';

/**
 * The canonical value for comparison, or undefined when the value is not a valid
 * number of that kind. A Swedish value with 10 digits is refused: its century
 * would be chosen from today's date, and a match must not rest on that choice.
 */
function canonicalForMatching(value: string, kind: NationalIdKind): string | undefined {
  const country = NATIONAL_ID_COUNTRY[kind];
  if (country === 'SE' && value.replace(/\D/g, '').length !== 12) return undefined;
  const parsed = parseNationalId(value, { country });
  return parsed.ok && parsed.value.kind === kind ? parsed.value.value : undefined;
}

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
    const canonicalA = canonicalForMatching(a.value, kindA);
    return canonicalA !== undefined && canonicalA === canonicalForMatching(b.value, kindA);
  }
  return a.system === b.system && a.value === b.value;
}
