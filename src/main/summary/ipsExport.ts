/**
 * The summary as an International Patient Summary document (FHIR R4 Bundle of
 * type `document`, HL7 IPS sections and codes) — the basis of the HL7 Europe
 * patient summary the EHDS names. What is exported is exactly what the role
 * received (the caller passes the role-filtered summary): every item with its
 * sources (one identifier per source record, system `urn:samsyn:source:ID`),
 * every disagreement as a note naming each source's value, stated absences
 * ("no known allergies") as the entries their sources sent, and a section with
 * no entries given an empty reason from what each source said. Sections IPS has no place for (care
 * contacts, documents) are not exported; the Composition says so in a note.
 * Nothing is read from the network: this is a pure function of the summary.
 */
import { createHash } from 'node:crypto';
import type { DetailsOf } from '../../shared/details';
import type { SectionKey } from '../../shared/sections';
import type { MergedItem, MergedItemOf, Summary } from '../../shared/summary';

type Json = Record<string, unknown>;

/** IPS section codes (LOINC) and titles, in IPS order. */
const IPS_SECTIONS: Partial<Record<SectionKey, { code: string; display: string }>> = {
  alerts: { code: '104605-1', display: 'Alert' },
  allergies: { code: '48765-2', display: 'Allergies and adverse reactions Document' },
  medications: { code: '10160-0', display: 'History of Medication use Narrative' },
  problems: { code: '11450-4', display: 'Problem list - Reported' },
  results: { code: '30954-2', display: 'Relevant diagnostic tests/laboratory data Narrative' },
  immunizations: { code: '11369-6', display: 'History of Immunization Narrative' },
  procedures: { code: '47519-4', display: 'History of Procedures Document' },
  carePlans: { code: '18776-5', display: 'Plan of care note' },
  pregnancy: { code: '10162-6', display: 'History of pregnancies Narrative' },
  homeMeasurements: { code: '8716-3', display: 'Vital signs' },
};

/** IPS requires these three sections, with entries or a stated reason. */
const REQUIRED: readonly SectionKey[] = ['allergies', 'medications', 'problems'];

const LOINC = 'http://loinc.org';

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  // An RFC 4122 variant-1 UUID with version 5 bits, from the hash (stable across exports of the same summary).
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A section's narrative: one table row per entry, newest first (undated last). */
function narrativeTable(rows: { text: string; status?: string | undefined; date?: string | undefined; sources: string }[]): Json {
  const sorted = [...rows].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  const cell = (v: string | undefined) => `<td>${escapeXml(v ?? '')}</td>`;
  const body = sorted.map((r) => `<tr>${cell(r.text)}${cell(r.status)}${cell(r.date)}${cell(r.sources)}</tr>`).join('');
  return {
    status: 'generated',
    div: `<div xmlns="http://www.w3.org/1999/xhtml"><table><thead><tr><th>Item</th><th>Status</th><th>Date</th><th>Sources</th></tr></thead><tbody>${body}</tbody></table></div>`,
  };
}

function narrative(lines: string[]): Json {
  const body = lines.length > 0 ? `<ul>${lines.map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul>` : '<p>-</p>';
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}

/** A valid FHIR dateTime, or undefined (free text is never put in a date field). */
function dateTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.test(value) ? value : undefined;
}

function concept(item: Pick<MergedItem, 'codes' | 'text'>): Json {
  const coding = item.codes.filter((c) => c.code).map((c) => ({ ...(c.system ? { system: c.system } : {}), code: c.code, ...(c.display ? { display: c.display } : {}) }));
  return { ...(coding.length ? { coding } : {}), text: item.text };
}

function notesOf(item: MergedItem): Json[] {
  const notes = (item.details.notes ?? []).map((text) => ({ text }));
  for (const c of item.conflicts) {
    notes.push({ text: `Sources disagree on ${c.field}: ${c.values.map((v) => `${v.sourceId} "${v.value}"`).join('; ')}` });
  }
  if (item.corrected) notes.push({ text: 'Corrected by its source; the earlier version is kept in Samsyn.' });
  return notes;
}

