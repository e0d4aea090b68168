/**
 * Issue 14.1 (b): FHIR resources of the wrong shape end as items the shared
 * schema accepts or as a coded error, never INTERNAL (the harness and its
 * mutations: test/fuzz/fhirShapes.ts; a longer run: `npm run fuzz`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkResource, mutateResource, RESOURCES } from '../../../../fuzz/fhirShapes';
import { pick, prng } from '../../../../fuzz/mutate';

describe('FHIR resources of the wrong shape', () => {
  it('has real resources to mutate', () => {
    expect(RESOURCES.length).toBeGreaterThan(100);
    for (const { resource, patient } of RESOURCES) expect(checkResource(resource, patient), resource.resourceType).toBeUndefined();
  });

  it('each end as items the schema accepts or a coded error, never INTERNAL (mutated Synthea and IPS resources)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s) => {
        const rng = prng(s);
        const { resource, patient } = pick(rng, RESOURCES);
        const mutated = mutateResource(rng, resource);
        expect(checkResource(mutated, patient), `${resource.resourceType} seed ${s}: ${JSON.stringify(mutated).slice(0, 300)}`).toBeUndefined();
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the shapes issue 14 names', () => {
  const first = (type: string) => {
    const found = RESOURCES.find((r) => r.resource.resourceType === type);
    if (!found) throw new Error(`no ${type} in the fixtures`);
    return found;
  };
  const cases: [string, string, (r: Record<string, unknown>) => void][] = [
    ['code a string', 'Condition', (r) => (r.code = 'diabetes')],
    ['coding not a list', 'Observation', (r) => (r.code = { coding: { system: 'http://loinc.org', code: '718-7' } })],
    ['dosageInstruction an object', 'MedicationRequest', (r) => (r.dosageInstruction = { text: 'twice a day' })],
    ['reaction a number', 'AllergyIntolerance', (r) => (r.reaction = 3)],
    ['period.start a number', 'Encounter', (r) => (r.period = { start: 20260101 })],
    ['valueQuantity.value a string', 'Observation', (r) => (r.valueQuantity = { value: '4,2', unit: 'mmol/L' })],
    ['criticality a list', 'AllergyIntolerance', (r) => (r.criticality = ['high'])],
    ['status an object', 'Immunization', (r) => (r.status = { code: 'entered-in-error' })],
    ['nesting 500 deep', 'Condition', (r) => {
      let v: unknown = { text: 'x' };
      for (let d = 0; d < 500; d++) v = { coding: [v] };
      r.code = v;
    }],
  ];
  it.each(cases)('%s: items the schema accepts or a coded SOURCE_BAD_RESPONSE, never INTERNAL', (_name, type, mutate) => {
    const { resource, patient } = first(type);
    const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
    mutate(copy);
    expect(checkResource(copy as never, patient)).toBeUndefined();
  });
});
