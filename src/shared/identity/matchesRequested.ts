/**
 * Whether an identifier a source gave names the identifier the clinician asked
 * for, with FHIR token semantics:
 * - asked with a system (`SYSTEM|VALUE`, a national id): sameIdentifier, so the
 *   source's identifier must carry the same system (national ids: the same kind
 *   and canonical number);
 * - asked without a system (`|VALUE`): only an identifier that has no system
 *   either, with exactly the same value. Never an identifier under a national id
 *   OID or any other system: nothing is matched across systems.
 */
import type { Identifier } from '../summary';
import { sameIdentifier } from './sameIdentifier';

export function matchesRequested(candidate: Identifier, requested: Identifier): boolean {
  if (requested.system) return sameIdentifier(candidate, requested);
  if (candidate.system) return false;
  return requested.value !== '' && candidate.value === requested.value;
}
