/**
 * Issue 14: a large HL7 batch dropped in the folder must not hold the event
 * loop. While a 6,000-message batch is imported, and while a restart reads it
 * again from processed/, an HTTP server on 127.0.0.1 in the same process (the
 * preview's API stands for every call) keeps answering: requests are counted
 * as they are answered before the import ends (counts and order, never
 * time). Queries made during the slices see every message once; a restart
 * answers the same; a process killed in the middle of a file's slices leaves
 * that file quarantined as HL7_IMPORT_INTERRUPTED at the next start, never
 * retried, and the other files imported once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import type { PatientQuery } from '../../../src/main/sources/types';
import { largeBatch, oruMessage, TOLVAN_ID } from './hl7/largeBatch';

const COUNT = 6_000;
const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TOLVAN_ID } };
const TOLVAN_MESSAGES = Math.ceil(COUNT / 3);
const signal = () => new AbortController().signal;

let server: Server;
let url: string;
let folder: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('pong'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // The HTTP client loads on its first request: not during the measured import.
  expect(await (await fetch(url)).text()).toBe('pong');
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'samsyn-batch-load-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const open = () => createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 600_000, settleMs: 0 });

/** Requests the local server one after another until `work` settles; how many were answered before it did. */
async function answeredDuring<T>(work: Promise<T>): Promise<{ value: T; answered: number; maxDelayMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let settled = false;
  let answered = 0;
  const requests = (async () => {
    while (!settled) {
      const res = await fetch(url);
      const body = await res.text();
      if (!settled && body === 'pong') answered++;
    }
  })();
  try {
    const value = await work;
    settled = true;
    await requests;
    return { value, answered, maxDelayMs: delay.max / 1e6 };
  } finally {
    settled = true;
    delay.disable();
  }
}

/** Each result's record id once: the count of distinct ids equals the count of items. */
function recordIds(items: { provenance: { recordId: string } }[]): string[] {
  return items.map((i) => i.provenance.recordId);
}

describe('a large batch in the drop folder', () => {
  it('keeps calls answered while it imports and while a restart reads it again; nothing lost or doubled', async () => {
    writeFileSync(join(folder, 'big.hl7'), largeBatch(COUNT));
    writeFileSync(join(folder, 'small.hl7'), `${oruMessage(COUNT * 3)}\r`);
    const source = open();
    const importing = source.importNew();
    // Queries made while the import runs wait for it and then see all of it.
    const queries = [source.fetchPatient(TOLVAN, signal()), source.fetchPatient(TOLVAN, signal())];
    const first = await answeredDuring(importing);
    expect(first.value).toEqual({ imported: COUNT + 1, quarantinedFiles: 0, quarantinedMessages: 0, unverifiedFiles: 0, duplicateFiles: 0 });
    expect(first.answered).toBeGreaterThanOrEqual(3);
    const answers = await Promise.all(queries);
    // Every Tolvan message (big and small file) holds 8 results and one order.
    const expectedItems = (TOLVAN_MESSAGES + 1) * 8;
    for (const answer of answers) {
      expect(answer.items).toHaveLength(expectedItems);
      expect(new Set(recordIds(answer.items)).size).toBe(expectedItems);
    }

    // A restart: the ledger's files are read again from processed/, in slices as well.
    const restarted = open();
    const second = await answeredDuring(restarted.importNew());
    expect(second.value).toMatchObject({ imported: 0, unverifiedFiles: 0, duplicateFiles: 0 });
    expect(second.answered).toBeGreaterThanOrEqual(3);
    const again = await restarted.fetchPatient(TOLVAN, signal());
    expect(recordIds(again.items).sort()).toEqual(recordIds(answers[0]!.items).sort());
    expect(restarted.folderStatus()).toMatchObject({ importedFiles: 2, messages: COUNT + 1, quarantinedFiles: 0, waiting: 0 });
    // Informational (never asserted: time depends on the machine's load).
    process.stdout.write(`event loop max delay: import ${first.maxDelayMs.toFixed(0)} ms, restart ${second.maxDelayMs.toFixed(0)} ms\n`);
  }, 300_000);

  it('a process killed in the middle of a file’s slices: that file is quarantined at the next start, the others imported once', async () => {
    writeFileSync(join(folder, 'a-small.hl7'), `${oruMessage(1)}\r`);
    writeFileSync(join(folder, 'b-big.hl7'), largeBatch(COUNT));
    writeFileSync(join(folder, 'c-small.hl7'), `${oruMessage(COUNT * 3)}\r`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'hl7', 'importChild.ts'), folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SAMSYN_LOG_LEVEL: 'silent' },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // The ledger names the big file as the current attempt once its slices have begun (the small one before it is committed).
    const ledger = () => (existsSync(join(folder, LEDGER_FILE)) ? (JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')) as { attempt?: { name: string } }) : {});
    while (ledger().attempt?.name !== 'b-big.hl7') {
      expect(out).not.toContain('done');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('done');

    const restarted = open();
    const report = await restarted.importNew();
    expect(report).toMatchObject({ imported: 1, quarantinedFiles: 1, duplicateFiles: 0 });
    expect(restarted.folderStatus()).toMatchObject({ importedFiles: 2, messages: 2, quarantined: { HL7_IMPORT_INTERRUPTED: 1 } });
    // Never tried again: another start leaves it in quarantine.
    const third = open();
    expect(await third.importNew()).toMatchObject({ imported: 0, quarantinedFiles: 0, duplicateFiles: 0 });
    expect(third.folderStatus()).toMatchObject({ importedFiles: 2, messages: 2, quarantinedFiles: 1 });
    const tolvan = await third.fetchPatient(TOLVAN, signal());
    // a-small (message 1) is someone else's; c-small (message 18000) is Tolvan's.
    expect(tolvan.items).toHaveLength(8);
  }, 300_000);
});
