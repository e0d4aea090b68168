/**
 * The sandbox's synthetic data sets: one per simulated region. Static patients
 * are FHIR collection Bundles in resources/sandbox/<region>/<patient>.json; the
 * heavy chronic patient is generated in code (heavyPatient.ts). Every patient
 * carries an official test identity number only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Country } from '../../shared/identity/types';
import { resourcesDir } from '../platform/paths';
import {
  generateHeavyPatient,
  HEAVY_PATIENT_NAME,
  HEAVY_PATIENT_PERSONNUMMER,
  HEAVY_PATIENT_REGION,
} from './heavyPatient';

export const SANDBOX_REGIONS = {
  nord: 'Region Nord',
  syd: 'Region Syd',
  /** National services: a national medication list, home monitoring, maternity care. */
  nll: 'Nationella läkemedelslistan',
  hemma: 'Digital hemmonitorering',
  mvc: 'Barnmorskemottagningen Syd',
  /** A Norwegian and a Finnish provider, each with sealed records under its own country's rules (issue 10). */
  vest: 'Helse Vest',
  hus: 'HUS Helsinki',
} as const;

/** The care providers' regions (what the demo sandbox and e2e stack start as "the regions"). */
export const CARE_REGIONS = ['nord', 'syd'] as const satisfies readonly SandboxRegion[];

export type SandboxRegion = keyof typeof SANDBOX_REGIONS;

export function isSandboxRegion(value: string): value is SandboxRegion {
  return Object.hasOwn(SANDBOX_REGIONS, value);
}

export interface SandboxPatient {
  key: string;
  name: string;
  country: Country;
  identifier: { system: string; value: string };
  regions: readonly SandboxRegion[];
  /** What makes the patient worth choosing in a test or demo. */
  note: string;
}

/** The one place tests, the demo and the e2e name sandbox patients. */
export const SANDBOX_PATIENTS: readonly SandboxPatient[] = [
  {
    key: 'tolvan',
    name: 'Tolvan Tolvansson',
    country: 'SE',
    identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' },
    regions: ['nord', 'syd', 'nll', 'hemma'],
    note: 'In both regions: same penicillin allergy and apixaban recorded twice, plus region-specific items; the national medication list overlaps and disagrees with them; four weeks of home monitoring',
  },
  {
    key: 'kari',
    name: 'Kari Nordmann',
    country: 'NO',
    identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '14838512470' },
    regions: ['nord', 'vest'],
    note: 'Norwegian synthetic fødselsnummer (month + 80); peanut anaphylaxis and a critical-information flag; sealed (sperret) records at Helse Vest',
  },
  {
    key: 'matti',
    name: 'Matti Meikäläinen',
    country: 'FI',
    identifier: { system: 'urn:oid:1.2.246.21', value: '010594Y9032' },
    regions: ['syd', 'hus'],
    note: 'Finnish test henkilötunnus (DVV example, century sign Y, individual number 900–999); explicit "no known allergies"; a record under luovutuskielto at HUS',
  },
  {
    key: 'stina',
    name: 'Stina Testsson',
    country: 'SE',
    identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '199001012385' },
    regions: ['mvc'],
    note: 'Pregnant (expected delivery 2027-03-10), RhD negative; four maternity check-ups with rising blood pressure and falling Hb',
  },
  {
    key: 'heavy',
    name: HEAVY_PATIENT_NAME,
    country: 'SE',
    identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: HEAVY_PATIENT_PERSONNUMMER },
    regions: [HEAVY_PATIENT_REGION],
    note: 'Heavy chronic: twelve years of type 1 diabetes and kidney disease, over 2,000 laboratory results',
  },
];

export function sandboxPatient(key: string): SandboxPatient {
  const patient = SANDBOX_PATIENTS.find((p) => p.key === key);
  if (!patient) throw new Error(`unknown sandbox patient key: ${key}`);
  return patient;
}

/** The loose shape the server needs; resources are served as stored. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

export interface RegionData {
  region: SandboxRegion;
  name: string;
  /** Patient resources in load order (static files by name, then generated). */
  patients: FhirResource[];
  /** `${resourceType}/${id}` → resource. */
  byKey: Map<string, FhirResource>;
  /** patient id → resource type → resources in load order. */
  byPatient: Map<string, Map<string, FhirResource[]>>;
}

export function sandboxDataDir(): string {
  return path.join(resourcesDir(), 'sandbox');
}

function isResource(value: unknown): value is FhirResource {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.resourceType === 'string' && typeof r.id === 'string' && r.id.length > 0;
}

/** The patient a clinical resource belongs to: its subject, or its patient for Allergy/Immunization. */
export function patientIdOf(resource: FhirResource): string | undefined {
  // A Binary (document content) belongs to the patient of its securityContext.
  const ref = (resource.subject ?? resource.patient ?? resource.securityContext) as { reference?: unknown } | undefined;
  const reference = typeof ref?.reference === 'string' ? ref.reference : undefined;
  const match = reference ? /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference) : null;
  return match?.[1];
}

function readBundle(file: string): FhirResource[] {
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'collection' || !Array.isArray(bundle.entry)) {
    throw new Error(`sandbox: ${path.basename(file)} is not a FHIR collection Bundle`);
  }
  return bundle.entry.map((entry: unknown, i) => {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (!isResource(resource)) throw new Error(`sandbox: ${path.basename(file)} entry ${i} is not a resource`);
    return resource;
  });
}

/**
 * Loads one region's data set and indexes it. Fails loudly on data that would
 * make the sandbox lie: duplicate ids, or a resource pointing at a patient the
 * region does not hold.
 */
export function loadRegionData(region: string, dataDir: string = sandboxDataDir()): RegionData {
  if (!isSandboxRegion(region)) throw new Error(`sandbox: unknown region '${region}'`);
  const dir = path.join(dataDir, region);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const resources = files.flatMap((f) => readBundle(path.join(dir, f)));
  if (region === HEAVY_PATIENT_REGION) {
    resources.push(...(generateHeavyPatient() as unknown as FhirResource[]));
  }

  const data: RegionData = { region, name: SANDBOX_REGIONS[region], patients: [], byKey: new Map(), byPatient: new Map() };
  for (const r of resources) {
    const key = `${r.resourceType}/${r.id}`;
    if (data.byKey.has(key)) throw new Error(`sandbox: duplicate resource ${key} in region ${region}`);
    data.byKey.set(key, r);
    if (r.resourceType === 'Patient') {
      data.patients.push(r);
      data.byPatient.set(r.id, new Map());
    }
  }
  for (const r of resources) {
    if (r.resourceType === 'Patient') continue;
    const patientId = patientIdOf(r);
    const compartment = patientId ? data.byPatient.get(patientId) : undefined;
    if (!compartment) throw new Error(`sandbox: ${r.resourceType}/${r.id} refers to no patient of region ${region}`);
    const list = compartment.get(r.resourceType);
    if (list) list.push(r);
    else compartment.set(r.resourceType, [r]);
  }
  return data;
}
