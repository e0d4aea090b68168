/**
 * The batch folder loses nothing and never fails as a whole (issue 14, item
 * 3 and the folder's rows of the fault matrix): growing and truncated batches,
 * links, things that are not files, unreadable files, size and count limits,
 * a crash in an import, a full disk and a read-only folder. Each ends as a coded
 * reason per file or a coded folder status, the data already imported is still
 * answered, and fetchPatient never throws for it.
 */
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/main/sources/hl7v2/batchImporter';
import { createBatchFolderSource, type BatchFolderConfig, type FolderFs } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import type { PatientQuery } from '../../../src/main/sources/types';
import { faultyDisk, type FaultyDisk, put } from './faultyDisk';

const NATIONAL_ID = '198112189876';
const PATIENT: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: NATIONAL_ID } };
const PID = `PID|1||${NATIONAL_ID}^^^1.2.752.129.2.1.3.1^NNSWE||Östergård^Märtha||19811218|F`;
const signal = () => new AbortController().signal;
/** File times and the importer's clock start here; time is moved by moving both. */
const T0 = Date.parse('2026-09-17T08:00:00Z');

function message(id: string, text: string): string {
  return [`MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|${id}|P|2.5|||||SWE|8859/1`, PID, `OBX|1|TX|11502-2^Bedömning^LN||${text}||||||F`].join(
    '\r',
  );
}

const BHS = 'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916';

/** node:fs, telling each open (and free to refuse it by throwing). */
function fsOpening(onOpen: (file: string) => void): FolderFs {
  const openSync = (file: nodeFs.PathLike, flags: nodeFs.OpenMode, mode?: nodeFs.Mode): number => {
    onOpen(String(file));
    return nodeFs.openSync(file, flags, mode);
  };
  return { ...nodeFs, openSync: openSync as FolderFs['openSync'] };
}

function batch(...texts: string[]): string {
  return [BHS, ...texts.map((t, i) => message(`B${i + 1}`, t)), `BTS|${texts.length}`].join('\r') + '\r';
}

