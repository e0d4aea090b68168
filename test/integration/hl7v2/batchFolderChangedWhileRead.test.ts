/**
 * A dropped file that changes while the batch folder reads it (ADR 0041: the
 * file is read a piece at a time through one descriptor, in several passes,
 * never held whole). Whatever read the change falls on — written in place,
 * grown, or replaced by a rename over its name — nothing of that attempt is
 * kept: no message answered, no ledger entry, no attempt left behind (no
 * HL7_IMPORT_INTERRUPTED at the next start), nothing written to quarantine/;
 * the folder names it by a coded reason (HL7_FILE_INCOMPLETE,
 * changed-while-read) and the file stays where it is. The next round reads
 * it again and imports what it then holds, its bad message quarantined once.
 * The change is made for real on disk (the wrapper around node:fs only
 * chooses the moment: just before the k-th read of that file).
 */
import * as nodeFs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchFolderSource, type FolderFs } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import { oruMessage, TOLVAN_ID } from '../sources/hl7/largeBatch';

const COUNT = 400;
const BAD_AT = 200;
const query = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TOLVAN_ID } };

/** A BHS batch of ORU messages (~400 KB: several pieces of the reads below), one of them malformed. */
function batchText(value: string): string {
  const lines = ['BHS|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100'];
  for (let i = 0; i < COUNT; i++) {
    const text = oruMessage(i).replace(/\|4,1\|/g, `|${value}|`);
    lines.push(i === BAD_AT ? `${text}\rthis line is no segment` : text);
  }
  lines.push(`BTS|${COUNT}`);
  return `${lines.join('\r')}\r`;
}

type Change = 'in-place' | 'grown' | 'replaced';

describe('a dropped file changed while it is read', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-changed-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** node:fs that makes `change` to lab.hl7 just before the `at`-th read of it (counting reads of the dropped file only). */
  function changingFs(at: number, change: Change, counted: { reads: number }): FolderFs {
    const file = join(folder, 'lab.hl7');
    const fds = new Set<number>();
    return {
      ...nodeFs,
      openSync: ((path: nodeFs.PathLike, flags: nodeFs.OpenMode, mode?: nodeFs.Mode) => {
        const fd = nodeFs.openSync(path, flags, mode);
        if (String(path) === file) fds.add(fd);
        return fd;
      }) as FolderFs['openSync'],
      closeSync: ((fd: number) => {
        fds.delete(fd);
        nodeFs.closeSync(fd);
      }) as FolderFs['closeSync'],
      readSync: ((fd: number, ...rest: unknown[]) => {
        if (fds.has(fd) && ++counted.reads === at) {
          if (change === 'in-place') {
            // The same size, one value changed: only the file's times and content tell.
            const text = readFileSync(file, 'latin1');
            writeFileSync(file, text.replace('|4,2|', '|4,9|'), 'latin1');
          } else if (change === 'grown') nodeFs.appendFileSync(file, `BHS|^~\\&|LAB\r${oruMessage(COUNT + 2)}\rBTS|1\r`, 'latin1');
          else {
            writeFileSync(join(folder, '.next'), batchText('5,5'), 'latin1');
            renameSync(join(folder, '.next'), file);
          }
        }
        return (nodeFs.readSync as (...a: unknown[]) => number)(fd, ...rest);
      }) as FolderFs['readSync'],
    };
  }

  const open = (fs?: FolderFs) =>
    createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 60_000, settleMs: 0, maxHeldItems: 400, ...(fs ? { fs } : {}) });

  it('keeps nothing of the attempt, says why by code, and imports the file as it then is at the next round; whichever read the change falls on', async () => {
    // How many reads an import of this file takes (hash, end marker, count, checks, ranges, messages, located bytes).
    writeFileSync(join(folder, 'lab.hl7'), batchText('4,1'), 'latin1');
    const counted = { reads: 0 };
    const plain = open(changingFs(Number.POSITIVE_INFINITY, 'in-place', counted));
    expect(await plain.importNew()).toMatchObject({ imported: COUNT - 1, quarantinedMessages: 1 });
    const reads = counted.reads;
    expect(reads).toBeGreaterThan(8);
    rmSync(folder, { recursive: true, force: true });

    const cases: Array<{ at: number; change: Change }> = [];
    for (let at = 1; at <= reads; at++) cases.push({ at, change: (['in-place', 'grown', 'replaced'] as const)[at % 3] as Change });
    cases.push({ at: reads, change: 'replaced' }, { at: reads, change: 'in-place' }, { at: 1, change: 'replaced' });
    for (const { at, change } of cases) {
      folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-changed-'));
      writeFileSync(join(folder, 'lab.hl7'), batchText('4,1'), 'latin1');
      const source = open(changingFs(at, change, { reads: 0 }));
      const first = await source.importNew();
      const where = `change ${change} before read ${at} of ${reads}`;
      expect(first, where).toMatchObject({ imported: 0, quarantinedMessages: 0, quarantinedFiles: 0 });
      expect(source.folderStatus().skipped, where).toEqual([{ code: 'HL7_FILE_INCOMPLETE', params: { reason: 'changed-while-read' } }]);
      expect(existsSync(join(folder, 'quarantine')) ? readdirSync(join(folder, 'quarantine')) : [], where).toEqual([]);
      expect(JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')), where).toEqual({ version: 2, files: [] });
      expect(readdirSync(folder).filter((n) => !n.startsWith('.')), where).toEqual(['lab.hl7']);

      // Read again, unchanged now: imported as it now is; the bad message quarantined once. A fresh start agrees.
      const second = await source.importNew();
      // Grown: a second batch of one more message (Tolvan's) after the first.
      const more = change === 'grown' ? 1 : 0;
      expect(second, where).toMatchObject({ imported: COUNT - 1 + more, quarantinedMessages: 1, quarantinedFiles: 0 });
      expect(source.folderStatus().skipped, where).toEqual([]);
      const values = (await source.fetchPatient(query, new AbortController().signal)).items.map((i) => (i.value as { value?: unknown }).value);
      expect(values.length, where).toBe((Math.ceil(COUNT / 3) + more) * 8);
      // What the file held when read to its end: 4,1 or, replaced, 5,5 in every message; changed in place, one 4,9.
      expect(values, where).toContain(change === 'replaced' ? 5.5 : 4.1);
      expect(values.includes(4.9), where).toBe(change === 'in-place');
      expect(readdirSync(join(folder, 'quarantine')).sort(), where).toEqual(['lab.hl7.message-201.hl7', 'lab.hl7.message-201.hl7.reason.json']);
      const restarted = open();
      expect(await restarted.importNew(), where).toMatchObject({ imported: 0, unverifiedFiles: 0 });
      expect((await restarted.fetchPatient(query, new AbortController().signal)).items.map((i) => (i.value as { value?: unknown }).value), where).toEqual(values);
      rmSync(folder, { recursive: true, force: true });
    }
  }, 300_000);
});
