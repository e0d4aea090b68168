/**
 * The sandbox's FHIR R4 REST semantics, free of HTTP: which searches exist,
 * how their parameters are read, and the Bundles, OperationOutcomes and
 * CapabilityStatement they produce. Search handling is lenient by default
 * (unknown parameters are ignored and left out of the self link, as the spec
 * allows) and strict with `Prefer: handling=strict`.
 */
import { randomUUID } from 'node:crypto';
import type { FhirResource, RegionData } from './fhirData';

export const FHIR_VERSION = '4.0.1';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const OFFSET_PARAM = '_getpagesoffset';
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Resource types searchable by patient, each with the search parameters it accepts besides the common ones. */
export const COMPARTMENT_TYPES = {
  AllergyIntolerance: [],
  MedicationStatement: [],
  MedicationRequest: [],
  MedicationDispense: [],
  Condition: [],
  Observation: ['category'],
  Immunization: [],
  Encounter: [],
  Procedure: [],
  DocumentReference: [],
  CarePlan: [],
  Flag: [],
} as const satisfies Record<string, readonly string[]>;

export type CompartmentType = keyof typeof COMPARTMENT_TYPES;

const COMMON_PARAMS = ['_count', OFFSET_PARAM, '_format'];
const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

export function isCompartmentType(type: string): type is CompartmentType {
  return Object.hasOwn(COMPARTMENT_TYPES, type);
}

export class FhirRequestError extends Error {
  constructor(
    readonly status: number,
    readonly issueCode: string,
    readonly diagnostics: string,
  ) {
    super(diagnostics);
    this.name = 'FhirRequestError';
  }
}

export function operationOutcome(issueCode: string, diagnostics: string, severity = 'error'): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    id: randomUUID(),
    issue: [{ severity, code: issueCode, diagnostics }],
  };
}

export interface SearchRequest {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:PORT/fhir */
  base: string;
  type: string;
  params: URLSearchParams;
  strict: boolean;
  defaultPageSize: number;
}

interface Paging {
  count: number;
  offset: number;
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new FhirRequestError(400, 'invalid', `parameter ${name} given more than once`);
  return values[0];
}

function nonNegativeInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new FhirRequestError(400, 'invalid', `parameter ${name} must be a non-negative integer`);
  return Number(raw);
}

function readPaging(params: URLSearchParams, defaultPageSize: number): Paging {
  const count = nonNegativeInt(single(params, '_count'), '_count') ?? defaultPageSize;
  const offset = nonNegativeInt(single(params, OFFSET_PARAM), OFFSET_PARAM) ?? 0;
  return { count: Math.min(count, MAX_PAGE_SIZE), offset };
}

function checkKnownParams(params: URLSearchParams, allowed: readonly string[], strict: boolean): void {
  if (!strict) return;
  for (const name of params.keys()) {
    if (!allowed.includes(name)) throw new FhirRequestError(400, 'not-supported', `unknown search parameter ${name}`);
  }
}