describe('HL7 v2 batch folder: files that are not ready, not files, or too much', () => {
  let folder: string;
  let outside: string;
  let time: number;
  const clock = { now: () => new Date(time) };
  const open = (extra: Partial<BatchFolderConfig> = {}) =>
    createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 2_000, clock, ...extra });
  /** Writes a file as a writer would, with its modification time at `at`. */
  const write = (name: string, text: string, at: number) => {
    put(join(folder, name), text);
    utimesSync(join(folder, name), new Date(at), new Date(at));
  };
  const values = async (source: ReturnType<typeof open>) => (await source.fetchPatient(PATIENT, signal())).items.map((i) => i.value).sort();
  const reasonOf = (file: string) => JSON.parse(readFileSync(join(folder, 'quarantine', `${file}.reason.json`), 'utf8'));

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-faults-'));
    outside = mkdtempSync(join(tmpdir(), 'samsyn-hl7-outside-'));
    time = T0;
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('waits for a batch whose writer paused longer than the settle time, and imports it whole once its BTS is written', async () => {
    const whole = batch('Första', 'Andra', 'Tredje');
    const half = whole.slice(0, whole.indexOf('MSH', whole.indexOf('Andra')));
    write('lab.hl7', half, T0);
    time = T0 + 30_000; // far past the settle time: the writer is just slow
    const source = open();
    expect(await source.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 0 });
    expect(source.folderStatus()).toMatchObject({ waiting: 1, importedFiles: 0, skipped: [] });
    expect(existsSync(join(folder, 'lab.hl7'))).toBe(true);

    write('lab.hl7', whole, T0 + 40_000);
    time = T0 + 45_000;
    expect(await source.importNew()).toMatchObject({ imported: 3 });
    expect(await values(source)).toEqual(['Andra', 'Första', 'Tredje']);
    expect(source.folderStatus()).toMatchObject({ waiting: 0, importedFiles: 1, messages: 3 });
  });

  it('also waits across a restart, and quarantines a batch whose end never comes as HL7_FILE_INCOMPLETE', async () => {
    const whole = batch('Första', 'Andra');
    write('truncated.hl7', whole.slice(0, whole.indexOf('BTS')), T0);
    time = T0 + 60_000;
    expect(await open().importNew()).toMatchObject({ imported: 0, quarantinedFiles: 0 });
    // A restart: still waiting, shown as such.
    const restarted = open();
    await restarted.importNew();
    expect(restarted.folderStatus()).toMatchObject({ waiting: 1, quarantinedFiles: 0 });

    time = T0 + DEFAULT_LIMITS.incompleteAfterMs;
    expect(await restarted.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 1 });
    expect(reasonOf('truncated.hl7')).toEqual({ code: 'HL7_FILE_INCOMPLETE', params: { name: 'BTS', reason: 'no-end-marker' }, at: expect.any(String) });
    expect(restarted.folderStatus()).toMatchObject({ waiting: 0, quarantinedFiles: 1, quarantined: { HL7_FILE_INCOMPLETE: 1 } });
    // Never imported in part.
    expect(await values(restarted)).toEqual([]);
  });

  it('an FHS file waits for its FTS', async () => {
    const body = ['FHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916', BHS, message('F1', 'Fil'), 'BTS|1'].join('\r');
    write('file.hl7', body, T0);
    time = T0 + 60_000;
    const source = open();
    expect((await source.importNew()).imported).toBe(0);
    write('file.hl7', `${body}\rFTS|1\r`, T0 + 60_000);
    time = T0 + 70_000;
    expect((await source.importNew()).imported).toBe(1);
  });

  it('keeps what was imported when the writer went on writing after the file was moved, and says so', async () => {
    write('lab.hl7', message('G1', 'Före'), T0);
    time = T0 + 10_000;
    expect((await open().importNew()).imported).toBe(1);
    appendFileSync(join(folder, 'processed', 'lab.hl7'), `\r${message('G2', 'Efter')}`);
    const restarted = open();
    expect(await restarted.importNew()).toMatchObject({ unverifiedFiles: 1 });
    expect(await values(restarted)).toEqual(['Före']);
    expect(restarted.folderStatus().unverified).toEqual([{ code: 'HL7_IMPORTED_FILE_CHANGED', params: { reason: 'grown' } }]);
  });

  it('never follows a symbolic link, dangling or pointing out of the folder; other files import and nothing fails', async () => {
    write('first.hl7', message('S1', 'Innan'), T0);
    time = T0 + 10_000;
    const source = open();
    await source.importNew();
    // A file outside the folder, with another patient's kind of data, linked in; and a link to nowhere.
    put(join(outside, 'secret.hl7'), message('X1', 'Utanför'));
    symlinkSync(join(outside, 'secret.hl7'), join(folder, 'link.hl7'));
    symlinkSync(join(outside, 'missing.hl7'), join(folder, 'dangling.hl7'));
    // A link to a folder outside: its files are not walked either.
    symlinkSync(outside, join(folder, 'linked-folder'));
    write('second.hl7', message('S2', 'Sedan'), T0);
    expect(await source.importNew()).toMatchObject({ imported: 1, quarantinedFiles: 0 });
    expect(await values(source)).toEqual(['Innan', 'Sedan']);
    expect(source.folderStatus()).toMatchObject({
      importedFiles: 2,
      waiting: 0,
      skipped: [{ code: 'HL7_FILE_LINK' }, { code: 'HL7_FILE_LINK' }, { code: 'HL7_FILE_LINK' }],
    });
    // Left where they are, the target untouched and never moved into the folder.
    expect(readdirSync(outside).sort()).toEqual(['secret.hl7']);
    expect(existsSync(join(folder, 'link.hl7'))).toBe(true);
    expect(readdirSync(join(folder, 'processed')).sort()).toEqual(['first.hl7', 'second.hl7']);
    // A restart answers the same and skips the same.
    const restarted = open();
    expect(await values(restarted)).toEqual(['Innan', 'Sedan']);
    expect(restarted.folderStatus().skipped).toHaveLength(3);
  });

  it('skips a directory and a FIFO without opening them (a FIFO would block a read)', async () => {
    mkdirSync(join(folder, 'subfolder'));
    execFileSync('mkfifo', [join(folder, 'pipe.hl7')]);
    write('lab.hl7', message('P1', 'Svar'), T0);
    time = T0 + 10_000;
    const source = open();
    expect((await source.importNew()).imported).toBe(1);
    expect(source.folderStatus()).toMatchObject({ waiting: 0, skipped: [{ code: 'HL7_FILE_NOT_REGULAR' }, { code: 'HL7_FILE_NOT_REGULAR' }] });
    expect(await values(source)).toEqual(['Svar']);
  });

  it('leaves a file it cannot read where it is with FILE_UNREADABLE, answers the rest, and imports it once readable', async () => {
    // Root reads mode-000 files, so the denial is injected: node:fs wrapped to refuse opening this one file.
    let denied: string | undefined = 'locked.hl7';
    let failRead = false;
    const fs: FolderFs = {
      ...fsOpening((file) => {
        if (denied && file.endsWith(denied)) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }),
      readSync: ((...args: Parameters<typeof nodeFs.readSync>) => {
        if (failRead) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return (nodeFs.readSync as (...a: unknown[]) => number)(...args);
      }) as FolderFs['readSync'],
    };
    write('early.hl7', message('U0', 'Tidigt'), T0);
    write('locked.hl7', message('U1', 'Låst'), T0);
    time = T0 + 10_000;
    const source = open({ fs });
    expect(await source.importNew()).toMatchObject({ imported: 1 });
    expect(source.folderStatus()).toMatchObject({ waiting: 0, skipped: [{ code: 'FILE_UNREADABLE', params: { reason: 'permission' } }] });
    expect(await values(source)).toEqual(['Tidigt']);

    denied = undefined;
    failRead = true;
    await source.importNew();
    expect(source.folderStatus().skipped).toEqual([{ code: 'FILE_UNREADABLE', params: { reason: 'io' } }]);
    failRead = false;
    expect((await source.importNew()).imported).toBe(1);
    expect(await values(source)).toEqual(['Låst', 'Tidigt']);
    expect(source.folderStatus().skipped).toEqual([]);
  });

  it('quarantines a file over the size limit by its size alone, without ever opening it', async () => {
    const opened: string[] = [];
    const fs = fsOpening((file) => opened.push(file));
    const big = batch(...Array.from({ length: 40 }, (_, i) => `Rad ${i}`));
    write('big.hl7', big, T0);
    write('small.hl7', message('Z1', 'Liten'), T0);
    time = T0 + 10_000;
    const source = open({ fs, maxFileBytes: 4_096 });
    expect(await source.importNew()).toMatchObject({ imported: 1, quarantinedFiles: 1 });
    expect(opened.some((f) => f.endsWith('big.hl7'))).toBe(false);
    expect(reasonOf('big.hl7')).toEqual({
      code: 'HL7_FILE_TOO_LARGE',
      params: { reason: 'bytes', expected: 4_096, found: Buffer.byteLength(big, 'latin1') },
      at: expect.any(String),
    });
    expect(readFileSync(join(folder, 'quarantine', 'big.hl7'), 'latin1')).toBe(big);
    expect(source.folderStatus()).toMatchObject({ importedFiles: 1, quarantinedFiles: 1, quarantined: { HL7_FILE_TOO_LARGE: 1 } });
    // The default fits a workstation.
    expect(DEFAULT_LIMITS.maxFileBytes).toBe(50 * 1024 * 1024);
  });

  it('quarantines a file with more messages or segments than the limits, naming the limit', async () => {
    write('many.hl7', batch('A', 'B', 'C'), T0);
    const longMessage = [message('L1', 'Lång'), ...Array.from({ length: 20 }, (_, i) => `NTE|${i + 1}||rad`)].join('\r');
    write('long.hl7', longMessage, T0);
    time = T0 + 10_000;
    const source = open({ maxMessages: 2, maxSegments: 12 });
    expect(await source.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 2 });
    expect(reasonOf('many.hl7').params).toEqual({ reason: 'messages', expected: 2, found: 3 });
    expect(reasonOf('long.hl7').params).toEqual({ reason: 'segments', expected: 12, found: 23 });
    // Never tried again: a restart leaves them in quarantine, and the same bytes dropped again are moved along.
    write('many-again.hl7', batch('A', 'B', 'C'), T0);
    const restarted = open({ maxMessages: 2, maxSegments: 12 });
    expect(await restarted.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 0, duplicateFiles: 1 });
    expect(restarted.folderStatus()).toMatchObject({ quarantinedFiles: 2, quarantined: { HL7_FILE_TOO_LARGE: 2 }, waiting: 0 });
  });

  it('quarantines the file an earlier run died importing instead of trying it again (no crash loop)', async () => {
    write('done.hl7', message('C0', 'Klar'), T0);
    time = T0 + 10_000;
    await open().importNew();
    // The state a process leaves when it dies while parsing (out of memory): the attempt is in the ledger, the file in the folder.
    write('heavy.hl7', batch('Tung'), T0);
    const ledger = JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8'));
    const size = readFileSync(join(folder, 'heavy.hl7')).length;
    writeFileSync(join(folder, LEDGER_FILE), JSON.stringify({ ...ledger, attempt: { name: 'heavy.hl7', size, at: new Date(time).toISOString() } }));

    const opened: string[] = [];
    const fs = fsOpening((file) => opened.push(file));
    const restarted = open({ fs });
    expect(await restarted.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 1 });
    expect(opened.some((f) => f.endsWith('heavy.hl7'))).toBe(false);
    expect(reasonOf('heavy.hl7')).toEqual({ code: 'HL7_IMPORT_INTERRUPTED', params: {}, at: expect.any(String) });
    expect(await values(restarted)).toEqual(['Klar']);
    const after = JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8'));
    expect(after.attempt).toBeUndefined();
    expect(after.files).toContainEqual(expect.objectContaining({ name: 'heavy.hl7', outcome: 'quarantined', size }));
    // And a normal import leaves no attempt behind.
    write('next.hl7', message('C1', 'Nästa'), T0);
    expect((await restarted.importNew()).imported).toBe(1);
    expect(JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')).attempt).toBeUndefined();
  });

  it('after a restart every entry is imported, quarantined with its reason, waiting, or skipped with its reason', async () => {
    write('ok.hl7', message('R1', 'Bra'), T0);
    write('bad.txt', 'inte HL7', T0);
    time = T0 + 10_000;
    await open().importNew();
    write('fresh.hl7', message('R2', 'Ny'), time - 500); // within the settle time
    symlinkSync(join(outside, 'x'), join(folder, 'link.hl7'));
    const restarted = open();
    await restarted.importNew();
    expect(restarted.folderStatus()).toEqual({
      importedFiles: 1,
      messages: 1,
      quarantinedFiles: 1,
      quarantined: { HL7_MALFORMED: 1 },
      quarantinedMessages: 0,
      waiting: 1,
      skipped: [{ code: 'HL7_FILE_LINK' }],
      unverified: [],
      checkedAt: new Date(time).toISOString(),
    });
  });
});

