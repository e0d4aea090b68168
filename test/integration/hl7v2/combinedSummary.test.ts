import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/main/app/config';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { hl7SandboxDir } from '../../../src/main/sandbox/hl7Data';
import { startMllpSandbox, type MllpSandbox } from '../../../src/main/sandbox/mllpServer';
import { createSummaryService, type SummaryService } from '../../../src/main/summary/summaryService';
import type { Summary } from '../../../src/shared/summary';
import { patientQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;
let vast: MllpSandbox;
let folder: string;
let service: SummaryService;

const tolvan = () => patientQuery('19121212-1212', NOW);
const sourcesOf = (s: Summary, code: string, section: keyof Summary['sections']) =>
  s.sections[section].filter((i) => i.codes.some((c) => c.code === code)).map((i) => i.sources.map((p) => p.sourceId).sort());

beforeAll(async () => {
  [nord, syd, vast] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd' }),
    startMllpSandbox({ region: 'vast' }),
  ]);
  folder = mkdtempSync(join(tmpdir(), 'samsyn-combined-'));
  cpSync(join(hl7SandboxDir(), 'batch'), folder, { recursive: true });
  const config = parseConfig({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000 },
      { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: vast.port, timeoutMs: 10_000 },
      { id: 'lab-ost-files', name: 'Laboratoriet Öst (filer)', kind: 'hl7v2-batch', folder, timeoutMs: 10_000, settleMs: 0 },
    ],
  });
  service = createSummaryService({ sources: createSourceAdapters(config), clock: { now: () => NOW }, logger: createLogger('test') });
});

afterEach(() => vast.setFault('none'));

afterAll(async () => {
  await Promise.all([nord.close(), syd.close(), vast.close()]);
  rmSync(folder, { recursive: true, force: true });
});

describe('one summary from FHIR regions, an MLLP region and a batch folder', () => {
  it('answers from every source and merges the same coded facts across FHIR and HL7 v2', async () => {
    const s = await service.open(tolvan());
    expect(s.sources.map((x) => [x.sourceId, x.state])).toEqual([
      ['region-nord', 'ok'],
      ['region-syd', 'ok'],
      ['kommun-vast', 'ok'],
      ['lab-ost-files', 'ok'],
    ]);
    // Same SNOMED penicillin allergy in all three systems: one item, three sources.
    expect(sourcesOf(s, '764146007', 'allergies')).toEqual([['kommun-vast', 'region-nord', 'region-syd']]);
    // Same ATC metoprolol, same LOINC creatinine at the same time, same influenza vaccination.
    expect(sourcesOf(s, 'C07AB02', 'medications')[0]).toEqual(expect.arrayContaining(['kommun-vast', 'region-nord']));
    expect(sourcesOf(s, '14682-9', 'results')).toContainEqual(['kommun-vast', 'region-nord']);
    expect(sourcesOf(s, 'J07BB02', 'immunizations')).toContainEqual(['kommun-vast', 'region-nord']);
    // ICD-10-SE atrial fibrillation from Syd (FHIR) and Kommun Väst (HL7 DG1) merge on the same OID.
    expect(sourcesOf(s, 'I48.9', 'problems')).toContainEqual(['kommun-vast', 'region-syd']);
    // Apixaban: Kommun Väst's product code carries the ATC code the regions use, so it is one
    // substance in one group, with 5 mg against 2.5 mg shown as a conflict and a possible double medication.
    const eliquis = s.sections.medications.find((i) => i.codes.some((c) => c.code === '20110318000016'));
    expect([...new Set(eliquis?.sources.map((p) => p.sourceId))]).toEqual(['kommun-vast', 'region-nord', 'region-syd']);
    expect(eliquis?.conflicts.find((c) => c.field === 'strength')?.values.map((v) => v.value).sort()).toEqual(['2.5 mg', '2.5 mg', '5 mg']);
    expect(eliquis).toMatchObject({ group: 'current', doubleMedication: true, reconciliation: { class: 'similar', substance: 'B01AF02 apixaban' } });
    // The drop folder's lab results carry their own source.
    const crp = s.sections.results.find((i) => i.codes.some((c) => c.code === '1988-5'));
    expect(crp?.sources.map((p) => p.sourceName)).toEqual(['Laboratoriet Öst (filer)']);
  });

  it('shows the MLLP region as rejected when it answers about someone else, and keeps the rest', async () => {
    vast.setFault('wrongPatient');
    const s = await service.open(tolvan());
    expect(s.sources.find((x) => x.sourceId === 'kommun-vast')).toMatchObject({ state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 });
    expect(Object.values(s.sections).flat().some((i) => i.sources.some((p) => p.sourceId === 'kommun-vast'))).toBe(false);
    expect(s.sources.find((x) => x.sourceId === 'region-nord')?.state).toBe('ok');
  });

  it('shows an MLLP fault as a coded failed source, never silently', async () => {
    vast.setFault('nak');
    const s = await service.open(tolvan());
    expect(s.sources.find((x) => x.sourceId === 'kommun-vast')).toMatchObject({ state: 'failed', error: 'HL7_NAK' });
  });
});
