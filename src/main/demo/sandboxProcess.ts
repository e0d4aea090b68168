/**
 * Starts the demo's simulated systems in a child process (sandboxHost.ts) and
 * returns the configuration rewritten to reach them. The app's process then
 * holds the app alone, as with real regional systems: no sandbox module, no
 * generated patient data, no server serializing pages beside the adapters
 * parsing them (docs/adr/0030).
 *
 * The child stops when close() ends its stdin, when this process exits
 * (killed on 'exit'), and when this process dies without running any code
 * (the stdin pipe closes with it). Under tsx (the tests) the
 * child runs the TypeScript host with tsx's CommonJS hook; compiled
 * (build/main) or bundled (build/demo, what npm run demo runs), the
 * JavaScript beside this file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createLogger } from '../platform/logger';
import { projectRoot } from '../platform/paths';
import type { BaseSourceSettings } from '../sources/registry';
import type { SandboxPatientListing } from './sandboxListing';

const log = createLogger('demo.sandboxProcess');

export interface SandboxProcess<C> {
  /** The configuration with every sandbox source rewritten to reach its running sandbox. */
  config: C;
  /** The sources that point at a running sandbox (rewritten). */
  sandboxes: { source: BaseSourceSettings }[];
  /** The synthetic patients the sandboxes hold, for the demo's listing. */
  patients: SandboxPatientListing[];
  /** The child's process id (the memory benchmark reads its peak RSS). */
  pid: number;
  /** Ends the child's stdin and waits for it to close its sandboxes and exit. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const EXIT_GRACE_MS = 10_000;

/** node arguments running the host: tsx's CommonJS hook for the TypeScript source, nothing for compiled JavaScript. */
export function sandboxHostCommand(): string[] {
  const ext = extname(__filename);
  const host = join(__dirname, `sandboxHost${ext}`);
  // Compiled or bundled (npm run demo, docs/adr/0035): plain Node, with the demo's own young-generation cap.
  if (ext !== '.ts') return [...process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')), host];
  // Resolved from the project, so the child needs no particular working directory.
  const tsx = require.resolve('tsx/cjs', { paths: [projectRoot()] });
  return ['--require', tsx, host];
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startSandboxProcess<C extends { sources: BaseSourceSettings[] }>(config: C): Promise<SandboxProcess<C>> {
  const args = sandboxHostCommand();
  if (!existsSync(args[args.length - 1] as string)) throw new Error('sandbox host not found');
  const child = spawn(process.execPath, args, { cwd: projectRoot(), stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
  // Whatever ends this process ends the sandboxes with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.stdin!.on('error', () => undefined); // the child gone: its exit is handled below
  child.stdin!.write(`${JSON.stringify({ sources: config.sources })}\n`);
  let answer: { ok: true; sources: BaseSourceSettings[]; started: number[]; patients: SandboxPatientListing[] } | { ok: false; error: string };
  try {
    answer = await new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('sandbox process did not start in time')), READY_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const at = text.indexOf('\n');
        if (at === -1) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        try {
          resolve(JSON.parse(text.slice(0, at)) as typeof answer);
        } catch (err) {
          reject(err as Error);
        }
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`sandbox process exited (${code}) before it was ready`));
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
    if (!answer.ok) throw new Error(`sandbox process failed: ${answer.error}`);
  } catch (err) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    await exited(child);
    throw err;
  }
  child.stdout!.resume(); // nothing more is expected; never let a stray line fill the pipe
  let stopping = false;
  child.once('exit', (code, signal) => {
    process.off('exit', killOnExit);
    if (!stopping) log.warn({ code, signal }, 'sandbox process ended; its sources will not answer');
  });
  const started = new Set(answer.started);
  const sources = answer.sources;
  return {
    config: { ...config, sources },
    sandboxes: sources.filter((_, i) => started.has(i)).map((source) => ({ source })),
    patients: answer.patients,
    pid: child.pid as number,
    close: async () => {
      stopping = true;
      const done = exited(child);
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await done;
      clearTimeout(timer);
      process.off('exit', killOnExit);
    },
  };
}
