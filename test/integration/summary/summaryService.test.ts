import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createSummaryService, type SummaryService } from '../../../src/main/summary/summaryService';
import type { Summary } from '../../../src/shared/summary';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;
let service: SummaryService;

const query = (key: string) => sandboxQuery(key, NOW);

const status = (s: Summary, id: string) => s.sources.find((x) => x.sourceId === id);
const allItems = (s: Summary) => Object.values(s.sections).flat();

beforeAll(async () => {
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
  const sources = createSourceAdapters({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 6_000, enabled: true },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 6_000, enabled: true },
    ],
  });
  service = createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') });
});

afterEach(() => {
  nord.setFault('none');
  syd.setFault('none');
});

afterAll(async () => {
  await Promise.all([nord.close(), syd.close()]);
});

describe('summary service against two sandbox regions', () => {
  it('merges the allergy and medication both regions hold, once, with both sources', async () => {
    const s = await service.open(query('tolvan'));
    expect(s.sources.map((x) => [x.sourceId, x.state])).toEqual([
      ['region-nord', 'ok'],
      ['region-syd', 'ok'],
    ]);
    const penicillin = s.sections.allergies.filter((i) => i.codes.some((c) => c.code === '764146007'));
    expect(penicillin).toHaveLength(1);
    expect(penicillin[0]?.sources.map((p) => p.sourceName).sort()).toEqual(['Region Nord', 'Region Syd']);
    const apixaban = s.sections.medications.filter((i) => i.codes.some((c) => c.code === 'B01AF02'));
    expect(apixaban).toHaveLength(1);
    expect(new Set(apixaban[0]?.sources.map((p) => p.sourceId))).toEqual(new Set(['region-nord', 'region-syd']));
    expect(s.patient.name).toBe('Tolvan Tolvansson');
    expect(s.fromCache).toBe(false);
    expect(s.generatedAt).toBe(NOW.toISOString());
    // Every item says where it came from and when it was fetched.
    for (const item of allItems(s)) {
      expect(item.sources.length).toBeGreaterThan(0);
      for (const p of item.sources) expect(p.fetchedAt).toBeTruthy();
    }
  });

  it('shows a region that is down as failed and still shows the other region', async () => {
    nord.setFault('down');
    const s = await service.open(query('tolvan'));
    expect(status(s, 'region-nord')).toMatchObject({ state: 'failed', error: 'SOURCE_UNREACHABLE', itemCount: 0 });
    expect(status(s, 'region-syd')?.state).toBe('ok');
    expect(s.sections.allergies.length).toBeGreaterThan(0);
    expect(allItems(s).every((i) => i.sources.every((p) => p.sourceId === 'region-syd'))).toBe(true);
  });

  it('reports an OperationOutcome error with its code', async () => {
    syd.setFault('http500');
    const s = await service.open(query('tolvan'));
    expect(status(s, 'region-syd')).toMatchObject({ state: 'failed', error: 'SOURCE_OPERATION_OUTCOME' });
    expect(status(s, 'region-nord')?.state).toBe('ok');
  });

  it('marks a region slower than its deadline as timeout and answers without it', async () => {
    syd.setFault('slow', { slowMs: 30_000 });
    const s = await service.open(query('tolvan'));
    expect(status(s, 'region-syd')).toMatchObject({ state: 'timeout', error: 'SOURCE_TIMEOUT', itemCount: 0 });
    expect(status(s, 'region-nord')?.state).toBe('ok');
    expect(allItems(s).length).toBeGreaterThan(0);
  });

  it('rejects a region that answers about another patient, showing none of its items', async () => {
    nord.setFault('wrongPatient');
    const s = await service.open(query('tolvan'));
    expect(status(s, 'region-nord')).toMatchObject({ state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 });
    expect(allItems(s).every((i) => i.sources.every((p) => p.sourceId !== 'region-nord'))).toBe(true);
    expect(s.patient.name).toBe('Tolvan Tolvansson');
  });

  it('treats a region that does not know the patient as ok with nothing', async () => {
    const s = await service.open(query('matti'));
    expect(status(s, 'region-nord')).toMatchObject({ state: 'ok', itemCount: 0 });
    expect(status(s, 'region-syd')?.itemCount).toBeGreaterThan(0);
    expect(s.patient.name).toBe('Matti Meikäläinen');
  });

  it('reads all of the heavy chronic patient (paging), at least 2,000 results', async () => {
    const s = await service.open(query('heavy'));
    expect(status(s, 'region-nord')?.state).toBe('ok');
    expect(s.sections.results.length).toBeGreaterThanOrEqual(2_000);
  });
});
