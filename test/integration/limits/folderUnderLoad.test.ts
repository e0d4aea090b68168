/**
 * The issue 14 folder probe: a 100 MB batch, a million-segment message and
 * the largest batch the default limits let through are dropped in the batch
 * folder of an app running in a child process with a 256 MB heap, while the
 * test keeps calling its API through the preview (HTTP with its token, as the
 * renderer does). The app must stay up (no out-of-memory crash), answer calls
 * while the big batch is being imported (the ledger shows the import attempt),
 * quarantine the two oversized files with the limit named, and import the
 * batch whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import { PATIENTS, writeBatch, writeLongMessage } from './bigInput';

const root = join(__dirname, '..', '..', '..');
let dir: string;
let folder: string;
let child: ChildProcess;
let api: { origin: string; token: string };
let peakKb = 0;
let sampler: NodeJS.Timeout;

async function invoke(command: string, body: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const res = await fetch(`${api.origin}/api/invoke/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
}

function attemptInLedger(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')) as { attempt?: { name: string } }).attempt?.name;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-limits-folder-'));
  folder = join(dir, 'drop');
  child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', join(__dirname, 'folderApp.ts'), folder], {
    cwd: root,
    env: { ...process.env, SAMSYN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`app exited ${code}`)));
  });
  api = JSON.parse(line) as typeof api;
  sampler = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // ended
    }
  }, 50);
}, 120_000);

afterAll(() => {
  clearInterval(sampler);
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a batch folder under hostile files', () => {
  it('keeps answering while it imports, quarantines what is over the limits, and stays within its heap', async () => {
    // Make the folder and its ledger: the first open imports nothing.
    expect((await invoke('summary.open', { patient: PATIENTS.tolvan, purpose: 'care' })).ok).toBe(true);
    await expect.poll(() => existsSync(join(folder, LEDGER_FILE)), { timeout: 60_000 }).toBe(true);
    writeBatch(join(folder, 'a-huge-100mb.hl7'), 100 * 1024 * 1024);
    writeLongMessage(join(folder, 'b-million-segments.hl7'), 1_000_000);
    // The largest batch the default limits take: just under 20,000 messages.
    const messages = writeBatch(join(folder, 'c-large.hl7'), 5_900_000);
    expect(messages).toBeLessThan(20_000);

    // Each open asks the folder, which imports what was dropped; meanwhile the API is called again and again.
    const open = await invoke('summary.open', { patient: PATIENTS.tolvan, purpose: 'care' });
    expect(open.ok).toBe(true);
    let answeredDuringImport = 0;
    let maxLatency = 0;
    const latencies: number[] = [];
    while (readdirSync(folder).some((n) => n.endsWith('.hl7'))) {
      const started = performance.now();
      const during = attemptInLedger() === 'c-large.hl7';
      const answer = await invoke('session.get', {});
      const ms = performance.now() - started;
      expect(answer.ok).toBe(true);
      latencies.push(ms);
      maxLatency = Math.max(maxLatency, ms);
      if (during && attemptInLedger() === 'c-large.hl7') answeredDuringImport++;
      expect(child.exitCode).toBeNull();
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)] ?? NaN;
    process.stdout.write(
      `folder probe: ${latencies.length} calls, ${answeredDuringImport} answered while the ${messages}-message batch imported; ` +
        `latency p50 ${p50.toFixed(0)} ms, max ${maxLatency.toFixed(0)} ms; app peak RSS ${Math.round(peakKb / 1024)} MB (heap cap 256 MB)\n`,
    );
    // Calls were answered in the middle of the import, not only before and after it.
    expect(answeredDuringImport).toBeGreaterThanOrEqual(3);
    expect(child.exitCode).toBeNull();

    const quarantine = join(folder, 'quarantine');
    const reason = (name: string) => JSON.parse(readFileSync(join(quarantine, `${name}.reason.json`), 'utf8')) as { code: string; params: Record<string, unknown> };
    expect(reason('a-huge-100mb.hl7')).toMatchObject({ code: 'HL7_FILE_TOO_LARGE', params: { reason: 'bytes' } });
    expect(reason('b-million-segments.hl7')).toMatchObject({ code: 'HL7_FILE_TOO_LARGE', params: { reason: 'segments' } });
    expect(readdirSync(join(folder, 'processed'))).toEqual(['c-large.hl7']);
    // The batch was imported whole: every message, recorded in the ledger.
    const ledger = JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8')) as { files: { name: string; outcome: string; messages: number }[]; attempt?: unknown };
    expect(ledger.attempt).toBeUndefined();
    expect(ledger.files.find((f) => f.name === 'c-large.hl7')).toMatchObject({ outcome: 'imported', messages });
  }, 300_000);
});