function identifiers(item: MergedItem): Json[] {
  return item.sources.map((p) => ({ system: `urn:samsyn:source:${p.sourceId}`, value: p.recordId }));
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

function statusConcept(system: string, code: string | undefined): Json | undefined {
  return code ? { coding: [{ system, code }] } : undefined;
}

function quantityOrString(value: MergedItem['value']): Json {
  if (value === undefined) return {};
  if (typeof value === 'string') return { valueString: value };
  return { valueQuantity: { value: value.value, ...(value.unit ? { unit: value.unit } : {}), ...(value.comparator ? { comparator: value.comparator } : {}) } };
}

type Resource = Json & { resourceType: string };

function observation(item: MergedItemOf<'results'> | MergedItemOf<'pregnancy'> | MergedItemOf<'homeMeasurements'>, subject: Json, category: string): Resource {
  const d = item.details as DetailsOf<'results'>;
  const status = item.corrected ? 'corrected' : (pick(item.status, ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'unknown'] as const) ?? 'final');
  return {
    resourceType: 'Observation',
    status,
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
    code: concept(item),
    subject,
    ...(dateTime(item.date) ? { effectiveDateTime: item.date } : {}),
    ...quantityOrString(item.value),
    ...(d.interpretation?.length ? { interpretation: [{ coding: d.interpretation.filter((c) => c.code).map((c) => ({ system: c.system ?? 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: c.code })) }] } : {}),
    ...(d.referenceRange?.length
      ? {
          referenceRange: d.referenceRange.map((r) => ({
            ...(r.low ? { low: { value: r.low.value, ...(r.low.unit ? { unit: r.low.unit } : {}) } } : {}),
            ...(r.high ? { high: { value: r.high.value, ...(r.high.unit ? { unit: r.high.unit } : {}) } } : {}),
            ...(r.text ? { text: r.text } : {}),
          })),
        }
      : {}),
  };
}

