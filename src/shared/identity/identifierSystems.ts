import { NATIONAL_ID_SYSTEMS, type NationalIdKind } from './types';

const KIND_BY_OID = new Map<string, NationalIdKind>(
  (Object.entries(NATIONAL_ID_SYSTEMS) as [NationalIdKind, string][]).map(([kind, system]) => [
    system.replace(/^urn:oid:/, ''),
    kind,
  ]),
);

/**
 * The national id kind an identifier system names, or undefined. The OID is
 * recognized both as `urn:oid:<oid>` (FHIR) and bare (HL7 v2 assigning
 * authorities carry the OID alone): both spell the same registered OID, so this
 * is not a guess.
 */
export function nationalIdKindOfSystem(system: string | undefined): NationalIdKind | undefined {
  if (!system) return undefined;
  const oid = /^urn:oid:/i.test(system) ? system.slice('urn:oid:'.length) : system;
  return KIND_BY_OID.get(oid);
}
