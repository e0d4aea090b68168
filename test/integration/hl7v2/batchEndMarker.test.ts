/**
 * The end of a single HL7 v2 message in the batch folder (issue 14; ADR 0026):
 * a single message declares no end, so its writer's end is told by
 * convention: an in-progress name (*.part, *.tmp, ~*) is never taken (write,
 * then rename); 'terminator' wants the last segment's CR; 'done-file' wants a
 * NAME.done beside the file. A file that never gets its end is quarantined as
 * HL7_FILE_INCOMPLETE with the reason, and the ledger still reads afterwards.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInProgressName, missingTerminator, type EndMarker } from '../../../src/main/sources/hl7v2/batchImporter';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import type { PatientQuery } from '../../../src/main/sources/types';

const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const MESSAGE = [
  'MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|E1|P|2.5',
  'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M',
  'OBX|1|NM|718-7^Hemoglobin^LN||121|g/L|||||F|||20250910',
].join('\r');
const signal = () => new AbortController().signal;
const LATER = 11 * 60_000; // past the default incompleteAfterMs (10 min)

describe('the end of a single message in the batch folder', () => {
  let folder: string;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const open = (endMarker?: EndMarker) =>
    createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 0, clock, ...(endMarker ? { endMarker } : {}) });
  const items = async (source: ReturnType<typeof open>) => (await source.fetchPatient(TOLVAN, signal())).items.length;
  const reason = (name: string) => JSON.parse(readFileSync(join(folder, 'quarantine', `${name}.reason.json`), 'utf8')) as { code: string; params: object };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-end-'));
    offset = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('knows the in-progress names of the write-then-rename convention', () => {
    for (const name of ['lab.hl7.part', 'lab.hl7.tmp', 'lab.HL7.PARTIAL', 'lab.hl7.filepart', '~lab.hl7']) expect(isInProgressName(name)).toBe(true);
    for (const name of ['lab.hl7', 'lab.part.hl7', 'lab', 'tmp.hl7']) expect(isInProgressName(name)).toBe(false);
  });

  it('never takes a file under an in-progress name, even long after; takes it once renamed', async () => {
    writeFileSync(join(folder, 'lab.hl7.part'), MESSAGE.slice(0, 60)); // a writer part-way through
    const source = open();
    offset = LATER;
    expect(await items(source)).toBe(0);
    expect(source.folderStatus()).toMatchObject({ waiting: 1, quarantinedFiles: 0 });
    writeFileSync(join(folder, 'lab.hl7.part'), `${MESSAGE}\r`);
    renameSync(join(folder, 'lab.hl7.part'), join(folder, 'lab.hl7'));
    expect(await items(source)).toBe(1);
    expect(readdirSync(join(folder, 'processed'))).toEqual(['lab.hl7']);
  });

  it("'terminator': a message without its last CR waits, and imports once the CR is written", async () => {
    expect(missingTerminator(Buffer.from(MESSAGE))).toBe('CR');
    expect(missingTerminator(Buffer.from(`${MESSAGE}\r\n\x1a`))).toBeUndefined();
    expect(missingTerminator(Buffer.from(`BHS|^~\\&\r${MESSAGE}`))).toBeUndefined(); // a batch ends with BTS instead
    writeFileSync(join(folder, 'lab.hl7'), MESSAGE);
    const source = open('terminator');
    expect(await items(source)).toBe(0);
    expect(source.folderStatus()).toMatchObject({ waiting: 1, importedFiles: 0 });
    appendFileSync(join(folder, 'lab.hl7'), '\r');
    expect(await items(source)).toBe(1);
  });

  it("'terminator': a message that never gets its CR is quarantined as incomplete, and the ledger still reads", async () => {
    writeFileSync(join(folder, 'lab.hl7'), MESSAGE);
    offset = LATER;
    const source = open('terminator');
    expect(await items(source)).toBe(0);
    expect(reason('lab.hl7')).toMatchObject({ code: 'HL7_FILE_INCOMPLETE', params: { reason: 'no-segment-terminator' } });
    const again = open('terminator');
    await again.importNew();
    expect(again.folderStatus()).toMatchObject({ quarantined: { HL7_FILE_INCOMPLETE: 1 }, unverified: [] });
  });

  it("'settle' (the default) takes a message without its last CR once it stands still", async () => {
    writeFileSync(join(folder, 'lab.hl7'), MESSAGE);
    expect(await items(open())).toBe(1);
  });

  it("'done-file': a file waits for NAME.done, then imports and the marker moves with it", async () => {
    writeFileSync(join(folder, 'lab.hl7'), `${MESSAGE}\r`);
    const source = open('done-file');
    expect(await items(source)).toBe(0);
    expect(source.folderStatus()).toMatchObject({ waiting: 1, importedFiles: 0 });
    writeFileSync(join(folder, 'lab.hl7.done'), '');
    expect(await items(source)).toBe(1);
    expect(readdirSync(join(folder, 'processed')).sort()).toEqual(['lab.hl7', 'lab.hl7.done']);
    expect(readdirSync(folder).filter((n) => !n.startsWith('.') && n !== 'processed')).toEqual([]);
    // A marker alone is not a file to import.
    writeFileSync(join(folder, 'other.hl7.done'), '');
    await source.importNew();
    expect(source.folderStatus()).toMatchObject({ waiting: 0, quarantinedFiles: 0 });
    expect(existsSync(join(folder, 'other.hl7.done'))).toBe(true);
  });

  it("'done-file': a file whose marker never comes is quarantined as incomplete", async () => {
    writeFileSync(join(folder, 'lab.hl7'), `${MESSAGE}\r`);
    offset = LATER;
    const source = open('done-file');
    expect(await items(source)).toBe(0);
    expect(reason('lab.hl7')).toMatchObject({ code: 'HL7_FILE_INCOMPLETE', params: { reason: 'no-done-file' } });
  });
});
