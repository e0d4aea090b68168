/**
 * One table of code systems: the canonical URI of each system Samsyn merges on,
 * and every other name it arrives under (OIDs from FHIR sources, HL7 v2 table
 * 0396 names and the names Nordic systems use). Both protocol families and the
 * merge use it, so the same code merges across FHIR and HL7 v2.
 */
export const CODE_SYSTEMS = {
  atc: { uri: 'http://www.whocc.no/atc', aliases: ['urn:oid:2.16.840.1.113883.6.73', 'urn:oid:1.2.752.129.2.2.3.1.1'], hl7: ['WC', 'ATC'] },
  /** Läkemedelsverket's product id (NPL-id), as Swedish systems and the national medication list send it. */
  nplId: { uri: 'urn:oid:1.2.752.129.2.1.5.1', aliases: [], hl7: ['NPL', 'NPL-ID'] },
  snomed: { uri: 'http://snomed.info/sct', aliases: ['urn:oid:2.16.840.1.113883.6.96'], hl7: ['SCT', 'SNM', 'SNOMED', 'SNOMED-CT'] },
  loinc: { uri: 'http://loinc.org', aliases: ['urn:oid:2.16.840.1.113883.6.1'], hl7: ['LN', 'LOINC'] },
  icd10: { uri: 'http://hl7.org/fhir/sid/icd-10', aliases: ['urn:oid:2.16.840.1.113883.6.3'], hl7: ['I10', 'ICD-10', 'ICD10'] },
  icd10se: { uri: 'urn:oid:1.2.752.116.1.1.1.1.3', aliases: [], hl7: ['I10SE', 'ICD-10-SE'] },
  icpc2: { uri: 'http://hl7.org/fhir/sid/icpc-2', aliases: [], hl7: ['ICPC2', 'ICPC-2'] },
  cvx: { uri: 'http://hl7.org/fhir/sid/cvx', aliases: [], hl7: ['CVX'] },
  npu: { uri: 'urn:oid:1.2.208.176.2.1', aliases: [], hl7: ['NPU'] },
  ucum: { uri: 'http://unitsofmeasure.org', aliases: [], hl7: ['UCUM'] },
} as const;

export type CodeSystemName = keyof typeof CODE_SYSTEMS;

/** The canonical URI of a system Samsyn knows by name. */
export function systemUri(name: CodeSystemName): string {
  return CODE_SYSTEMS[name].uri;
}

const BY_ALIAS = new Map<string, string>();
const BY_HL7_NAME = new Map<string, string>();
for (const system of Object.values(CODE_SYSTEMS)) {
  for (const alias of system.aliases) BY_ALIAS.set(alias, system.uri);
  for (const name of system.hl7) BY_HL7_NAME.set(name, system.uri);
}

/** A system URI in its canonical spelling (an OID alias to its URI, no trailing slash). */
export function normalizeSystem(system: string | undefined): string {
  const s = (system ?? '').trim();
  return BY_ALIAS.get(s) ?? s.replace(/\/+$/, '');
}

/**
 * A system URI for an HL7 v2 coding-system name: a dotted OID becomes
 * urn:oid:…, a known name its URI; an unknown name is kept as given, never guessed.
 */
export function hl7CodingSystem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)+$/.test(trimmed)) return `urn:oid:${trimmed}`;
  return BY_HL7_NAME.get(trimmed.toUpperCase()) ?? trimmed;
}
