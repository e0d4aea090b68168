import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createFhirSource, type FhirSourceConfig } from '../../../../src/main/sources/fhir/fhirSource';
import type { PatientQuery, SourceResult } from '../../../../src/main/sources/types';
import { CodedError } from '../../../../src/shared/errors';
import { guardIdentity } from '../../../../src/main/summary/identityGuard';
import { loadFhirFixture, TOLVAN } from '../../../fixtures/fhir/load';

/** What the fixture server answers: a JSON body, raw text, or nothing until the client gives up. */
type Reply = { status?: number; json?: unknown; text?: string } | 'hang';
type Responder = (url: URL) => Reply | undefined;

const query: PatientQuery = { identifier: { ...TOLVAN } };
const FETCHED_AT = '2024-11-02T10:00:00.000Z';

let server: Server;
let base: string;
let port: number;
/** Per-test override, consulted before the default fixture world. */
let responder: Responder | undefined;
let requests: { url: URL; rawUrl: string; accept: string | undefined }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let requestArrived: (() => void) | undefined;

function searchset(resources: Resource[], next?: string, extra: Bundle['entry'] = []): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: next ? [{ relation: 'self', url: 'self' }, { relation: 'next', url: next }] : [],
    entry: [...resources.map((resource) => ({ resource, search: { mode: 'match' as const } })), ...extra],
  };
}

function observationPage(page: number): Reply {
  const pages: Resource[][] = [
    [loadFhirFixture('observation-hba1c.json'), loadFhirFixture('observation-crp-less-than.json')],
    [loadFhirFixture('observation-blood-pressure.json')],
    [loadFhirFixture('observation-edd.json'), loadFhirFixture('observation-home-weight.json')],
  ];
  const next = page < pages.length ? `${base}/Observation?patient=tolvan-1&_count=2&_page=${page + 1}` : undefined;
  return { json: searchset(pages[page - 1] ?? [], next) };
}

/** The default world: Tolvan at one region, with one or more records of every kind. */
function defaultWorld(url: URL): Reply {
  const type = url.pathname.replace(/^\/fhir\//, '');
  if (type === 'Patient') {
    const wanted = `${TOLVAN.system}|${TOLVAN.value}`;
    return { json: searchset(url.searchParams.get('identifier') === wanted ? [loadFhirFixture('patient-tolvan.json')] : []) };
  }
  if (url.searchParams.get('patient') !== 'tolvan-1') return { json: searchset([]) };
  switch (type) {
    case 'AllergyIntolerance':
      return { json: searchset([loadFhirFixture('allergy-penicillin-high.json'), loadFhirFixture('allergy-refuted.json')]) };
    case 'MedicationStatement':
      return {
        json: searchset(
          [{ ...loadFhirFixture('medication-statement-omeprazol.json'), subject: { reference: `${base}/Patient/tolvan-1` } } as Resource],
        ),
      };
    case 'MedicationRequest':
      return {
        json: searchset(
          [
            loadFhirFixture('medication-request-contained.json'),
            {
              resourceType: 'MedicationRequest',
              id: 'mr-inc',
              status: 'active',
              intent: 'order',
              subject: { reference: 'Patient/tolvan-1' },
              medicationReference: { reference: 'Medication/med-waran' },
            },
          ],
          undefined,
          [
            {
              search: { mode: 'include' },
              resource: {
                resourceType: 'Medication',
                id: 'med-waran',
                code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'B01AA03', display: 'Warfarin' }] },
              },
            },
            {
              search: { mode: 'outcome' },
              resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] },
            },
          ],
        ),
      };
    case 'Condition':
      return { json: searchset([loadFhirFixture('condition-diabetes-sealed.json')]) };
    case 'Observation':
      return observationPage(Number(url.searchParams.get('_page') ?? '1'));
    case 'Immunization':
      return { json: searchset([loadFhirFixture('immunization-tbe.json')]) };
    case 'Encounter':
      return { json: searchset([loadFhirFixture('encounter-visit.json')]) };
    case 'Procedure':
      return { json: searchset([loadFhirFixture('procedure-appendectomy.json')]) };
    case 'DocumentReference':
      return { json: searchset([loadFhirFixture('document-discharge.json')]) };
    case 'CarePlan':
      return { json: searchset([loadFhirFixture('careplan-diabetes.json')]) };
    case 'Flag':
      return { json: searchset([loadFhirFixture('flag-interpreter.json')]) };
    default:
      return { status: 404, json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] } };
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://fixture');
  requests.push({ url, rawUrl: req.url ?? '', accept: req.headers.accept });
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  requestArrived?.();
  const reply = responder?.(url) ?? defaultWorld(url);
  if (reply === 'hang') {
    res.on('close', () => (inFlight -= 1));
    return;
  }
  // A short pause keeps requests overlapping, so the concurrency cap is exercised.
  setTimeout(() => {
    inFlight -= 1;
    if (res.destroyed) return;
    res.statusCode = reply.status ?? 200;
    if (reply.json !== undefined) {
      res.setHeader('content-type', 'application/fhir+json');
      res.end(JSON.stringify(reply.json));
    } else {
      res.setHeader('content-type', 'text/plain');
      res.end(reply.text ?? '');
    }
  }, 5);
}

