import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import type { PatientQuery } from '../../../src/main/sources/types';
import { guardIdentity } from '../../../src/main/summary/identityGuard';

const FIXTURES = join(__dirname, '../../fixtures/hl7');
const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const ELSA: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '201701022384' } };
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
    expect(tolvan.items.map((i) => i.text).sort()).toEqual(['Bedömning', 'CRP']);
    const elsa = await source.fetchPatient(ELSA, signal());
    expect(() => guardIdentity(elsa, ELSA)).not.toThrow();
    expect(elsa.items.map((i) => i.codes[0]?.code)).toEqual(['718-7']);
    expect(readdirSync(join(folder, 'processed')).sort()).toEqual(['batch-two-patients.hl7', 'oru-latin1-tolvan.hl7']);
  });

  it('quarantines a malformed message in the middle with its reason; the rest of the batch imports', async () => {
    drop('batch-malformed-middle.hl7');
    const source = open();
    const report = await source.importNew();
    expect(report).toEqual({ imported: 2, quarantinedFiles: 0, quarantinedMessages: 1, unverifiedFiles: 0, duplicateFiles: 0 });
    const result = await source.fetchPatient(TOLVAN, signal());
    expect(result.items.map((i) => i.codes[0]?.code).sort()).toEqual(['2823-3', '718-7']);
    const quarantined = readdirSync(join(folder, 'quarantine')).sort();
    expect(quarantined).toEqual(['batch-malformed-middle.hl7.message-2.hl7', 'batch-malformed-middle.hl7.message-2.hl7.reason.json']);
    const reason = JSON.parse(readFileSync(join(folder, 'quarantine', quarantined[1] as string), 'utf8'));
    expect(reason).toEqual({ code: 'HL7_MALFORMED', params: { message: 2, segment: 3 }, at: expect.any(String) });
    // The message's own bytes, line breaks and all, cut from the original file.
    const original = readFileSync(join(FIXTURES, 'batch-malformed-middle.hl7'), 'latin1');
    const m2 = original.slice(original.indexOf('MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M2'), original.indexOf('MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M3'));
    expect(readFileSync(join(folder, 'quarantine', quarantined[0] as string), 'latin1')).toBe(m2);
    // Never deleted: the original batch is kept in processed/.
    expect(existsSync(join(folder, 'processed', 'batch-malformed-middle.hl7'))).toBe(true);
  });

  it('quarantines a file that is not HL7 at all, with a reason file, and imports nothing from it', async () => {
    drop('not-hl7.hl7', 'letter.txt');
    const source = open();
    expect(await source.importNew()).toEqual({ imported: 0, quarantinedFiles: 1, quarantinedMessages: 0, unverifiedFiles: 0, duplicateFiles: 0 });
    expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual(['letter.txt', 'letter.txt.reason.json']);
    expect(JSON.parse(readFileSync(join(folder, 'quarantine', 'letter.txt.reason.json'), 'utf8'))).toEqual({
      code: 'HL7_MALFORMED',
      params: { message: 0, segment: 1 },
      at: expect.any(String),
    });
    expect(readFileSync(join(folder, 'quarantine', 'letter.txt')).equals(readFileSync(join(FIXTURES, 'not-hl7.hl7')))).toBe(true);
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
    expect(await second.importNew()).toMatchObject({ imported: 0, duplicateFiles: 1 });
    expect((await second.fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect(existsSync(join(folder, 'batch-two-patients.hl7'))).toBe(false);
  });

  it('finishes a move a crash interrupted (ledger written, file not yet in processed/) and imports it once', async () => {
    drop('batch-two-patients.hl7');
    await open().importNew();
    renameSync(join(folder, 'processed', 'batch-two-patients.hl7'), join(folder, 'batch-two-patients.hl7'));
    const second = open();
    expect(await second.importNew()).toEqual({ imported: 0, quarantinedFiles: 0, quarantinedMessages: 0, unverifiedFiles: 0, duplicateFiles: 0 });
    expect((await second.fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect((await second.fetchPatient(TOLVAN, signal())).items).toHaveLength(1);
    expect(readdirSync(join(folder, 'processed'))).toEqual(['batch-two-patients.hl7']);
  });

  it('finishes an interrupted quarantine move, writing its reason file from the ledger', async () => {
    drop('not-hl7.hl7', 'letter.txt');
    await open().importNew();
    renameSync(join(folder, 'quarantine', 'letter.txt'), join(folder, 'letter.txt'));
    rmSync(join(folder, 'quarantine', 'letter.txt.reason.json'));
    expect(await open().importNew()).toMatchObject({ quarantinedFiles: 0, duplicateFiles: 0 });
    expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual(['letter.txt', 'letter.txt.reason.json']);
    expect(JSON.parse(readFileSync(join(folder, 'quarantine', 'letter.txt.reason.json'), 'utf8')).code).toBe('HL7_MALFORMED');
  });

  it('does not use a processed file that changed or went missing after import, and says so', async () => {
    drop('batch-two-patients.hl7');
    drop('oru-latin1-tolvan.hl7');
    await open().importNew();
    // Someone edits one imported file (a different patient's data could now be in it) and removes the other.
    const edited = join(folder, 'processed', 'batch-two-patients.hl7');
    writeFileSync(edited, readFileSync(edited, 'latin1').replace('121|g/L', '99|g/L'), 'latin1');
    rmSync(join(folder, 'processed', 'oru-latin1-tolvan.hl7'));
    const restarted = open();
    expect(await restarted.importNew()).toMatchObject({ imported: 0, unverifiedFiles: 2 });
    expect((await restarted.fetchPatient(ELSA, signal())).items).toEqual([]);
    expect((await restarted.fetchPatient(TOLVAN, signal())).items).toEqual([]);
    // The original bytes dropped again are imported anew.
    drop('batch-two-patients.hl7');
    expect(await restarted.importNew()).toMatchObject({ imported: 2, duplicateFiles: 0 });
    expect((await restarted.fetchPatient(ELSA, signal())).items.map((i) => i.value)).toEqual([{ value: 121, unit: 'g/L' }]);
  });

  it('imports a new file dropped under a name used before; the same bytes under a new name are not imported twice', async () => {
    drop('oru-latin1-tolvan.hl7', 'lab.hl7');
    const source = open();
    expect((await source.importNew()).imported).toBe(1);
    drop('batch-two-patients.hl7', 'lab.hl7');
    expect((await source.importNew()).imported).toBe(2);
    drop('batch-two-patients.hl7', 'resent.hl7');
    expect(await source.importNew()).toMatchObject({ imported: 0, duplicateFiles: 1 });
    const restarted = open();
    expect((await restarted.fetchPatient(TOLVAN, signal())).items).toHaveLength(2);
    expect(readdirSync(join(folder, 'processed'))).toHaveLength(3);
  });

  it('replaces a version 1 ledger (which held clinical data) by one rebuilt from processed/, keeping import times', async () => {
    mkdirSync(join(folder, 'processed'));
    drop('oru-latin1-tolvan.hl7', 'processed/oru-latin1-tolvan.hl7');
    const legacy = {
      version: 1,
      files: { 'oru-latin1-tolvan.hl7': { outcome: 'imported', at: '2026-09-17T05:00:00.000Z', messages: 1, quarantinedMessages: 0 } },
      messages: [{ file: 'oru-latin1-tolvan.hl7', index: 1, subjects: [{ identifiers: [TOLVAN.identifier], name: 'Tolvan Tolvansson' }], items: [] }],
    };
    writeFileSync(join(folder, LEDGER_FILE), JSON.stringify(legacy));
    const source = open();
    const items = (await source.fetchPatient(TOLVAN, signal())).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.provenance.fetchedAt).toBe('2026-09-17T05:00:00.000Z');
    const ledger = readFileSync(join(folder, LEDGER_FILE), 'utf8');
    expect(JSON.parse(ledger).version).toBe(2);
    expect(ledger).not.toContain('Tolvansson');
    expect(ledger).not.toContain('191212121212');
    expect(readdirSync(folder).filter((n) => n.startsWith(LEDGER_FILE))).toEqual([LEDGER_FILE]);
  });

  it('keeps an unreadable ledger aside and rebuilds it from processed/', async () => {
    drop('batch-two-patients.hl7');
    await open().importNew();
    writeFileSync(join(folder, LEDGER_FILE), '{ torn');
    const restarted = open();
    expect((await restarted.fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect(readdirSync(folder).some((n) => n.startsWith(`${LEDGER_FILE}.unreadable-`))).toBe(true);
    // The rebuilt ledger lists the file again, so a further restart loads it from there.
    expect((await open().fetchPatient(ELSA, signal())).items).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')).files).toEqual([
      expect.objectContaining({ name: 'batch-two-patients.hl7', outcome: 'imported', messages: 2 }),
    ]);
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
