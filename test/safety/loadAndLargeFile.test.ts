/**
 * Hazard H10 (SAFETY.md): the app unusable under load or a large file. A
 * dropped file far over the folder's size limit is quarantined by its size
 * before it is read (HL7_FILE_TOO_LARGE, shown as a note), a region that
 * never answers ends at its deadline, and the summary is answered with
 * everything else.
 * Controls: the batch folder's size limit (src/main/sources/hl7v2/batchImporter.ts maxFileBytes);
 * each source's deadline (src/main/summary/askSource.ts withDeadline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main/app/config';
import { createSourceAdapters } from '../../src/main/app/createServices';
import { startHungServer, type HungServer } from '../e2e/hungServer';
import { dropFolder, fromSource, hl7Message, openTolvan, statusOf, type DropFolder } from './hazardFixtures';

const LIMIT = 64 * 1024;
let hung: HungServer;
let drop: DropFolder;

beforeAll(async () => {
  hung = await startHungServer();
  // 20,000 results in one file: about 2 MB, thirty times the limit.
  const many = Array.from({ length: 20_000 }, (_, i) => `OBX|${i + 1}|NM|2823-3^Kalium^LN||4,${i % 10}|mmol/L|||||F|||20260915090000+0100`);
  drop = dropFolder(
    {
      'small.hl7': hl7Message('S1', 'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria'),
      'huge.hl7': hl7Message('H1', ...many),
    },
    { maxFileBytes: LIMIT },
  );
});
afterAll(async () => {
  await hung.close();
  drop.cleanup();
});

describe('H10 unusable under load or a large file', () => {
  it('quarantines the oversized file by its size, ends a hung region at its deadline, shows the rest', async () => {
    const [region] = createSourceAdapters(readConfig({ sources: [{ id: 'region-hung', name: 'Hung', kind: 'fhir-r4', baseUrl: hung.url, timeoutMs: 500 }] }));
    const s = await openTolvan([region!, drop.source]);
    expect(statusOf(s, 'region-hung')).toMatchObject({ state: 'timeout', error: 'SOURCE_TIMEOUT', deadlineMs: 500 });
    expect(statusOf(s, 'lab')).toMatchObject({ state: 'ok', notes: [{ code: 'HL7_FILE_TOO_LARGE', count: 1 }] });
    // The small file's allergy is shown; none of the huge file's results.
    expect(s.sections.allergies.map((i) => i.text)).toEqual(['Penicillin']);
    expect(fromSource(s, 'lab')).toHaveLength(1);
  });
});