/** The patient id from `patient=ID`, `patient=Patient/ID` or `subject=Patient/ID` (absolute URLs too). */
function readPatientParam(params: URLSearchParams): string {
  const patient = single(params, 'patient');
  const subject = single(params, 'subject');
  if (patient !== undefined && subject !== undefined) {
    throw new FhirRequestError(400, 'invalid', 'give either patient or subject, not both');
  }
  const raw = patient ?? subject;
  if (raw === undefined || raw === '') {
    throw new FhirRequestError(400, 'required', 'this server searches only within one patient: patient or subject is required');
  }
  const match = /^(?:(?:.*\/)?Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(raw);
  if (!match?.[1]) {
    throw new FhirRequestError(400, 'invalid', 'patient reference must be an id or Patient/<id>');
  }
  return match[1];
}

interface TokenFilter {
  system?: string;
  code: string;
}

/** `a,b` is OR; each value is `code`, `system|code` or `|code` (no system). */
function readTokens(raw: string, name: string): TokenFilter[] {
  return raw.split(',').map((part) => {
    const bar = part.indexOf('|');
    const system = bar >= 0 ? part.slice(0, bar) : undefined;
    const code = bar >= 0 ? part.slice(bar + 1) : part;
    if (code === '') throw new FhirRequestError(400, 'invalid', `parameter ${name} has an empty code`);
    return { system, code };
  });
}

interface Coding {
  system?: unknown;
  code?: unknown;
}

function matchesToken(codings: Coding[], tokens: TokenFilter[]): boolean {
  return codings.some((c) =>
    tokens.some(
      (t) =>
        c.code === t.code &&
        (t.system === undefined || (t.system === '' ? c.system === undefined : c.system === t.system)),
    ),
  );
}

function categoryCodings(resource: FhirResource): Coding[] {
  const categories = Array.isArray(resource.category) ? (resource.category as { coding?: unknown }[]) : [];
  return categories.flatMap((c) => (Array.isArray(c.coding) ? (c.coding as Coding[]) : []));
}

export interface SearchResult {
  matches: FhirResource[];
  /** The parameters that were understood, echoed in the self and next links. */
  used: URLSearchParams;
  paging: Paging;
}

export function searchCompartment(data: RegionData, req: SearchRequest): SearchResult {
  if (!isCompartmentType(req.type)) throw new FhirRequestError(404, 'not-supported', 'resource type not supported');
  const extra: readonly string[] = COMPARTMENT_TYPES[req.type];
  checkKnownParams(req.params, ['patient', 'subject', ...extra, ...COMMON_PARAMS], req.strict);
  const paging = readPaging(req.params, req.defaultPageSize);
  const patientId = readPatientParam(req.params);
  const used = new URLSearchParams({ patient: patientId });

  let matches = data.byPatient.get(patientId)?.get(req.type) ?? [];
  if (extra.includes('category')) {
    const raw = single(req.params, 'category');
    if (raw !== undefined) {
      const tokens = readTokens(raw, 'category');
      if (req.strict) {
        for (const t of tokens) {
          if (t.system !== undefined && t.system !== OBSERVATION_CATEGORY_SYSTEM) {
            throw new FhirRequestError(400, 'not-supported', 'unknown category system');
          }
        }
      }
      matches = matches.filter((r) => matchesToken(categoryCodings(r), tokens));
      used.set('category', raw);
    }
  }
  return { matches, used, paging };
}

/** `identifier=system|value`, `identifier=value` (any system) or `identifier=|value` (no system). */
export function searchPatients(data: RegionData, req: SearchRequest): SearchResult {
  checkKnownParams(req.params, ['identifier', ...COMMON_PARAMS], req.strict);
  const paging = readPaging(req.params, req.defaultPageSize);
  const raw = single(req.params, 'identifier');
  if (raw === undefined || raw === '') {
    throw new FhirRequestError(400, 'required', 'Patient search needs the identifier parameter');
  }
  const tokens = readTokens(raw, 'identifier');
  const matches = data.patients.filter((p) => {
    const ids = Array.isArray(p.identifier) ? (p.identifier as { system?: unknown; value?: unknown }[]) : [];
    return matchesToken(
      ids.map((i) => ({ system: i.system, code: i.value })),
      tokens,
    );
  });
  return { matches, used: new URLSearchParams({ identifier: raw }), paging };
}

function searchUrl(base: string, type: string, used: URLSearchParams, count: number, offset: number): string {
  const q = new URLSearchParams(used);
  q.set('_count', String(count));
  if (offset > 0) q.set(OFFSET_PARAM, String(offset));
  return `${base}/${type}?${q.toString()}`;
}

export function searchsetBundle(base: string, type: string, result: SearchResult, now: Date): FhirResource {
  const { matches, used, paging } = result;
  const page = matches.slice(paging.offset, paging.offset + paging.count);
  const link = [{ relation: 'self', url: searchUrl(base, type, used, paging.count, paging.offset) }];
  const nextOffset = paging.offset + paging.count;
  if (paging.count > 0 && nextOffset < matches.length) {
    link.push({ relation: 'next', url: searchUrl(base, type, used, paging.count, nextOffset) });
  }
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: now.toISOString() },
    type: 'searchset',
    total: matches.length,
    link,
    entry: page.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

export function capabilityStatement(base: string, regionName: string, now: Date): FhirResource {
  const common = [
    { name: '_count', type: 'number', documentation: `Page size, default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` },
  ];
  const patientRef = [
    { name: 'patient', type: 'reference', documentation: 'Required (or subject): id or Patient/<id>' },
    { name: 'subject', type: 'reference', documentation: 'Patient/<id>' },
  ];
  const resource = [
    {
      type: 'Patient',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [{ name: 'identifier', type: 'token', documentation: 'system|value or value' }, ...common],
    },
    ...Object.entries(COMPARTMENT_TYPES).map(([type, extra]) => ({
      type,
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [
        ...patientRef,
        ...(extra as readonly string[]).map((name) => ({
          name,
          type: 'token',
          documentation: 'laboratory | vital-signs; comma-separated values are OR',
        })),
        ...common,
      ],
    })),
  ];
  return {
    resourceType: 'CapabilityStatement',
    id: 'samsyn-sandbox',
    status: 'active',
    date: now.toISOString(),
    publisher: 'Samsyn sandbox (synthetic data)',
    kind: 'instance',
    software: { name: 'Samsyn FHIR sandbox' },
    implementation: { description: `${regionName} (simulated)`, url: base },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    rest: [{ mode: 'server', resource }],
  };
}