/** One merged item as the FHIR resource IPS puts in its section. */
function resourceFor(item: MergedItem, subject: Json): Resource | undefined {
  const base = { identifier: identifiers(item) };
  const note = notesOf(item);
  const withNote = note.length ? { note } : {};
  switch (item.section) {
    case 'allergies': {
      const d = item.details;
      const clinical = pick(d.clinicalStatus, ['active', 'inactive', 'resolved'] as const);
      const verification = pick(d.verificationStatus, ['unconfirmed', 'confirmed', 'refuted', 'entered-in-error'] as const);
      const reactions = (d.reactions ?? []).filter((r) => r.manifestations.length > 0);
      return {
        resourceType: 'AllergyIntolerance',
        ...base,
        ...(clinical ? { clinicalStatus: statusConcept('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', clinical) } : {}),
        ...(verification ? { verificationStatus: statusConcept('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', verification) } : {}),
        ...(pick(d.type, ['allergy', 'intolerance'] as const) ? { type: d.type } : {}),
        ...(pick(d.criticality, ['low', 'high', 'unable-to-assess'] as const) ? { criticality: d.criticality } : {}),
        code: concept(item),
        patient: subject,
        ...(dateTime(item.date) ? { onsetDateTime: item.date } : {}),
        ...(reactions.length
          ? {
              reaction: reactions.map((r) => ({
                manifestation: r.manifestations.map((m) => ({ text: m })),
                ...(pick(r.severity, ['mild', 'moderate', 'severe'] as const) ? { severity: r.severity } : {}),
              })),
            }
          : {}),
        ...withNote,
      };
    }
    case 'medications': {
      const d = item.details;
      const status =
        pick(item.status, ['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken'] as const) ??
        (item.group === 'current' ? 'active' : item.group ? 'completed' : 'unknown');
      const dosage = [...(d.dosage ?? []), ...(d.dose && !(d.dosage ?? []).length ? [d.dose] : [])];
      return {
        resourceType: 'MedicationStatement',
        ...base,
        status,
        medicationCodeableConcept: concept(item),
        subject,
        ...(dateTime(item.date) || dateTime(d.periodEnd)
          ? { effectivePeriod: { ...(dateTime(item.date) ? { start: item.date } : {}), ...(dateTime(d.periodEnd) ? { end: d.periodEnd } : {}) } }
          : {}),
        ...(dosage.length ? { dosage: dosage.map((text) => ({ text })) } : {}),
        ...withNote,
      };
    }
    case 'problems': {
      const d = item.details;
      const clinical = pick(d.clinicalStatus, ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'] as const);
      const verification = pick(d.verificationStatus, ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'] as const);
      return {
        resourceType: 'Condition',
        ...base,
        ...(clinical ? { clinicalStatus: statusConcept('http://terminology.hl7.org/CodeSystem/condition-clinical', clinical) } : {}),
        ...(verification ? { verificationStatus: statusConcept('http://terminology.hl7.org/CodeSystem/condition-ver-status', verification) } : {}),
        code: concept(item),
        subject,
        ...(dateTime(item.date) ? { onsetDateTime: item.date } : {}),
        ...withNote,
      };
    }
    case 'results':
      return { ...observation(item, subject, 'laboratory'), ...base, ...withNote };
    case 'pregnancy':
      return { ...observation(item, subject, 'social-history'), ...base, ...withNote };
    case 'homeMeasurements':
      return { ...observation(item, subject, 'vital-signs'), ...base, ...withNote };
    case 'immunizations':
      return {
        resourceType: 'Immunization',
        ...base,
        status: pick(item.status, ['completed', 'entered-in-error', 'not-done'] as const) ?? 'completed',
        vaccineCode: concept(item),
        patient: subject,
        ...(dateTime(item.date) ? { occurrenceDateTime: item.date } : { occurrenceString: item.details.occurrenceText ?? 'unknown' }),
        ...withNote,
      };
    case 'procedures':
      return {
        resourceType: 'Procedure',
        ...base,
        status: pick(item.status, ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'unknown'] as const) ?? 'completed',
        code: concept(item),
        subject,
        ...(dateTime(item.date) ? { performedDateTime: item.date } : {}),
        ...withNote,
      };
    case 'alerts':
      return {
        resourceType: 'Flag',
        ...base,
        status: pick(item.status, ['active', 'inactive'] as const) ?? 'active',
        code: concept(item),
        subject,
      };
    case 'carePlans':
      return {
        resourceType: 'CarePlan',
        ...base,
        status: pick(item.status, ['draft', 'active', 'on-hold', 'revoked', 'completed', 'unknown'] as const) ?? 'unknown',
        intent: 'plan',
        title: item.text,
        subject,
        ...withNote,
      };
    default:
      return undefined;
  }
}

/** "Region Nord: none known", per source, for a section with no entries. */
function absenceLines(summary: Summary, section: SectionKey): string[] {
  const names = new Map(summary.sources.map((s) => [s.sourceId, s.name]));
  return (summary.coverage ?? []).flatMap((c) => {
    const state = c.sections[section];
    return state ? [`${names.get(c.sourceId) ?? c.sourceId}: ${state}`] : [];
  });
}

function emptyReason(summary: Summary, section: SectionKey): Json {
  const states = (summary.coverage ?? []).map((c) => c.sections[section]);
  // Nil known only when every source answered and one states none; a source that did not answer leaves it unavailable.
  const code = !states.includes('notAnswered') && states.includes('noneKnown') ? 'nilknown' : 'unavailable';
  return { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code }] };
}

export interface IpsOptions {
  /** Who exports (shown as the Composition's attester); never a national id. */
  exportedBy?: string;
}

