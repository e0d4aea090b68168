/**
 * What each role receives of real summaries built over the sandbox regions
 * (issue 10 item 3). The filter runs on the merged summary in the main
 * process; these tests check the summary a role gets, not what a screen hides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { filterForRole, isWholeView } from '../../../src/main/access/roleFilter';
import { BUILTIN_PROFILES, roleProfiles, rolesConfigSchema } from '../../../src/main/access/roleProfiles';
import { kindsOf } from '../../../src/main/access/itemKinds';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createSummaryService, type SummaryService } from '../../../src/main/summary/summaryService';
import { SECTION_KEYS, summarySchema, type Summary } from '../../../src/shared/summary';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;
let service: SummaryService;
const summaries = new Map<string, Summary>();

const codesIn = (s: Summary, section: keyof Summary['sections']) => s.sections[section].flatMap((i) => i.codes.map((c) => c.code));

beforeAll(async () => {
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
  const sources = createSourceAdapters({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 2_000, enabled: true },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 2_000, enabled: true },
    ],
  });
  service = createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') });
  for (const key of ['tolvan', 'matti', 'kari']) summaries.set(key, await service.open(sandboxQuery(key, NOW)));
});

afterAll(async () => {
  await Promise.all([nord.close(), syd.close()]);
});

const summary = (key: string) => summaries.get(key) as Summary;

describe('role views over real summaries', () => {
  it('a nurse receives the whole summary unchanged, in IPS order', () => {
    const s = summary('tolvan');
    const view = filterForRole(s, BUILTIN_PROFILES.nurse);
    expect(isWholeView(BUILTIN_PROFILES.nurse)).toBe(true);
    expect(view.sections).toEqual(s.sections);
    expect(view.view).toEqual({ role: 'nurse', sections: [...SECTION_KEYS], filtered: [] });
    expect(() => summarySchema.parse(view)).not.toThrow();
  });

  it('dental care receives allergies and the anticoagulant, never the other drugs, diagnoses or lab values', () => {
    const s = summary('tolvan');
    const view = filterForRole(s, BUILTIN_PROFILES.dental);
    expect(() => summarySchema.parse(view)).not.toThrow();
    // Allergies whole.
    expect(view.sections.allergies).toEqual(s.sections.allergies);
    // Apixaban (B01AF02) only, marked as antithrombotic; metoprolol, furosemide, zopiclone... withheld.
    expect(codesIn(view, 'medications')).toEqual(['B01AF02']);
    expect(view.sections.medications[0]?.relevance).toEqual(['antithrombotic']);
    expect(codesIn(s, 'medications')).toContain('N05CF01');
    // Atrial fibrillation, heart failure, cataract are not dental kinds.
    expect(view.sections.problems).toEqual([]);
    expect(s.sections.problems.length).toBeGreaterThan(0);
    // INR is the one lab value a dentist gets; creatinine, LDL are withheld.
    expect(codesIn(view, 'results')).toEqual(['6301-6']);
    for (const section of ['immunizations', 'encounters', 'documents', 'carePlans', 'pregnancy', 'homeMeasurements'] as const) {
      expect(view.sections[section]).toEqual([]);
    }
    // Source counts are of what the role received, not of everything each source holds.
    for (const status of view.sources) {
      const received = Object.values(view.sections).flat().flatMap((i) => i.sources).filter((p) => p.sourceId === status.sourceId).length;
      expect(status.itemCount).toBe(received);
      expect(status.itemCount).toBeLessThan(s.sources.find((x) => x.sourceId === status.sourceId)?.itemCount ?? 0);
    }
    expect(view.view).toEqual({
      role: 'dental',
      sections: ['alerts', 'allergies', 'medications', 'problems', 'procedures', 'results'],
      filtered: ['medications', 'problems', 'procedures', 'results'],
    });
  });

  it('dental coverage says "none of your kinds" where a source has entries it does not receive, and drops sections it does not receive', () => {
    const view = filterForRole(summary('tolvan'), BUILTIN_PROFILES.dental);
    for (const c of view.coverage ?? []) {
      expect(Object.keys(c.sections).every((k) => view.view?.sections.includes(k as never))).toBe(true);
      // Both regions have diagnoses, none of a dental kind.
      expect(c.sections.problems).toBe('noneOfKind');
      // Both hold apixaban: their medication entries are of a dental kind.
      expect(c.sections.medications).toBe('items');
      expect(c.sections.encounters).toBeUndefined();
    }
  });

  it('dental care receives a diabetic patient’s diabetes and antidiabetics, not the hypertension or sleep apnoea', () => {
    const view = filterForRole(summary('matti'), BUILTIN_PROFILES.dental);
    expect(codesIn(view, 'problems')).toEqual(['E11.9']);
    expect(new Set(codesIn(view, 'medications'))).toEqual(new Set(['A10BA02', 'A10BJ06']));
    expect(view.sections.problems[0]?.relevance).toEqual(['diabetes']);
    expect(codesIn(view, 'results')).toEqual([]);
  });

  it('municipal care receives its sections in its order and nothing of pregnancy or procedures', () => {
    const s = summary('tolvan');
    const view = filterForRole(s, BUILTIN_PROFILES.municipalCare);
    expect(view.view?.sections.slice(0, 6)).toEqual(['alerts', 'allergies', 'homeMeasurements', 'medications', 'carePlans', 'encounters']);
    expect(view.sections.medications).toEqual(s.sections.medications);
    expect(view.sections.carePlans).toEqual(s.sections.carePlans);
    expect(s.sections.procedures.length).toBeGreaterThan(0);
    expect(view.sections.procedures).toEqual([]);
    expect(view.view?.filtered).toEqual([]);
  });

  it('the configuration can replace a built-in profile and add one; unknown kinds and sections are refused', () => {
    const configured = rolesConfigSchema.parse({
      dental: { sections: ['allergies', 'medications'], items: { medications: ['antithrombotic'] } },
      pharmacist: { sections: ['allergies', 'medications', 'results'] },
    });
    const profiles = roleProfiles(configured);
    expect(profiles.get('dental')?.sections).toEqual(['allergies', 'medications']);
    expect(profiles.get('pharmacist')?.id).toBe('pharmacist');
    expect(profiles.get('nurse')).toEqual(BUILTIN_PROFILES.nurse);
    const view = filterForRole(summary('tolvan'), profiles.get('pharmacist')!);
    expect(view.sections.problems).toEqual([]);
    expect(view.sections.results.length).toBeGreaterThan(1);
    expect(rolesConfigSchema.safeParse({ x: { sections: ['allergies'], items: { allergies: ['nonsense'] } } }).success).toBe(false);
    expect(rolesConfigSchema.safeParse({ x: { sections: ['allergies'], items: { medications: ['antithrombotic'] } } }).success).toBe(false);
    expect(rolesConfigSchema.safeParse({ x: { sections: ['allergies', 'allergies'] } }).success).toBe(false);
    expect(rolesConfigSchema.safeParse({ x: { sections: ['nope'] } }).success).toBe(false);
  });
});

describe('item kinds', () => {
  it('match code prefixes across ICD-10 spellings and never free text', () => {
    expect(kindsOf('problems', [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'D68.3' }], ['bleedingDisorder'])).toEqual(['bleedingDisorder']);
    expect(kindsOf('problems', [{ system: 'urn:oid:1.2.752.116.1.1.1.1.3', code: 'D683' }], ['bleedingDisorder'])).toEqual(['bleedingDisorder']);
    expect(kindsOf('problems', [{ system: 'urn:oid:2.16.840.1.113883.6.3', code: 'Z95.2' }], ['endocarditisRisk'])).toEqual(['endocarditisRisk']);
    expect(kindsOf('problems', [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'D70' }], ['bleedingDisorder'])).toEqual([]);
    expect(kindsOf('medications', [{ system: 'http://www.whocc.no/atc', code: 'M05BA04' }], ['antiresorptive'])).toEqual(['antiresorptive']);
    expect(kindsOf('medications', [{ system: 'http://www.whocc.no/atc', code: 'M05BX03' }], ['antiresorptive'])).toEqual([]);
    // The same code in a section the kind does not cover, or in another system, is not of the kind.
    expect(kindsOf('results', [{ system: 'http://www.whocc.no/atc', code: 'B01AA03' }], ['antithrombotic'])).toEqual([]);
    expect(kindsOf('medications', [{ system: 'http://snomed.info/sct', code: 'B01AA03' }], ['antithrombotic'])).toEqual([]);
    expect(kindsOf('medications', [{ system: 'http://www.whocc.no/atc' }], ['antithrombotic'])).toEqual([]);
  });
});
