/**
 * The per-source record limit (summary.maxItemsPerSource, ADR 0037): two FHIR
 * servers on 127.0.0.1, one whose answer holds more records than the limit.
 * That source fails, coded SOURCE_RESPONSE_TOO_LARGE, and shows none of its
 * records (never the first ones up to the limit); the other source's records
 * are shown. An answer of exactly the limit is shown whole.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { createLogger } from '../../../src/main/platform/logger';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import { createSummaryService } from '../../../src/main/summary/summaryService';
import { createServices } from '../../../src/main/app/createServices';
import { parseConfig } from '../../../src/main/app/config';
import { loadFhirFixture, TOLVAN } from '../../fixtures/fhir/load';

const LIMIT = 5;
const clock = { now: () => new Date('2024-11-02T10:00:00.000Z') };

/** `count` HbA1c results, each at its own day. */
function observations(count: number): Resource[] {
  const hba1c = loadFhirFixture<Observation>('observation-hba1c.json');
  return Array.from({ length: count }, (_, k) => ({ ...hba1c, id: `obs-${k}`, effectiveDateTime: `2024-0${1 + (k % 9)}-1${k % 10}` }));
}

async function fhirServer(count: number): Promise<{ server: Server; base: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const type = new URL(req.url ?? '/', 'http://fixture').pathname.replace(/^\/fhir\//, '');
    const matches = type === 'Patient' ? [loadFhirFixture('patient-tolvan.json')] : type === 'Observation' ? observations(count) : [];
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: matches.map((resource) => ({ resource, search: { mode: 'match' } })) };
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(bundle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir` };
}

/** `count` results served `perPage` a page with next links; `requests` counts the Observation pages asked for. */
async function pagedServer(count: number, perPage: number): Promise<{ server: Server; base: string; requests: () => number }> {
  let requests = 0;
  const all = observations(count);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const type = url.pathname.replace(/^\/fhir\//, '');
    const page = Number(url.searchParams.get('page') ?? 0);
    if (type === 'Observation') requests++;
    const matches = type === 'Patient' ? [loadFhirFixture('patient-tolvan.json')] : type === 'Observation' ? all.slice(page * perPage, (page + 1) * perPage) : [];
    const more = type === 'Observation' && (page + 1) * perPage < count;
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(more ? { link: [{ relation: 'next', url: `${self}/fhir/Observation?patient=p&page=${page + 1}` }] } : {}),
      entry: matches.map((resource) => ({ resource, search: { mode: 'match' } })),
    };
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(bundle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`, requests: () => requests };
}

let over: { server: Server; base: string };
let at: { server: Server; base: string };

beforeAll(async () => {
  [over, at] = await Promise.all([fhirServer(LIMIT + 1), fhirServer(LIMIT)]);
});

afterAll(async () => {
  for (const { server } of [over, at]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const source = (id: string, base: string) => createFhirSource({ id, name: id, baseUrl: base, timeoutMs: 10_000, clock });

describe('a source answer with more records than the limit', () => {
  it('fails that source, coded, with none of its records; the source within the limit is shown whole', async () => {
    const service = createSummaryService({
      sources: [source('region-over', over.base), source('region-at', at.base)],
      clock,
      logger: createLogger('test'),
      maxItemsPerSource: LIMIT,
    });
    const summary = await service.open({ identifier: { ...TOLVAN } });
    const [tooMany, within] = summary.sources;
    expect(tooMany).toMatchObject({ sourceId: 'region-over', state: 'failed', error: 'SOURCE_RESPONSE_TOO_LARGE', itemCount: 0 });
    expect(within).toMatchObject({ sourceId: 'region-at', state: 'ok', itemCount: LIMIT });
    // The limit it passed travels in the status, for the screen and the CLI to name it (issue 14 probe).
    expect(tooMany?.limit).toEqual({ name: 'items', max: LIMIT });
    expect(within?.limit).toBeUndefined();
    const shown = summary.sections.results.flatMap((i) => i.sources.map((s) => s.sourceId));
    expect(shown.filter((id) => id === 'region-over')).toEqual([]);
    expect(shown.filter((id) => id === 'region-at')).toHaveLength(LIMIT);
  });

  it('stops fetching pages once more records than the limit are mapped (the answer is refused whole anyway)', async () => {
    const paged = await pagedServer(40, 2);
    try {
      const service = createSummaryService({ sources: [source('region-paged', paged.base)], clock, logger: createLogger('test'), maxItemsPerSource: LIMIT });
      const summary = await service.open({ identifier: { ...TOLVAN } });
      expect(summary.sources[0]).toMatchObject({ state: 'failed', error: 'SOURCE_RESPONSE_TOO_LARGE', itemCount: 0, limit: { name: 'items', max: LIMIT } });
      // 6 records (past 5) are in after the third page of two: the other 17 pages are never asked for.
      expect(paged.requests()).toBe(3);
    } finally {
      paged.server.closeAllConnections();
      await new Promise<void>((resolve) => paged.server.close(() => resolve()));
    }
  });

  it('is read from the configuration (summary.maxItemsPerSource)', async () => {
    const config = parseConfig({ sources: [], summary: { maxItemsPerSource: LIMIT } });
    expect(config.summary?.maxItemsPerSource).toBe(LIMIT);
    expect(parseConfig({ sources: [], summary: {} }).summary?.maxItemsPerSource).toBe(100_000);
    const services = createServices({
      config,
      sources: [source('region-over', over.base)],
      clock,
      logger: createLogger('test'),
      transport: 'preview',
      version: 'test',
    });
    const summary = await services.summary.open({ identifier: { ...TOLVAN } });
    expect(summary.sources[0]).toMatchObject({ state: 'failed', error: 'SOURCE_RESPONSE_TOO_LARGE' });
  });
});
