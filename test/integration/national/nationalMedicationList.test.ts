/**
 * The national medication list sandbox beside the two regions, through the
 * same adapters, identity guard, merge and summary as every other source.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createSummaryService, type SummaryService } from '../../../src/main/summary/summaryService';
import type { MergedItem, Summary } from '../../../src/shared/summary';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;
let nll: FhirSandbox;
let service: SummaryService;

beforeAll(async () => {
  [nord, syd, nll] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd' }),
    startFhirSandbox({ region: 'nll' }),
  ]);
  const sources = createSourceAdapters({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 3_000, enabled: true },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 3_000, enabled: true },
      {
        id: 'nll-se',
        name: 'Nationella läkemedelslistan',
        kind: 'fhir-r4',
        baseUrl: nll.url,
        timeoutMs: 3_000,
        enabled: true,
        role: 'nationalMedicationList',
        country: 'SE',
      } as never,
    ],
  });
  service = createSummaryService({ sources, clock: { now: () => NOW }, logger: createLogger('test') });
});

afterEach(() => nll.setFault('none'));

afterAll(async () => {
  await Promise.all([nord.close(), syd.close(), nll.close()]);
});

const byAtc = (s: Summary, atc: string): MergedItem[] =>
  s.sections.medications.filter((i) => i.codes.some((c) => c.code === atc));
const national = (items: MergedItem[]) => items.filter((i) => i.section === 'medications' && i.details.nationalList === 'SE');
const careUnit = (items: MergedItem[]) => items.filter((i) => i.section === 'medications' && !i.details.nationalList);
const kindOf = (i: MergedItem | undefined) => (i?.section === 'medications' ? i.details.recordKind : undefined);

describe('a national medication list beside the regions (sandbox on 127.0.0.1)', () => {
  it('answers for the same patient and labels every one of its records', async () => {
    const s = await service.open(sandboxQuery('tolvan', NOW));
    expect(s.sources.map((x) => [x.sourceId, x.state])).toEqual([
      ['region-nord', 'ok'],
      ['region-syd', 'ok'],
      ['nll-se', 'ok'],
    ]);
    const fromList = s.sections.medications.filter((i) => i.sources.some((p) => p.sourceId === 'nll-se'));
    expect(fromList.length).toBeGreaterThanOrEqual(10);
    for (const item of fromList) {
      expect(item.section === 'medications' && item.details.nationalList).toBe('SE');
      expect(item.sources.every((p) => p.sourceId === 'nll-se')).toBe(true);
    }
  });

  it('places the list’s apixaban prescription and dispensings beside the regions’ own item', async () => {
    const s = await service.open(sandboxQuery('tolvan', NOW));
    const apixaban = byAtc(s, 'B01AF02');
    const [regional] = careUnit(apixaban);
    expect(new Set(regional?.sources.map((p) => p.sourceId))).toEqual(new Set(['region-nord', 'region-syd']));
    expect(regional?.nationalList).toEqual({ prescribed: true, dispensed: true, lastDispensed: '2026-10-20T14:00:00+01:00' });
    const list = national(apixaban);
    expect(list.map(kindOf).sort()).toEqual(['dispensed', 'prescribed']);
    const dispensed = list.find((i) => kindOf(i) === 'dispensed');
    expect(dispensed?.details).toMatchObject({ lastDispensedAmount: '60 tabletter', dispenseCount: 2 });
    expect(dispensed?.careUnits).toEqual(['Region Nord', 'Region Syd']);
    expect(apixaban.some((i) => i.doubleMedication)).toBe(false);
  });

  it('shows where the list and the regions disagree', async () => {
    const s = await service.open(sandboxQuery('tolvan', NOW));
    // Furosemide: current in Region Nord, its national prescription expired in 2025.
    expect(careUnit(byAtc(s, 'C03CA01'))[0]?.nationalList).toEqual({ prescribed: false, dispensed: false });
    expect(national(byAtc(s, 'C03CA01'))[0]?.group).toBe('history');
    // Zopiclone: stopped in Region Syd in 2023, yet dispensed this month on a private prescription.
    const zopiclone = byAtc(s, 'N05CF01');
    expect(careUnit(zopiclone)[0]?.group).toBe('history');
    expect(careUnit(zopiclone)[0]?.nationalList).toMatchObject({ prescribed: true, dispensed: true });
    // Cefalexin: a finished course in Region Nord, not on the list; nothing to say about it.
    expect(careUnit(byAtc(s, 'J01DB01'))[0]?.nationalList).toBeUndefined();
    const dispensed = national(zopiclone).find((i) => kindOf(i) === 'dispensed');
    expect(dispensed?.group).toBe('current');
    expect(dispensed?.careUnits).toEqual([]);
    // Omeprazole: on the national list only.
    expect(careUnit(byAtc(s, 'A02BC01'))).toHaveLength(0);
    expect(national(byAtc(s, 'A02BC01')).every((i) => i.careUnits?.length === 0)).toBe(true);
    // Metoprolol: multi-dose dispensing.
    const meto = national(byAtc(s, 'C07AB02'));
    expect(meto.find((i) => kindOf(i) === 'dispensed')?.details).toMatchObject({ multiDose: true, lastDispensedAmount: '14 dospåsar' });
  });

  it('claims nothing about the list when it does not answer', async () => {
    nll.setFault('http500');
    const s = await service.open(sandboxQuery('tolvan', NOW));
    expect(s.sources.find((x) => x.sourceId === 'nll-se')?.state).toBe('failed');
    expect(s.sections.medications.some((i) => i.nationalList !== undefined || i.careUnits !== undefined)).toBe(false);
  });
});