describe('HL7 v2 batch folder on a failing disk', () => {
  let disk: FaultyDisk;
  let folder: string;
  let time: number;
  const clock = { now: () => new Date(time) };
  const open = () =>
    createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 0, clock, ...(disk.fs ? { fs: disk.fs } : {}) });
  const values = async (source: ReturnType<typeof open>) => (await source.fetchPatient(PATIENT, signal())).items.map((i) => i.value).sort();

  beforeEach(() => {
    disk = faultyDisk();
    folder = join(disk.dir, 'drop');
    mkdirSync(folder);
    time = T0;
  });
  afterEach(() => disk.cleanup());

  it(`a full disk: HL7_FOLDER_DISK_FULL, the new file waits, what was imported is answered, and it imports once there is room`, async () => {
    put(join(folder, 'first.hl7'), message('D1', 'Först'));
    const source = open();
    expect((await source.importNew()).imported).toBe(1);
    put(join(folder, 'second.hl7'), message('D2', 'Sedan'));
    disk.fill();
    await expect(source.fetchPatient(PATIENT, signal())).resolves.toBeDefined();
    expect(await values(source)).toEqual(['Först']);
    expect(source.folderStatus()).toMatchObject({ error: { code: 'HL7_FOLDER_DISK_FULL' }, waiting: 1, importedFiles: 1 });
    expect(existsSync(join(folder, 'second.hl7'))).toBe(true);
    disk.free();
    expect(await values(source)).toEqual(['Först', 'Sedan']);
    expect(source.folderStatus().error).toBeUndefined();
    // Nothing half-written: a restart reads the same.
    expect(await values(open())).toEqual(['Först', 'Sedan']);
  });

  it('a read-only folder after a restart: HL7_FOLDER_READ_ONLY, what was imported is answered, the new file waits', async () => {
    put(join(folder, 'first.hl7'), message('R1', 'Först'));
    expect((await open().importNew()).imported).toBe(1);
    put(join(folder, 'second.hl7'), message('R2', 'Sedan'));
    disk.readOnly();
    const restarted = open();
    expect(await values(restarted)).toEqual(['Först']);
    expect(restarted.folderStatus()).toMatchObject({ error: { code: 'HL7_FOLDER_READ_ONLY' }, waiting: 1, importedFiles: 1 });
    expect(existsSync(join(folder, 'second.hl7'))).toBe(true);
  });
});
