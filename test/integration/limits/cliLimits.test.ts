/**
 * The command line on hostile input (issue 14 probes): a 72 MB batch, a
 * million-segment message, a 7 MB batch, a FHIR file that is not UTF-8 and a
 * Bundle of too many entries. Big inputs are written on the fly in a temporary
 * folder and run in a child process with a small heap (--max-old-space-size),
 * so "bounded memory" is proved by the process not dying: an out-of-memory
 * abort would be exit 134, never the coded exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/main/cli/index';
import { cli } from '../cli/runCli';
import { PATIENTS, writeBatch, writeLongMessage } from './bigInput';

const root = join(__dirname, '..', '..', '..');
let dir: string;

/** `samsyn ARGS` in a child process with a heap of `heapMb`; its exit code, stderr and peak resident memory (MB, from /proc). */
function samsynChild(heapMb: number, ...args: string[]): Promise<{ code: number | null; signal: string | null; err: string; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', join(root, 'src/main/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, SAMSYN_LOG_LEVEL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    let peakKb = 0;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // VmHWM: the most resident memory the process ever had (Linux).
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      } catch {
        // ended
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sample);
      resolve({ code, signal, err, peakMb: Math.round(peakKb / 1024) });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-limits-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('samsyn summarize under hostile input', () => {
  it('ends a 72 MB batch with a coded error naming the byte limit, in bounded memory (never exit 134)', async () => {
    const file = join(dir, 'batch-72mb.hl7');
    writeBatch(file, 72 * 1024 * 1024);
    const run = await samsynChild(128, 'summarize', file, '--patient', PATIENTS.tolvan);
    process.stdout.write(`72 MB batch: exit ${run.code}, peak RSS ${run.peakMb} MB\n`);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(EXIT.badFile);
    expect(run.err).toMatch(/^samsyn: FILE_TOO_LARGE: file 1 is over the bytes limit \(52428800 bytes\)/);
    expect(run.err).not.toContain('batch-72mb');
  }, 120_000);

  it('ends a message of a million segments with HL7_FILE_TOO_LARGE naming the segment limit', async () => {
    const file = join(dir, 'million.hl7');
    writeLongMessage(file, 1_000_000);
    const run = await samsynChild(128, 'summarize', file, '--patient', PATIENTS.tolvan);
    process.stdout.write(`million-segment message: exit ${run.code}, peak RSS ${run.peakMb} MB\n`);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(EXIT.badFile);
    expect(run.err).toMatch(/^samsyn: HL7_FILE_TOO_LARGE: file 1 .*over the segments limit \(250000\)/);
  }, 120_000);

  it('summarizes a 7 MB batch within a 384 MB heap', async () => {
    const file = join(dir, 'batch-7mb.hl7');
    const messages = writeBatch(file, 7 * 1024 * 1024);
    const run = await samsynChild(384, 'summarize', file, '--patient', PATIENTS.tolvan);
    process.stdout.write(`7 MB batch (${messages} messages): exit ${run.code}, peak RSS ${run.peakMb} MB\n`);
    expect(run.signal).toBeNull();
    expect(run.err).toBe('');
    expect(run.code).toBe(EXIT.ok);
  }, 300_000);

  it('takes --max-file-mb as the byte limit', async () => {
    const file = join(dir, 'batch-2mb.hl7');
    writeBatch(file, 2 * 1024 * 1024);
    const refused = await cli('summarize', file, '--patient', PATIENTS.tolvan, '--max-file-mb', '1');
    expect(refused.code).toBe(EXIT.badFile);
    expect(refused.err).toMatch(/^samsyn: FILE_TOO_LARGE: file 1 is over the bytes limit \(1048576 bytes\)/);
    const usage = await cli('summarize', file, '--patient', PATIENTS.tolvan, '--max-file-mb', 'lots');
    expect(usage.code).toBe(EXIT.usage);
  });

  it('refuses a FHIR file that is not UTF-8 with FILE_NOT_UTF8, not a name with U+FFFD in it', async () => {
    const file = join(dir, 'latin1.json');
    const text = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'p', identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: PATIENTS.tolvan }], name: [{ family: 'Åberg' }] } }],
    });
    writeFileSync(file, Buffer.from(text, 'latin1')); // Å as one byte 0xC5: not UTF-8
    const run = await cli('summarize', file, '--patient', PATIENTS.tolvan);
    expect(run.code).toBe(EXIT.badFile);
    expect(run.err).toBe('samsyn: FILE_NOT_UTF8: file 1 is not valid UTF-8\n');
    // The same bytes as UTF-8 read fine.
    writeFileSync(file, text);
    expect((await cli('summarize', file, '--patient', PATIENTS.tolvan)).code).toBe(EXIT.ok);
  });

  it('refuses a Bundle of more entries than the limit, naming it', async () => {
    const file = join(dir, 'many.json');
    const entry = { resource: { resourceType: 'Basic', id: 'b' } };
    writeFileSync(file, JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: 50_001 }, () => entry) }));
    const run = await cli('summarize', file, '--patient', PATIENTS.tolvan);
    expect(run.code).toBe(EXIT.badFile);
    expect(run.err).toMatch(/^samsyn: FILE_TOO_LARGE: file 1 is over the entries limit \(50000\)/);
  });
});
