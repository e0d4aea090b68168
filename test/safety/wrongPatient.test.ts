/**
 * Hazard H1 (SAFETY.md): the wrong patient shown. A FHIR region whose patient
 * index answers with somebody else and an MLLP peer that does the same are
 * both rejected as PATIENT_MISMATCH; nothing they sent is shown, and the
 * header still names the patient asked for.
 * Control: the identity guard (src/main/summary/identityGuard.ts, called by askSource).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main/app/config';
import { createSourceAdapters } from '../../src/main/app/createServices';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../src/main/sandbox/mllpServer';
import { allItems, fromSource, openTolvan, statusOf } from './hazardFixtures';

let nord: FhirSandbox;
let syd: FhirSandbox;
let mllp: MllpSandbox;

beforeAll(async () => {
  [nord, syd, mllp] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd', fault: 'wrongPatient' }),
    startMllpSandbox({ region: 'vast', fault: 'wrongPatient' }),
  ]);
});
afterAll(async () => {
  await Promise.all([nord.close(), syd.close(), mllp.close()]);
});

describe('H1 wrong patient', () => {
  it('rejects every answer about somebody else and shows none of it', async () => {
    const sources = createSourceAdapters(
      readConfig({
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000 },
          { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', host: '127.0.0.1', port: mllp.port, timeoutMs: 10_000 },
        ],
      }),
    );
    const s = await openTolvan(sources);
    expect(statusOf(s, 'region-syd')).toMatchObject({ state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 });
    expect(statusOf(s, 'kommun-vast')).toMatchObject({ state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 });
    expect(fromSource(s, 'region-syd')).toEqual([]);
    expect(fromSource(s, 'kommun-vast')).toEqual([]);
    // The patient asked for, from the region that answered about them.
    expect(s.patient.name).toBe('Tolvan Tolvansson');
    expect(statusOf(s, 'region-nord')?.state).toBe('ok');
    expect(allItems(s).length).toBeGreaterThan(0);
  });
});
