/**
 * Start-up of the compiled command line: `samsyn validate-id 19121212-1212`
 * (bin/samsyn.mjs, the program `npx samsyn` runs) against `node -e 0`, each a
 * fresh process, run interleaved (A B A B ...) so load on the machine falls on
 * both. Figure start.cli-validate-id: median wall time, target ratio <= 3.
 * Also informational: `summarize` of one FHIR Bundle file.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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