/** The summary as an IPS document Bundle. */
export function toIpsBundle(summary: Summary, options: IpsOptions = {}): Json {
  const seed = `${summary.patient.identifier.system ?? ''}|${summary.patient.identifier.value}|${summary.generatedAt}`;
  const patientUrl = `urn:uuid:${uuid(`${seed}|patient`)}`;
  const deviceUrl = `urn:uuid:${uuid(`${seed}|device`)}`;
  const subject = { reference: patientUrl, type: 'Patient' };
  const p = summary.patient;
  const patient: Resource = {
    resourceType: 'Patient',
    identifier: [{ ...(p.identifier.system ? { system: p.identifier.system } : {}), value: p.identifier.value }],
    ...(p.name ? { name: [{ text: p.name }] } : {}),
    ...(pick(p.gender, ['male', 'female', 'other', 'unknown'] as const) ? { gender: p.gender } : {}),
    ...(dateTime(p.birthDate) ? { birthDate: p.birthDate } : {}),
  };
  const device: Resource = { resourceType: 'Device', deviceName: [{ name: 'Samsyn', type: 'manufacturer-name' }] };
  const entries: { fullUrl: string; resource: Resource }[] = [];
  const sections: Json[] = [];
  const order = (summary.view?.sections ?? Object.keys(IPS_SECTIONS)) as SectionKey[];
  const sectionKeys = [...order.filter((k) => IPS_SECTIONS[k]), ...REQUIRED.filter((k) => !order.includes(k))];
  for (const key of sectionKeys) {
    const ips = IPS_SECTIONS[key];
    if (!ips) continue;
    const refs: Json[] = [];
    const rows: Parameters<typeof narrativeTable>[0] = [];
    for (const item of summary.sections[key] as MergedItem[]) {
      const resource = resourceFor(item, subject);
      if (!resource) continue;
      const fullUrl = `urn:uuid:${uuid(`${seed}|${key}|${item.key}`)}`;
      entries.push({ fullUrl, resource });
      refs.push({ reference: fullUrl, type: resource.resourceType });
      rows.push({ text: item.text, status: item.status, date: item.date, sources: [...new Set(item.sources.map((s) => s.sourceName))].join(', ') });
    }
    const withheld = !order.includes(key);
    sections.push({
      title: ips.display,
      code: { coding: [{ system: LOINC, code: ips.code, display: ips.display }] },
      text: refs.length ? narrativeTable(rows) : narrative(withheld ? ['Not part of the exporting role’s view'] : absenceLines(summary, key)),
      ...(refs.length ? { entry: refs } : { emptyReason: withheld ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'withheld' }] } : emptyReason(summary, key) }),
    });
  }
  const notExported = (['encounters', 'documents'] as const).filter((k) => summary.sections[k].length > 0);
  const sourceLines = summary.sources.map((s) => `${s.name}: ${s.state}${s.fetchedAt ? ` (${s.fetchedAt})` : ''}`);
  const composition: Resource = {
    resourceType: 'Composition',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuid(`${seed}|composition`)}` },
    status: 'final',
    type: { coding: [{ system: LOINC, code: '60591-5', display: 'Patient summary Document' }] },
    subject,
    date: summary.generatedAt,
    author: [{ reference: deviceUrl, type: 'Device' }],
    title: 'International Patient Summary',
    confidentiality: 'N',
    ...(options.exportedBy ? { attester: [{ mode: 'professional', time: summary.generatedAt, party: { display: options.exportedBy } }] } : {}),
    section: [
      ...sections,
      {
        title: 'Sources',
        text: narrative([
          ...sourceLines,
          ...(summary.fromCache ? ['Some of this summary comes from the local cache; see each source’s time.'] : []),
          ...(notExported.length ? [`Not exported (no IPS section): ${notExported.join(', ')}`] : []),
        ]),
      },
    ],
  };
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuid(`${seed}|bundle`)}` },
    type: 'document',
    timestamp: summary.generatedAt,
    entry: [
      { fullUrl: `urn:uuid:${uuid(`${seed}|composition`)}`, resource: composition },
      { fullUrl: patientUrl, resource: patient },
      { fullUrl: deviceUrl, resource: device },
      ...entries,
    ],
  };
}
