/**
 * Small helpers shared by the HL7 v2 segment mappers: coded elements, HL7
 * dates, provenance. Free of I/O so MLLP, batch folders and the CLI map alike.
 */
import type { ClinicalItem, Coding, Provenance } from '../../../../shared/summary';
import { item } from '../../fhir/mappers/common';
import type { Hl7Rep, Hl7Segment } from '../hl7Parse';

/** One blank test for both source kinds. */
export { nonEmpty } from '../../fhir/mappers/common';

export interface Hl7MapContext {
  sourceId: string;
  sourceName: string;
  fetchedAt: string;
  /** Prefix for record ids: makes them unique per message (e.g. the file and message number). */
  recordPrefix: string;
}

/**
 * HL7 coding-system names (table 0396 and the names Nordic systems use) →
 * the system URIs the FHIR sources use, so the same code merges across both.
 */
const CODING_SYSTEMS: Record<string, string> = {
  LN: 'http://loinc.org',
  LOINC: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
  'SNOMED-CT': 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  'ICD-10': 'http://hl7.org/fhir/sid/icd-10',
  ICD10: 'http://hl7.org/fhir/sid/icd-10',
  I10SE: 'urn:oid:1.2.752.116.1.1.1.1.3',
  'ICD-10-SE': 'urn:oid:1.2.752.116.1.1.1.1.3',
  ICPC2: 'http://hl7.org/fhir/sid/icpc-2',
  'ICPC-2': 'http://hl7.org/fhir/sid/icpc-2',
  WC: 'http://www.whocc.no/atc',
  ATC: 'http://www.whocc.no/atc',
  CVX: 'http://hl7.org/fhir/sid/cvx',
  NPU: 'urn:oid:1.2.208.176.2.1',
  UCUM: 'http://unitsofmeasure.org',
};

/** A system URI for an HL7 coding-system name; an unknown name is kept as given, never guessed. */
export function codingSystem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)+$/.test(trimmed)) return `urn:oid:${trimmed}`;
  return CODING_SYSTEMS[trimmed.toUpperCase()] ?? trimmed;
}

function triplet(rep: Hl7Rep, offset: number): Coding | undefined {
  const code = rep[offset]?.[0]?.trim() ?? '';
  const display = rep[offset + 1]?.[0]?.trim() ?? '';
  const system = codingSystem(rep[offset + 2]?.[0] ?? '');
  if (!code && !display) return undefined;
  const coding: Coding = {};
  if (system) coding.system = system;
  if (code) coding.code = code;
  if (display) coding.display = display;
  return coding;
}

/** CE / CWE: the identifier triplet and the alternate triplet, every repetition. */
export function codingsOf(segment: Hl7Segment, field: number): Coding[] {
  const out: Coding[] = [];
  for (const rep of segment.reps(field)) {
    for (const offset of [0, 3]) {
      const coding = triplet(rep, offset);
      if (coding?.code) out.push(coding);
    }
  }
  return out;
}

/** Human text of a CE: its text component, else the alternate text, else the code. */
export function codedText(segment: Hl7Segment, field: number): string | undefined {
  const rep = segment.reps(field)[0];
  if (!rep) return undefined;
  for (const c of [1, 4, 8, 0, 3]) {
    const value = rep[c]?.[0]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * HL7 TS/DTM → ISO 8601 at the precision given: 2026 → "2026", 20260915 →
 * "2026-09-15", 202609150900+0100 → "2026-09-15T09:00:00+01:00". Invalid → undefined.
 */
export function hl7Date(value: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,4}))?)?([+-]\d{4})?$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if ((mo && (+mo < 1 || +mo > 12)) || (d && (+d < 1 || +d > 31)) || (h && +h > 23) || (mi && +mi > 59)) {
    return undefined;
  }
  let out = y as string;
  if (mo) out += `-${mo}`;
  if (d) out += `-${d}`;
  if (d && h) {
    out += `T${h}:${mi ?? '00'}:${s ?? '00'}${frac ? `.${frac}` : ''}`;
    if (tz) out += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return out;
}

export function provenance(ctx: Hl7MapContext, recordId: string, recordedAt?: string): Provenance {
  const p: Provenance = {
    sourceId: ctx.sourceId,
    sourceName: ctx.sourceName,
    recordId: `${ctx.recordPrefix}${recordId}`,
    fetchedAt: ctx.fetchedAt,
  };
  // Never MSH-7 as a fallback: in a query response it is the time of the answer,
  // and showing it as the record's date would make an old fact look new.
  if (recordedAt) p.recordedAt = recordedAt;
  return p;
}

/** Builds an item the way the FHIR mappers do, so items from both merge alike. */
export function hl7Item(fields: Omit<Parameters<typeof item>[0], 'sealed'>): ClinicalItem {
  // HL7 v2 has no agreed confidentiality marker in these segments; sealed
  // information from v2 sources is a later issue (see the report).
  return item({ ...fields, sealed: false });
}
