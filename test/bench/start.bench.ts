/**
 * Start-up of the compiled command line: `samsyn validate-id 19121212-1212`
 * (bin/samsyn.mjs, the program `npx samsyn` runs) against `node -e 0`, each a
 * fresh process, run interleaved (A B A B ...) so load on the machine falls on
 * both. Figure start.cli-validate-id: median wall time, target ratio <= 3.
 * Also informational: `summarize` of one FHIR Bundle file.
 *
 * preview.start-to-ready: the preview as `npm run preview` runs it
 * (src/main/preview/previewMain.ts bundled by scripts/bundle-demo.mjs, run
 * here first, under plain Node with the script's flags; docs/adr/0035) with its
 * runtime (the demo configuration: cache, access log, services; its sandbox
 * sources shown disabled since none run) from spawn until its first HTTP answer
 * (GET / → 200), against a bare Node http server started and asked the same
 * way. Interleaved; target ratio <= 3.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleDemoInto, demoScript, readyOrigin } from '../fixtures/demoBundle';
import { medianAndSpread, report } from './report';

const ROUNDS = Math.max(10, Number(process.env.BENCH_ROUNDS ?? 7) * 3);
const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'samsyn.mjs');
const out = (line: string) => process.stdout.write(`${line}\n`);

function timed(args: string[]): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return ms;
}

function figure(name: string, args: string[]): void {
  timed(args); // builds the CLI first if it is stale, and warms the file cache
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(timed(args));
    b.push(timed(['-e', '0']));
  }
  const sa = medianAndSpread(a);
  const sb = medianAndSpread(b);
  out(`  samsyn ${args.slice(1).map((x) => x.replace(root + '/', '')).join(' ')}: median ${sa.median.toFixed(1)} ms (${sa.min.toFixed(1)}–${sa.max.toFixed(1)})`);
  out(`  node -e 0: median ${sb.median.toFixed(1)} ms (${sb.min.toFixed(1)}–${sb.max.toFixed(1)})`);
  report({ name, value: sa.median, unit: 'ms', baseline: sb.median, ...(name === 'start.cli-validate-id' ? { atMost: 3 } : {}) });
}

out(`CLI start-up (${ROUNDS} interleaved rounds; baseline node -e 0)`);
figure('start.cli-validate-id', [bin, 'validate-id', '19121212-1212']);
figure('start.cli-summarize-fhir', [bin, 'summarize', join(root, 'test', 'fixtures', 'bundles', 'tolvan-nord.json'), '--patient', '191212121212']);

/** Spawn → "ready <origin>" on stdout → GET / answered 200; the process is then stopped. */
async function startToReady(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const origin = await readyOrigin(child);
    const response = await fetch(`${origin}/`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
    return performance.now() - t0;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

async function previewFigure(): Promise<void> {
  const { nodeFlags, entry } = demoScript('preview');
  const bundle = bundleDemoInto('bench-start');
  const dataDir = mkdtempSync(join(tmpdir(), 'samsyn-bench-preview-start-'));
  const env = { ...process.env, SAMSYN_CACHE_KEY: Buffer.alloc(32, 0x33).toString('base64'), SAMSYN_LOG_LEVEL: 'warn' };
  const preview = [...nodeFlags, join(bundle, entry), '--data', dataDir];
  const bare = ['-e', "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { process.stdout.write('ready http://127.0.0.1:' + this.address().port + '\\n'); })"];
  try {
    await startToReady(preview, env); // warms the file cache; creates the cache and access log files
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await startToReady(preview, env));
      b.push(await startToReady(bare, env));
    }
    const sa = medianAndSpread(a);
    const sb = medianAndSpread(b);
    out(`preview start to first answer (${ROUNDS} interleaved rounds; baseline a bare node http server, same spawn and GET)`);
    out(`  preview with runtime: median ${sa.median.toFixed(1)} ms (${sa.min.toFixed(1)}–${sa.max.toFixed(1)})`);
    out(`  bare http server: median ${sb.median.toFixed(1)} ms (${sb.min.toFixed(1)}–${sb.max.toFixed(1)})`);
    report({ name: 'preview.start-to-ready', value: sa.median, unit: 'ms', baseline: sb.median, atMost: 3 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

previewFigure().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
