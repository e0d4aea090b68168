/**
 * The demo's simulated systems in a process of their own (started by
 * sandboxProcess.ts), as real regional systems are never in the app's process:
 * the app's memory and start-up figures are then the app's alone.
 *
 * Protocol, one JSON line each way:
 *  - stdin, first line: `{ "sources": [...] }`, the configured sources;
 *  - stdout, one line: `{ "ok": true, "sources": [...], "started": [i...], "patients": [...] }`
 *    (the sources rewritten to reach the running sandboxes, the indexes of
 *    those that point at one, the synthetic patients for the demo's listing),
 *    or `{ "ok": false, "error": NAME }`.
 * It then serves until its stdin ends (the parent closed it, exited or
 * crashed: the pipe closes with the parent) or it gets SIGTERM / SIGINT, and
 * closes every sandbox before it exits.
 */
import '../platform/quietByDefault';
import { startSandboxes } from '../sandbox/sandboxRegistry';
import type { BaseSourceSettings } from '../sources/registry';
import { sandboxPatientListing } from './sandboxListing';

function readFirstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const at = text.indexOf('\n');
      if (at === -1) return;
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      resolve(text.slice(0, at));
    };
    const onEnd = () => reject(new Error('stdin ended before the configuration'));
    process.stdin.on('data', onData);
    process.stdin.once('end', onEnd);
  });
}

async function main(): Promise<void> {
  const line = await readFirstLine();
  const { sources } = JSON.parse(line) as { sources: BaseSourceSettings[] };
  const started = await startSandboxes({ sources });
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= started.close().finally(() => process.exit(0));
    return closing;
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The parent ended stdin, exited or crashed: the pipe closes with it.
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  const startedAt = started.config.sources.flatMap((s, i) => (s !== sources[i] ? [i] : []));
  process.stdout.write(`${JSON.stringify({ ok: true, sources: started.config.sources, started: startedAt, patients: sandboxPatientListing() })}\n`);
}

main().catch((err: unknown) => {
  // The error's name only: a message could carry a path or configuration value.
  process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error)?.name ?? typeof err })}\n`);
  process.exit(1);
});
