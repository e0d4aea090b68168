/**
 * A FHIR server on 127.0.0.1 whose answer holds one resource of the wrong
 * shape among good ones (ADR 0033): the good records are shown, the source
 * answered, and its status counts the record it could not read. One about
 * another patient still refuses the whole source: a wrong patient is never a
 * skip. And pages mapped as they arrive still find an `_include`d Medication
 * that comes on a later page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createFhirSource } from '../../../../src/main/sources/fhir/fhirSource';
import { createSummaryService } from '../../../../src/main/summary/summaryService';
import { createLogger } from '../../../../src/main/platform/logger';
import { loadFhirFixture, TOLVAN } from '../../../fixtures/fhir/load';

let server: Server;
let base: string;
/** Observation pages and MedicationRequest pages the server gives, per test. */
let observationPages: Resource[][] = [];
let requestPages: { matches: Resource[]; includes: Resource[] }[] = [];

function searchset(matches: Resource[], next: string | undefined, includes: Resource[] = []): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: next ? [{ relation: 'next', url: next }] : [],
    entry: [
      ...matches.map((resource) => ({ resource, search: { mode: 'match' as const } })),
      ...includes.map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ],
  };
}

function answer(url: URL): Bundle {
  const type = url.pathname.replace(/^\/fhir\//, '');
  const page = Number(url.searchParams.get('_page') ?? '1');
  const next = (count: number) => (page < count ? `${base}/${type}?patient=tolvan-1&_page=${page + 1}` : undefined);
  if (type === 'Patient') return searchset([loadFhirFixture('patient-tolvan.json')], undefined);
  if (type === 'Observation') return searchset(observationPages[page - 1] ?? [], next(observationPages.length));
  if (type === 'MedicationRequest') {
    const p = requestPages[page - 1];
    return searchset(p?.matches ?? [], next(requestPages.length), p?.includes ?? []);
  }
  return searchset([], undefined);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify(answer(new URL(req.url ?? '/', 'http://fixture')));
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.end(body);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  observationPages = [];
  requestPages = [];
});

const clock = { now: () => new Date('2024-11-02T10:00:00.000Z') };

function open() {
  const source = createFhirSource({ id: 'region-test', name: 'Region Test', baseUrl: base, timeoutMs: 10_000, clock });
  const service = createSummaryService({ sources: [source], clock, logger: createLogger('test') });
  return service.open({ identifier: { ...TOLVAN } });
}

/** An Observation whose status is an object, not a code: FHIR R4 does not allow it, and its mapper cannot read it. */
function unreadable(subject = 'Patient/tolvan-1'): Resource {
  return { ...loadFhirFixture('observation-blood-pressure.json'), id: 'obs-bad-1', status: { code: 'final' }, subject: { reference: subject } } as unknown as Resource;
}

describe('a record of the wrong shape in a source answer', () => {
  it('is left out and counted; the source answered and its other records are shown', async () => {
    observationPages = [[loadFhirFixture('observation-hba1c.json'), unreadable()], [loadFhirFixture('observation-crp-less-than.json')]];
    const summary = await open();
    const status = summary.sources[0];
    expect(status?.state).toBe('ok');
    expect(status?.skipped).toEqual({ code: 'SOURCE_BAD_RESPONSE', count: 1 });
    expect(status?.itemCount).toBe(2);
    const results = summary.sections.results.flatMap((i) => i.sources.map((s) => s.recordId)).sort();
    expect(results).toEqual(['Observation/obs-crp-1', 'Observation/obs-hba1c-1']);
  });

  it('counts nothing when every record could be read', async () => {
    observationPages = [[loadFhirFixture('observation-hba1c.json')]];
    const summary = await open();
    expect(summary.sources[0]?.state).toBe('ok');
    expect(summary.sources[0]?.skipped).toBeUndefined();
  });

  it('about another patient refuses the whole source: a wrong patient is never a skip', async () => {
    observationPages = [[loadFhirFixture('observation-hba1c.json'), unreadable('Patient/someone-else')]];
    const summary = await open();
    expect(summary.sources[0]?.state).toBe('rejected');
    expect(summary.sources[0]?.skipped).toBeUndefined();
    expect(summary.sections.results).toEqual([]);
  });
});

describe('pages mapped as they arrive', () => {
  it('still name a request by the Medication a later page includes', async () => {
    const request = {
      resourceType: 'MedicationRequest',
      id: 'mr-inc',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/tolvan-1' },
      medicationReference: { reference: 'Medication/med-waran' },
    } as Resource;
    const medication = {
      resourceType: 'Medication',
      id: 'med-waran',
      code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'B01AA03', display: 'Warfarin' }] },
    } as Resource;
    requestPages = [{ matches: [request], includes: [] }, { matches: [loadFhirFixture('medication-request-contained.json')], includes: [medication] }];
    const summary = await open();
    expect(summary.sources[0]?.state).toBe('ok');
    const waran = summary.sections.medications.find((m) => m.sources.some((s) => s.recordId === 'MedicationRequest/mr-inc'));
    expect(waran?.text).toBe('Warfarin');
    expect(waran?.codes).toEqual([{ system: 'http://www.whocc.no/atc', code: 'B01AA03', display: 'Warfarin' }]);
  });
});