function source(overrides: Partial<FhirSourceConfig> = {}): ReturnType<typeof createFhirSource> {
  return createFhirSource({
    id: 'region-test',
    name: 'Region Test',
    baseUrl: `${base}/`,
    timeoutMs: 10_000,
    clock: { now: () => new Date(FETCHED_AT) },
    ...overrides,
  });
}

async function failure(promise: Promise<SourceResult>): Promise<CodedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CodedError) return err;
    throw err;
  }
  throw new Error('expected the fetch to fail');
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}/fhir`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  responder = undefined;
  requests = [];
  inFlight = 0;
  maxInFlight = 0;
  requestArrived = undefined;
});

describe('createFhirSource', () => {
  it('finds the patient by system|value and reads every section, following pages', async () => {
    const result = await source({ pageSize: 2 }).fetchPatient(query, new AbortController().signal);

    const patientSearch = requests.find((r) => r.url.pathname === '/fhir/Patient');
    expect(patientSearch?.rawUrl).toBe('/fhir/Patient?identifier=urn%3Aoid%3A1.2.752.129.2.1.3.1%7C191212121212');
    expect(requests.every((r) => r.accept === 'application/fhir+json')).toBe(true);
    expect(requests.filter((r) => r.url.pathname === '/fhir/Observation')).toHaveLength(3);
    expect(requests.find((r) => r.url.pathname === '/fhir/Flag')?.url.search).toBe('?patient=tolvan-1&_count=2');

    expect(result.fetchedAt).toBe(FETCHED_AT);
    expect(result.subjects).toEqual([
      {
        ref: 'tolvan-1',
        identifiers: [TOLVAN, { system: 'urn:oid:1.2.752.97.3.1.3', value: 'SLL-000123' }],
        name: 'Tolvan Tolle Tolvansson',
        birthDate: '1912-12-12',
        gender: 'male',
      },
    ]);
    const bySection = (section: string): string[] =>
      result.items.filter((i) => i.section === section).map((i) => i.provenance.recordId).sort();
    expect(bySection('results')).toEqual(['Observation/obs-bp-1', 'Observation/obs-crp-1', 'Observation/obs-hba1c-1']);
    expect(bySection('pregnancy')).toEqual(['Observation/obs-edd-1']);
    expect(bySection('homeMeasurements')).toEqual(['Observation/obs-hw-1']);
    expect(bySection('allergies')).toEqual(['AllergyIntolerance/alg-pc-1', 'AllergyIntolerance/alg-ref-1']);
    expect(bySection('medications')).toEqual([
      'MedicationRequest/mr-inc',
      'MedicationRequest/mr-metf-1',
      'MedicationStatement/ms-omep-1',
    ]);
    for (const section of ['problems', 'immunizations', 'encounters', 'procedures', 'documents', 'carePlans', 'alerts']) {
      expect(bySection(section)).toHaveLength(1);
    }
    // The included Medication names the request; it is not an item of its own.
    expect(result.items.find((i) => i.provenance.recordId === 'MedicationRequest/mr-inc')?.text).toBe('Warfarin');
    expect(result.items.every((i) => i.provenance.sourceId === 'region-test' && i.provenance.fetchedAt === FETCHED_AT)).toBe(true);
    expect(result.items.find((i) => i.section === 'problems')?.sealed).toBe(true);
  });

  it('keeps at most four requests in flight', async () => {
    await source().fetchPatient(query, new AbortController().signal);
    expect(requests.length).toBe(14); // Patient + 10 types + 3 Observation pages
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('returns an empty result when the region does not know the patient', async () => {
    const result = await source().fetchPatient(
      { identifier: { system: TOLVAN.system, value: '190101019801' } },
      new AbortController().signal,
    );
    expect(result).toEqual({ subjects: [], items: [], fetchedAt: FETCHED_AT });
    expect(requests).toHaveLength(1);
  });

  it('searches a |VALUE request as identifier=|VALUE (no system), never as the value under any system', async () => {
    const result = await source().fetchPatient({ identifier: { value: 'SLL-000123' } }, new AbortController().signal);
    expect(requests.map((r) => r.rawUrl)).toEqual(['/fhir/Patient?identifier=%7CSLL-000123']);
    expect(result.subjects).toEqual([]);
  });

  it('reports an Observation about another patient as an extra subject without identifiers', async () => {
    responder = (url) => {
      if (url.pathname !== '/fhir/Observation') return undefined;
      const stray = { ...loadFhirFixture('observation-hba1c.json'), id: 'obs-stray', subject: { reference: `${base}/Patient/someone-else` } };
      return { json: searchset([loadFhirFixture('observation-crp-less-than.json'), stray as Resource]) };
    };
    const result = await source().fetchPatient(query, new AbortController().signal);
    expect(result.subjects).toHaveLength(2);
    expect(result.subjects[0]?.ref).toBe('tolvan-1');
    expect(result.subjects[1]).toEqual({ ref: `${base}/Patient/someone-else`, identifiers: [] });
    // The item is kept: the identity guard decides, the adapter does not hide it.
    expect(result.items.some((i) => i.provenance.recordId === 'Observation/obs-stray')).toBe(true);
  });

  it('surfaces a subject on another server, a Patient it did not find, or a contradicting identifier as foreign', async () => {
    const flag = (id: string, subject: Record<string, unknown>) =>
      ({ ...loadFhirFixture('flag-interpreter.json'), id, subject }) as Resource;
    const cases: [string, Record<string, unknown>][] = [
      ['other-server', { reference: 'https://fhir.other.example/fhir/Patient/tolvan-1' }],
      ['other-path', { reference: `http://127.0.0.1:${port}/other/Patient/tolvan-1` }],
      ['not-found', { reference: 'Patient/tolvan-2' }],
      ['urn', { reference: 'urn:uuid:5b2c1d00-0000-4000-8000-000000000001' }],
      ['identifier', { reference: 'Patient/tolvan-1', identifier: { system: TOLVAN.system, value: '198112189876' } }],
    ];
    for (const [name, subject] of cases) {
      responder = (url) => (url.pathname === '/fhir/Flag' ? { json: searchset([flag(name, subject)]) } : undefined);
      const result = await source().fetchPatient(query, new AbortController().signal);
      expect(result.subjects.length, name).toBe(2);
      expect(() => guardIdentity(result, query), name).toThrow('PATIENT_MISMATCH');
    }
  });

  it('accepts this server’s own absolute URL of the patient, in any case of scheme and host', async () => {
    responder = (url) =>
      url.pathname === '/fhir/Flag'
        ? { json: searchset([{ ...loadFhirFixture('flag-interpreter.json'), subject: { reference: `HTTP://127.0.0.1:${port}/fhir/Patient/tolvan-1/_history/4` } } as Resource]) }
        : undefined;
    const result = await source().fetchPatient(query, new AbortController().signal);
    expect(result.subjects).toHaveLength(1);
    expect(() => guardIdentity(result, query)).not.toThrow();
  });

  it('refuses a next link to another origin without requesting it', async () => {
    responder = (url) => {
      if (url.pathname !== '/fhir/Observation') return undefined;
      // Same server, other origin: proves the check is on origin, not reachability.
      return { json: searchset([loadFhirFixture('observation-hba1c.json')], `http://localhost:${port}/fhir/Observation?_page=2`) };
    };
    const err = await failure(source().fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
    expect(requests.some((r) => r.url.searchParams.get('_page') === '2')).toBe(false);
  });

  it('stops after maxPages instead of returning a partial record', async () => {
    const err = await failure(source({ maxPages: 2 }).fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
    expect(requests.some((r) => r.url.searchParams.get('_page') === '3')).toBe(false);
  });

  it('turns an OperationOutcome error into SOURCE_OPERATION_OUTCOME', async () => {
    responder = (url) =>
      url.pathname === '/fhir/Condition'
        ? {
            status: 500,
            json: {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'exception', diagnostics: 'Tolvansson 191212121212 broke the index' }],
            },
          }
        : undefined;
    const err = await failure(source().fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_OPERATION_OUTCOME');
    expect(err.params).toEqual({ status: 500, issue: 'exception' });
    expect(err.message).not.toContain('191212121212');
  });

  it('turns a plain 503 into SOURCE_HTTP_ERROR', async () => {
    responder = (url) => (url.pathname === '/fhir/Patient' ? { status: 503, text: 'Service Unavailable' } : undefined);
    const err = await failure(source().fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_HTTP_ERROR');
    expect(err.params).toEqual({ status: 503 });
  });

  it('turns a body that is not JSON into SOURCE_BAD_RESPONSE', async () => {
    responder = (url) => (url.pathname === '/fhir/Encounter' ? { text: '<html>login</html>' } : undefined);
    const err = await failure(source().fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
  });

  it('turns a success that is not a Bundle into SOURCE_BAD_RESPONSE', async () => {
    responder = (url) =>
      url.pathname === '/fhir/Patient' ? { json: loadFhirFixture('patient-tolvan.json') } : undefined;
    const err = await failure(source().fetchPatient(query, new AbortController().signal));
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
  });

  it('turns a refused connection into SOURCE_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(
      source({ baseUrl: `http://127.0.0.1:${closedPort}/fhir` }).fetchPatient(query, new AbortController().signal),
    );
    expect(err.code).toBe('SOURCE_UNREACHABLE');
  });

  it('turns an abort in the middle of a request into SOURCE_TIMEOUT', async () => {
    responder = (url) => (url.pathname === '/fhir/Immunization' ? 'hang' : undefined);
    const controller = new AbortController();
    requestArrived = () => {
      if (requests.some((r) => r.url.pathname === '/fhir/Immunization')) controller.abort();
    };
    const err = await failure(source().fetchPatient(query, controller.signal));
    expect(err.code).toBe('SOURCE_TIMEOUT');
  });

  it('rethrows the coded reason the aggregator aborted with', async () => {
    responder = (url) => (url.pathname === '/fhir/Patient' ? 'hang' : undefined);
    const controller = new AbortController();
    const reason = new CodedError('SOURCE_TIMEOUT', { timeoutMs: 1500 });
    requestArrived = () => controller.abort(reason);
    const err = await failure(source().fetchPatient(query, controller.signal));
    expect(err).toBe(reason);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure(source().fetchPatient(query, controller.signal));
    expect(err.code).toBe('SOURCE_TIMEOUT');
    expect(requests).toHaveLength(0);
  });
});
