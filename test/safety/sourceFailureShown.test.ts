/**
 * Hazard H3 (SAFETY.md): a source's failure not shown, so a summary missing a
 * region's data looks complete. A region that is down and one that never
 * answers each end with a coded status of their own (failed / timeout with
 * its deadline), listed beside the region that answered.
 * Control: askSource turns every failure into a coded SourceStatus (src/main/summary/askSource.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main/app/config';
import { createSourceAdapters } from '../../src/main/app/createServices';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startHungServer, type HungServer } from '../e2e/hungServer';
import { openTolvan, statusOf } from './hazardFixtures';

let nord: FhirSandbox;
let syd: FhirSandbox;
let hung: HungServer;

beforeAll(async () => {
  [nord, syd, hung] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd', fault: 'down' }), startHungServer()]);
});
afterAll(async () => {
  await Promise.all([nord.close(), syd.close(), hung.close()]);
});

describe('H3 source failure not shown', () => {
  it('every configured source is listed with what happened to it, by code', async () => {
    const sources = createSourceAdapters(
      readConfig({
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000 },
          { id: 'region-hung', name: 'Region Hung', kind: 'fhir-r4', baseUrl: hung.url, timeoutMs: 500 },
        ],
      }),
    );
    const s = await openTolvan(sources);
    expect(s.sources.map((x) => x.sourceId)).toEqual(['region-nord', 'region-syd', 'region-hung']);
    expect(statusOf(s, 'region-nord')?.state).toBe('ok');
    expect(statusOf(s, 'region-syd')).toMatchObject({ state: 'failed', error: 'SOURCE_UNREACHABLE', itemCount: 0 });
    expect(statusOf(s, 'region-hung')).toMatchObject({ state: 'timeout', error: 'SOURCE_TIMEOUT', deadlineMs: 500, itemCount: 0 });
  });
});
