/**
 * The home-monitoring and maternity-care sandboxes as sources beside a region:
 * their observations land in the home-measurements and pregnancy sections,
 * measured-by-the-patient and device marked, values outside the care plan's
 * thresholds marked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createSummaryService, type SummaryService } from '../../../src/main/summary/summaryService';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let hemma: FhirSandbox;
let mvc: FhirSandbox;
let service: SummaryService;

beforeAll(async () => {
  [nord, hemma, mvc] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'hemma' }),
    startFhirSandbox({ region: 'mvc' }),
  ]);
  const sources = createSourceAdapters({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 3_000, enabled: true },
      { id: 'hem', name: 'Digital hemmonitorering', kind: 'fhir-r4', baseUrl: hemma.url, timeoutMs: 3_000, enabled: true, pageSize: 500, role: 'homeMonitoring' } as never,
      { id: 'mvc', name: 'Barnmorskemottagningen Syd', kind: 'fhir-r4', baseUrl: mvc.url, timeoutMs: 3_000, enabled: true, role: 'maternityCare' } as never,
    ],
  });
  service = createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') });
});

afterAll(async () => {
  await Promise.all([nord.close(), hemma.close(), mvc.close()]);
});

describe('home monitoring (sandbox on 127.0.0.1)', () => {
  it('fills the home-measurements section with four weeks of six kinds of measurement', async () => {
    const s = await service.open(sandboxQuery('tolvan', NOW));
    expect(s.sources.map((x) => [x.sourceId, x.state])).toEqual([
      ['region-nord', 'ok'],
      ['hem', 'ok'],
      ['mvc', 'ok'],
    ]);
    const home = s.sections.homeMeasurements.filter((i) => i.sources.some((p) => p.sourceId === 'hem'));
    expect(home).toHaveLength(28 * 6);
    const codes = new Set(home.map((i) => i.codes[0]?.code));
    expect(codes).toEqual(new Set(['85354-9', '8867-4', '29463-7', '2339-0', '59408-5', '8310-5']));
    for (const item of home) {
      if (item.section !== 'homeMeasurements') throw new Error('wrong section');
      expect(item.details.selfReported).toBe('performer');
      expect(item.details.device).toBeTruthy();
      expect(item.details.thresholds).toBe('carePlan');
    }
    // The region's own results are not moved: nothing of Region Nord lands in home measurements.
    expect(s.sections.homeMeasurements.every((i) => i.sources.every((p) => p.sourceId === 'hem'))).toBe(true);
  });

  it('marks the values outside the care plan’s thresholds, blood pressure by component', async () => {
    const s = await service.open(sandboxQuery('tolvan', NOW));
    const outside = s.sections.homeMeasurements.filter((i) => i.section === 'homeMeasurements' && i.details.outside);
    expect(outside.length).toBeGreaterThanOrEqual(5);
    const bp = outside.find((i) => i.codes[0]?.code === '85354-9' && i.date?.startsWith('2026-11-21'));
    expect(bp?.section === 'homeMeasurements' && bp.details.outside).toBe('high');
    const systolic = bp?.section === 'homeMeasurements' ? bp.details.components?.[0] : undefined;
    expect(systolic).toMatchObject({ outside: 'high', range: { high: { value: 150 } } });
    const weights = s.sections.homeMeasurements.filter((i) => i.codes[0]?.code === '29463-7');
    const lastWeight = weights.sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? 1 : -1))[0];
    expect(lastWeight?.section === 'homeMeasurements' && lastWeight.details.outside).toBe('high');
    const spo2 = s.sections.homeMeasurements.find((i) => i.codes[0]?.code === '59408-5' && i.section === 'homeMeasurements' && i.details.outside);
    expect(spo2?.section === 'homeMeasurements' && spo2.details.outside).toBe('low');
  });
});

describe('maternity care (sandbox on 127.0.0.1)', () => {
  it('puts the IPS pregnancy observations and every check-up in the pregnancy section', async () => {
    const s = await service.open(sandboxQuery('stina', NOW));
    expect(s.patient.name).toBe('Stina Testsson');
    expect(s.sources.find((x) => x.sourceId === 'mvc')?.state).toBe('ok');
    const codes = s.sections.pregnancy.map((i) => i.codes[0]?.code);
    for (const code of ['82810-3', '11778-8', '11640-0', '11636-8', '11612-9', '11614-5', '882-1', '890-4', '85354-9', '29463-7', '718-7', '20454-5', '25428-4', '11881-0']) {
      expect(codes, code).toContain(code);
    }
    expect(s.sections.results).toHaveLength(0);
    const edd = s.sections.pregnancy.find((i) => i.codes[0]?.code === '11778-8');
    expect(edd?.value).toBe('2027-03-10');
    const hb = s.sections.pregnancy.filter((i) => i.codes[0]?.code === '718-7').sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? 1 : -1));
    expect(hb[0]?.section === 'pregnancy' && hb[0].details.outside).toBe('low');
    // Her other records still land where they belong.
    expect(s.sections.medications.length).toBeGreaterThan(0);
    expect(s.sections.documents.length).toBeGreaterThan(0);
  });
});
