/**
 * What a drop folder skipped or quarantined reaches the clinician: the source's
 * status in the summary carries each reason by code, while the data already
 * imported is still shown. Never only a log line.
 */
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/main/app/config';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { createSummaryService } from '../../../src/main/summary/summaryService';
import { patientQuery, sandboxQuery } from '../../fixtures/patientQuery';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('batch folder status in the summary', () => {
  it('names a link and an oversized file by their codes on the source, and still answers what was imported', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'samsyn-folder-status-'));
    const outside = mkdtempSync(join(tmpdir(), 'samsyn-outside-'));
    dirs.push(folder, outside);
    copyFileSync(join(__dirname, '..', '..', 'fixtures', 'hl7', 'oru-latin1-tolvan.hl7'), join(folder, 'a.hl7'));
    writeFileSync(join(outside, 'elsewhere.hl7'), 'MSH|^~\\&|X');
    symlinkSync(join(outside, 'elsewhere.hl7'), join(folder, 'link.hl7'));
    writeFileSync(join(folder, 'big.hl7'), Buffer.alloc(4096, 0x41));
    const config = parseConfig({
      sources: [{ id: 'lab', name: 'Lab', kind: 'hl7v2-batch', folder, settleMs: 0, maxFileBytes: 2048 }],
    });
    const service = createSummaryService({
      sources: createSourceAdapters(config),
      clock: { now: () => new Date() },
      logger: createLogger('test'),
    });
    const summary = await service.open(sandboxQuery('tolvan', new Date()));
    const lab = summary.sources[0];
    expect(lab?.state).toBe('ok');
    expect(lab?.itemCount).toBeGreaterThan(0);
    expect(lab?.notes).toEqual(
      expect.arrayContaining([
        { code: 'HL7_FILE_LINK', count: 1 },
        { code: 'HL7_FILE_TOO_LARGE', count: 1 },
      ]),
    );
  });
});

describe('batch folder default assigning authority', () => {
  const message = [
    'MSH|^~\\&|LAB|OST|SAMSYN|SAMSYN|20260916060000||ORU^R01|M1|P|2.5',
    'PID|1||LAB-4711||Provsson^Elsa',
    'OBR|1||F-1|2160-0^Kreatinin^LN|||20260915090000',
    'OBX|1|NM|2160-0^Kreatinin^LN||78|umol/L|60-105|N|||F|||20260915090000',
  ].join('\r');

  async function open(defaultAuthority: string | undefined, patient: string) {
    const folder = mkdtempSync(join(tmpdir(), 'samsyn-default-authority-'));
    dirs.push(folder);
    writeFileSync(join(folder, 'lab.hl7'), message);
    const config = parseConfig({
      sources: [{ id: 'lab', name: 'Lab', kind: 'hl7v2-batch', folder, settleMs: 0, ...(defaultAuthority ? { defaultAuthority } : {}) }],
    });
    const service = createSummaryService({ sources: createSourceAdapters(config), clock: { now: () => new Date() }, logger: createLogger('test') });
    return service.open(patientQuery(patient, new Date()));
  }

  it('matches a PID-3 without authority under the configured one, and never under another system', async () => {
    expect((await open('LAB-OST', 'LAB-OST|LAB-4711')).sections.results).toHaveLength(1);
    expect((await open(undefined, 'LAB-OST|LAB-4711')).sections.results).toHaveLength(0);
    expect((await open('LAB-OST', 'OTHER|LAB-4711')).sections.results).toHaveLength(0);
  });
});
