/**
 * What a clinician (or the CLI's --patient) may type to open a patient: a
 * national id, or any other identifier as a FHIR token SYSTEM|VALUE. As in a
 * FHIR search, `|VALUE` (nothing before the bar) means an identifier that has
 * no system: it is matched only against identifiers without a system.
 */
import { fail, ok, type Result } from '../errors';
import type { Identifier } from '../summary';
import { nationalIdKindOfSystem } from './identifierSystems';
import { parseNationalId } from './parseNationalId';
import { NATIONAL_ID_COUNTRY, NATIONAL_ID_SYSTEMS, type NationalId, type NationalIdParseOptions } from './types';

export interface PatientInput {
  /** The identifier sent to sources: for a national id its OID system and canonical value. */
  identifier: Identifier;
  nationalId?: NationalId;
}

function fromNationalId(id: NationalId): PatientInput {
  return { identifier: { system: NATIONAL_ID_SYSTEMS[id.kind], value: id.value }, nationalId: id };
}

export function parsePatientInput(input: string, options: NationalIdParseOptions = {}): Result<PatientInput> {
  const text = input.trim();
  if (text === '') return fail('ID_EMPTY');
  const bar = text.indexOf('|');
  if (bar === -1) {
    const parsed = parseNationalId(text, options);
    return parsed.ok ? ok(fromNationalId(parsed.value)) : parsed;
  }

  // A local identifier is the source's own business: it is passed on exactly as
  // typed (no trimming inside, no case change), because only the source knows
  // what its values mean.
  const system = text.slice(0, bar);
  const value = text.slice(bar + 1);
  if (value.trim() === '') return fail('IDENTIFIER_TOKEN_INVALID');
  // `|VALUE`: an identifier with no system (FHIR token semantics). The text is
  // trimmed, so a system is either absent or starts with a non-blank.
  if (system === '') return ok({ identifier: { value } });

  const kind = nationalIdKindOfSystem(system);
  if (kind === undefined) return ok({ identifier: { system, value } });

  const country = NATIONAL_ID_COUNTRY[kind];
  const parsed = parseNationalId(value, { ...options, country });
  if (!parsed.ok) return parsed;
  // The value is a valid number of another kind than its system says (e.g. a
  // samordningsnummer under the personnummer OID): one of the two is wrong.
  if (parsed.value.kind !== kind) return fail('IDENTIFIER_TOKEN_INVALID', { country, reason: 'kind' });
  return ok(fromNationalId(parsed.value));
}
