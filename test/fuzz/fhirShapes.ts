/**
 * The FHIR shape fuzzer (test/unit/main/sources/fhir/malformedShapes.test.ts,
 * `npm run fuzz`). Issue 14.1 (b): a FHIR resource whose shape is not what FHIR R4 requires
 * (a `code` that is a string, a `coding` that is no list, a `dosageInstruction`
 * that is an object, a `reaction` that is a number, a `period.start` that is a
 * number, a `valueQuantity.value` that is a string, nesting hundreds deep…)
 * never ends as an uncoded error (the summary's INTERNAL) and never as an
 * item the shared schema refuses (which would fail later, in the merge or at
 * the bridge). Property: real resources from the third-party Synthea and IPS
 * Bundles (test/fixtures/thirdparty), each mutated at a random path into a
 * wrong type, read alone (mapFhirResource) and in a Bundle with its patient
 * (bundleToSourceResult, as `samsyn summarize` and the adapter read them), then
 * merged: a result whose every item passes clinicalItemSchema and merges, or
 * a CodedError that is not INTERNAL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../src/shared/errors';
import { clinicalItemSchema, type ClinicalItem } from '../../src/shared/summary';
import { bundleToSourceResult } from '../../src/main/sources/fhir/bundleSource';
import { isMappedResourceType, mapFhirResource } from '../../src/main/sources/fhir/mappers';
import { mergeSummary } from '../../src/main/summary/merge';
import { int, pick, type Rng } from './mutate';

const THIRDPARTY = join(__dirname, '../fixtures/thirdparty');
const CTX = { sourceId: 'region-nord', sourceName: 'Region Nord', fetchedAt: '2026-11-30T08:00:00.000Z' };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function bundles(): Bundle[] {
  return ['synthea-r4-johnnie679-hermiston71.json', 'synthea-r4-luna60-mccullough561.json', 'ips-bundle-minimal.json', 'ips-bundle-no-info-required-sections.json'].map(
    (f) => JSON.parse(readFileSync(join(THIRDPARTY, f), 'utf8')) as Bundle,
  );
}

const all = bundles();
/** Mapped resources, at most 40 of each type per Bundle (Synthea has thousands of Observations). */
export const RESOURCES: { resource: Resource; patient: Resource | undefined }[] = all.flatMap((bundle) => {
  const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
  const perType = new Map<string, number>();
  return (bundle.entry ?? []).flatMap((e) => {
    const r = e.resource;
    if (!r || !(isMappedResourceType(r.resourceType) || r.resourceType === 'Composition' || r.resourceType === 'Patient')) return [];
    const n = perType.get(r.resourceType) ?? 0;
    perType.set(r.resourceType, n + 1);
    return n < 40 ? [{ resource: r, patient }] : [];
  });
});

/** Every path to a value inside the resource (not resourceType itself). */
function paths(node: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (node === null || typeof node !== 'object') return out;
  const entries: [string | number, Json][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [k, v] of entries) {
    if (at.length === 0 && k === 'resourceType') continue;
    out.push([...at, k]);
    paths(v, [...at, k], out);
  }
  return out;
}

/** The wrong shapes a server has been seen to send, and some it might. */
function wrongShape(rng: Rng, value: Json): Json {
  const deep = (depth: number): Json => {
    let v: Json = 'x';
    // One child per level (two would share it: 2^depth once written out).
    for (let d = 0; d < depth; d++) v = pick<Json>(rng, [[v], { coding: v }, { value: v }, { text: 'x', coding: [v] }]);
    return v;
  };
  switch (int(rng, 10)) {
    case 0:
      return typeof value === 'object' && value !== null ? JSON.stringify(value).slice(0, 40) : 'text';
    case 1:
      return Array.isArray(value) ? (value[0] ?? {}) : [value];
    case 2:
      return pick(rng, [0, -1, 1.5, 1e308, 20260101]);
    case 3:
      return typeof value === 'number' ? String(value) : pick(rng, ['4,2', '', ' ', 'NaN']);
    case 4:
      return pick(rng, [null, true, false]);
    case 5:
      return {};
    case 6:
      return [];
    case 7:
      return deep(1 + int(rng, 400));
    case 8:
      return Array.isArray(value) ? [...value, pick(rng, [null, 1, 'x', [], {}])] : { value };
    default:
      return pick(rng, ['2026-13-45', '20260101', 'T10:00', '\u0000', 'x'.repeat(1000)]);
  }
}

export function mutateResource(rng: Rng, resource: Resource): Resource {
  const copy = JSON.parse(JSON.stringify(resource)) as Json;
  const all = paths(copy);
  for (let k = 0, n = 1 + int(rng, 3); k < n && all.length > 0; k++) {
    const path = pick(rng, all);
    let parent = copy as Record<string | number, Json>;
    for (const step of path.slice(0, -1)) {
      const next = parent[step];
      if (next === null || typeof next !== 'object') break;
      parent = next as Record<string | number, Json>;
    }
    const key = path[path.length - 1] as string | number;
    if (key in parent) parent[key] = wrongShape(rng, parent[key] as Json);
  }
  return copy as unknown as Resource;
}

/** Undefined when the outcome is acceptable; else what went wrong. */
export function checkResource(resource: Resource, patient: Resource | undefined): string | undefined {
  const verdict = (read: () => ClinicalItem[]): string | undefined => {
    let items: ClinicalItem[];
    try {
      items = read();
    } catch (err) {
      if (err instanceof CodedError) return err.code === 'INTERNAL' ? 'INTERNAL' : undefined;
      return `uncoded: ${(err as Error)?.name}: ${String((err as Error)?.message).slice(0, 120)}`;
    }
    for (const item of items) {
      const parsed = clinicalItemSchema.safeParse(item);
      if (!parsed.success) return `item refused by the schema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
    }
    try {
      mergeSummary(items);
    } catch (err) {
      return `merge: ${(err as Error)?.name}: ${String((err as Error)?.message).slice(0, 120)}`;
    }
    return undefined;
  };
  const alone = verdict(() => {
    const item = resource.resourceType === 'Composition' ? null : mapFhirResource(resource, CTX);
    return item ? [item] : [];
  });
  if (alone) return `alone: ${alone}`;
  const entry = [...(patient ? [{ fullUrl: 'urn:uuid:p', resource: patient }] : []), { fullUrl: 'urn:uuid:r', resource }];
  const inBundle = verdict(() => bundleToSourceResult({ resourceType: 'Bundle', type: 'collection', entry } as Bundle, CTX).items);
  return inBundle ? `in a Bundle: ${inBundle}` : undefined;
}

