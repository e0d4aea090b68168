import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import type { PatientQuery } from '../../../src/main/sources/types';
import { guardIdentity } from '../../../src/main/summary/identityGuard';

const FIXTURES = join(__dirname, '../../fixtures/hl7');
const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const ELSA: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '201701012393' } };
const signal = () => new AbortController().signal;

describe('HL7 v2 batch drop folder', () => {
  let folder: string;
  const open = () => createBatchFolderSource({ id: 'lab-ost', name: 'Laboratoriet Öst', folder, timeoutMs: 5_000, settleMs: 0 });
  const drop = (fixture: string, as = fixture) => copyFileSync(join(FIXTURES, fixture), join(folder, as));

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-batch-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('imports a batch per patient: each patient sees only their own messages', async () => {
    drop('batch-two-patients.hl7');
    drop('oru-latin1-tolvan.hl7');
    const source = open();
    const tolvan = await source.fetchPatient(TOLVAN, signal());
    expect(() => guardIdentity(tolvan, TOLVAN)).not.toThrow();
    expect(tolvan.items.map((i) => i.text).sort()).toEqual(['Bedömning', 'C reactive protein [Mass/volume] in Serum or Plasma']);
    const elsa = await source.fetchPatient(ELSA, signal());
    expect(() => guardIdentity(elsa, ELSA)).not.toThrow();
    expect(elsa.items.map((i) => i.codes[0]?.code)).toEqual(['718-7']);
    expect(readdirSync(join(folder, 'processed')).sort()).toEqual(['batch-two-patients.hl7', 'oru-latin1-tolvan.hl7']);
  });

  it('quarantines a malformed message in the middle with its reason; the rest of the batch imports', async () => {
    drop('batch-malformed-middle.hl7');
    const source = open();
    const report = await source.importNew();
    expect(report).toEqual({ imported: 2, quarantinedFiles: 0, quarantinedMessages: 1 });
    const result = await source.fetchPatient(TOLVAN, signal());
    expect(result.items.map((i) => i.codes[0]?.code).sort()).toEqual(['2823-3', '718-7']);
    const quarantined = readdirSync(join(folder, 'quarantine')).sort();
    expect(quarantined).toEqual(['batch-malformed-middle.hl7.message-2.hl7', 'batch-malformed-middle.hl7.message-2.hl7.reason.json']);
    const reason = JSON.parse(readFileSync(join(folder, 'quarantine', quarantined[1] as string), 'utf8'));
    expect(reason).toMatchObject({ code: 'HL7_MALFORMED', params: { message: 2, segment: 3 }, file: 'batch-malformed-middle.hl7', message: 2 });
    expect(readFileSync(join(folder, 'quarantine', quarantined[0] as string), 'utf8')).toContain('MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M2');
    // Never deleted: the original batch is kept in processed/.
    expect(existsSync(join(folder, 'processed', 'batch-malformed-middle.hl7'))).toBe(true);
  });

  it('quarantines a file that is not HL7 at all, with a reason file, and imports nothing from it', async () => {
    drop('not-hl7.hl7', 'letter.txt');
    const source = open();
    expect(await source.importNew()).toEqual({ imported: 0, quarantinedFiles: 1, quarantinedMessages: 0 });
    expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual(['letter.txt', 'letter.txt.reason.json']);
    expect(JSON.parse(readFileSync(join(folder, 'quarantine', 'letter.txt.reason.json'), 'utf8')).code).toBe('HL7_MALFORMED');
  });

  it('survives a restart: nothing read twice, nothing skipped, and files dropped later still import', async () => {
    drop('batch-two-patients.hl7');
    const first = open();
    expect((await first.importNew()).imported).toBe(2);
    const before = (await first.fetchPatient(TOLVAN, signal())).items;

    // A new process: a fresh adapter on the same folder.
    drop('oru-latin1-tolvan.hl7');
    const second = open();
    expect((await second.importNew()).imported).toBe(1);
    const after = (await second.fetchPatient(TOLVAN, signal())).items;
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((i) => i.codes[0]?.code === '1988-5')).toHaveLength(1);
    // Items keep the time their file was imported: honest age.
    expect(after.every((i) => typeof i.provenance.fetchedAt === 'string')).toBe(true);
  });

  it('finishes a move interrupted after the ledger was written, without importing the file again', async () => {
    drop('batch-two-patients.hl7');
    const first = open();
    await first.importNew();
    // Simulate the crash window: the file is back in the drop folder although the ledger has it.
    copyFileSync(join(folder, 'processed', 'batch-two-patients.hl7'), join(folder, 'batch-two-patients.hl7'));
    const second = open();
    expect((await second.importNew()).imported).toBe(0);
    expect((await second.fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect(existsSync(join(folder, 'batch-two-patients.hl7'))).toBe(false);
  });

  it('keeps an unreadable ledger aside and rebuilds it from processed/', async () => {
    drop('batch-two-patients.hl7');
    await open().importNew();
    writeFileSync(join(folder, LEDGER_FILE), '{ torn');
    const restarted = open();
    expect((await restarted.fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect(readdirSync(folder).some((n) => n.startsWith(`${LEDGER_FILE}.unreadable-`))).toBe(true);
  });

  it('leaves a file that is still being written for the next round', async () => {
    const source = createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 60_000 });
    drop('oru-latin1-tolvan.hl7');
    expect((await source.importNew()).imported).toBe(0);
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(folder, 'oru-latin1-tolvan.hl7'), old, old);
    expect((await source.importNew()).imported).toBe(1);
  });
});
