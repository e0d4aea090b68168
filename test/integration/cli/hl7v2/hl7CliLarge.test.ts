/**
 * Issue 14.1 for HL7 v2 on the command line (ADR 0034): the compiled `samsyn`
 * (bin/samsyn.mjs in a child process, as a user runs it) reads large files
 * in steps and within its limits. A batch of 20,000 ORU messages (~19 MB,
 * 240,002 segments, just under the default limit) is summarized; a batch past
 * the segment limit, a single message of a million segments and a 72 MB file
 * each end with one coded line naming the limit and exit 2 — never a V8 abort
 * (exit 134) or a hang. The child's peak RSS is measured (a preloaded module
 * writes process.resourceUsage().maxRSS at exit), printed, and held under a
 * bound; no time is asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oruMessage, TOLVAN_ID } from '../../sources/hl7/largeBatch';

const root = join(__dirname, '..', '..', '..', '..');
const bin = join(root, 'bin', 'samsyn.mjs');
const preload = pathToFileURL(join(__dirname, 'reportMaxRss.mjs')).href;
const MiB = 1024 * 1024;
let dir: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  maxRssMiB: number;
}

/** `samsyn ARGS` in a child process; stdout is counted, not kept whole (a summary of many results is long). */
function samsyn(...args: string[]): Promise<Run> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', preload, bin, ...args], {
      cwd: root,
      env: { ...process.env, SAMSYN_LOG_LEVEL: '', SAMSYN_TEST_MAX_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out = (out + t).slice(-200_000)));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let maxRssMiB = NaN;
      try {
        maxRssMiB = Number(readFileSync(rssFile, 'utf8')) / MiB;
      } catch {
        // no exit hook ran (killed or aborted): NaN fails the bound below
      }
      resolve({ code, signal, out, err, maxRssMiB });
    });
  });
}

/** A BHS batch of `count` ORU^R01 messages (12 segments each); only the first is about Tolvan Tolvansson. */
function batch(count: number): Buffer {
  const lines = [`BHS|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||||B${count}`, oruMessage(0)];
  // oruMessage(i) is about Tolvan when i is a multiple of 3: the others are numbered test patients.
  for (let i = 1; i < count; i++) lines.push(oruMessage(3 * i + 1));
  lines.push(`BTS|${count}`);
  return Buffer.from(`${lines.join('\r')}\r`, 'latin1');
}

function report(name: string, run: Run, bytes: number): void {
  console.info(`${name}: ${(bytes / MiB).toFixed(1)} MB input, exit ${run.code}, peak RSS ${run.maxRssMiB.toFixed(0)} MiB`);
}

/** No identity number, name or path in what the program says about a file. */
function expectNoPatientData(run: Run): void {
  for (const text of [run.err]) {
    expect(text).not.toContain(TOLVAN_ID);
    expect(text).not.toContain('Tolvan');
    expect(text).not.toContain(dir);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-cli-large-'));
  await samsyn('--help'); // builds the program first where it is stale
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('large HL7 v2 files through the compiled samsyn', () => {
  it('summarizes a batch of 20,000 messages (240,002 segments) in bounded memory', async () => {
    const bytes = batch(20_000);
    const file = join(dir, 'lab-20000.hl7');
    writeFileSync(file, bytes);
    const run = await samsyn('summarize', file, '--patient', TOLVAN_ID, '--format', 'json');
    report('20,000-message batch', run, bytes.length);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as { sources: Array<{ state: string }>; sections: Record<string, unknown[]> };
    expect(summary.sources.map((s) => s.state)).toEqual(['ok']);
    // The one message about Tolvan: its eight potassium results, nobody else's.
    expect(JSON.stringify(summary.sections)).toContain('2823-3');
    expect(run.maxRssMiB).toBeLessThan(1024);
  }, 600_000);

  it('a batch past the segment limit: HL7_FILE_TOO_LARGE naming it, exit 2; --max-segments sets the limit', async () => {
    const bytes = batch(21_000);
    const file = join(dir, 'lab-21000.hl7');
    writeFileSync(file, bytes);
    const refused = await samsyn('summarize', file, '--patient', TOLVAN_ID);
    report('21,000-message batch', refused, bytes.length);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe('samsyn: HL7_FILE_TOO_LARGE: file 1 is larger than a batch file may be: over the segments limit (250000)\n');
    expect(refused.out).toBe('');
    expectNoPatientData(refused);
    expect(refused.maxRssMiB).toBeLessThan(512);
    const small = await samsyn('summarize', file, '--patient', TOLVAN_ID, '--max-segments', '1000');
    expect(small.err).toBe('samsyn: HL7_FILE_TOO_LARGE: file 1 is larger than a batch file may be: over the segments limit (1000)\n');
    const usage = await samsyn('summarize', file, '--patient', TOLVAN_ID, '--max-segments', '0');
    expect(usage.code).toBe(64);
    expect(usage.err).toMatch(/^samsyn: CLI_USAGE: .*--max-segments/);
  }, 600_000);

  it('one message of a million segments: a coded error, exit 2, for summarize and hl7 inspect', async () => {
    const lines = ['MSH|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|L1|P|2.5', `PID|1||${TOLVAN_ID}^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan`];
    for (let i = 1; i <= 1_000_000; i++) lines.push(`OBX|${i}`);
    const bytes = Buffer.from(`${lines.join('\r')}\r`, 'latin1');
    const file = join(dir, 'one-message.hl7');
    writeFileSync(file, bytes);
    for (const args of [['summarize', file, '--patient', TOLVAN_ID], ['hl7', 'inspect', file]]) {
      const run = await samsyn(...args);
      report(`million-segment message (${args[0]})`, run, bytes.length);
      expect(run.signal).toBeNull();
      expect(run.code).toBe(2);
      expect(run.err).toBe('samsyn: HL7_FILE_TOO_LARGE: file 1 is larger than a batch file may be: over the segments limit (250000)\n');
      expect(run.out).toBe('');
      expectNoPatientData(run);
      expect(run.maxRssMiB).toBeLessThan(512);
    }
  }, 600_000);

  it('a 72 MB batch: FILE_TOO_LARGE unread by default; with --max-file-mb 100 counted and refused by segments', async () => {
    const message = `${oruMessage(1)}\r`;
    const count = Math.ceil((72 * MiB) / message.length);
    const bytes = Buffer.from(`BHS|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100\r${message.repeat(count)}BTS|${count}\r`, 'latin1');
    const file = join(dir, 'lab-72mb.hl7');
    writeFileSync(file, bytes);
    const unread = await samsyn('summarize', file, '--patient', TOLVAN_ID);
    report('72 MB batch', unread, bytes.length);
    expect(unread.code).toBe(2);
    expect(unread.err).toMatch(/^samsyn: FILE_TOO_LARGE: file 1 is over the bytes limit \(52428800 bytes\) and was not read\n$/);
    expect(unread.maxRssMiB).toBeLessThan(256);
    const counted = await samsyn('summarize', file, '--patient', TOLVAN_ID, '--max-file-mb', '100');
    report('72 MB batch, --max-file-mb 100', counted, bytes.length);
    expect(counted.signal).toBeNull();
    expect(counted.code).toBe(2);
    expect(counted.err).toMatch(/^samsyn: HL7_FILE_TOO_LARGE: file 1 is larger than a batch file may be: over the segments limit \(250000\)\n$/);
    expectNoPatientData(counted);
    expect(counted.maxRssMiB).toBeLessThan(512);
  }, 600_000);
});
