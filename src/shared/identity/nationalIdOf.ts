import type { Identifier } from '../summary';
import { nationalIdKindOfSystem } from './identifierSystems';
import { parseNationalId } from './parseNationalId';
import { NATIONAL_ID_COUNTRY, type NationalId } from './types';

/**
 * The national id an identifier carries: its system names a national id kind
 * (by OID, `urn:oid:` or bare) and its value is a valid number of exactly that
 * kind. A Swedish value with 10 digits is refused: its century would be chosen
 * from today's date, and neither a match nor a birth date may rest on that choice.
 */
export function nationalIdOf(identifier: Identifier): NationalId | undefined {
  const kind = nationalIdKindOfSystem(identifier.system);
  if (kind === undefined || !identifier.value) return undefined;
  const country = NATIONAL_ID_COUNTRY[kind];
  if (country === 'SE' && identifier.value.replace(/\D/g, '').length !== 12) return undefined;
  const parsed = parseNationalId(identifier.value, { country });
  return parsed.ok && parsed.value.kind === kind ? parsed.value : undefined;
}
