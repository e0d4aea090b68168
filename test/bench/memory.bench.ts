/**
 * Memory benchmark (npm run bench; not part of the tests), each figure from a
 * child process of its own (memoryChild.ts, `node --expose-gc --import tsx`),
 * so nothing this process loaded counts:
 *  - memory.demo-heavy-rss: peak RSS of the demo's own process (services,
 *    cache, preview server, bundled as `npm run demo` runs it; its simulated
 *    systems in their own process, as the demo runs them, docs/adr/0030)
 *    after opening the heavy patient through the services, on later starts
 *    (the code cache of large libraries written by the first); the median of
 *    three. Target < 150 MB.
 *    Beside it (info): memory.demo-heavy-rss-first-start (no code cache yet)
 *    and memory.demo-sandbox-rss (the sandbox process's peak).
 *  - memory.bytes-per-item: what the services keep per merged item of the
 *    open heavy patient (FHIR-only configuration, one region): heap after a
 *    full GC after the open minus before it (sandbox data already generated,
 *    modules loaded), over the items (info). The demo's own heap delta (which
 *    also holds its sandboxes' generated data and the HL7 client loaded at the
 *    first MLLP query) is printed beside it.
 *  - memory.hl7-client-loaded: whether node-hl7-client (or @medplum/hl7) is
 *    loaded in a FHIR-only configuration after opening a patient (1 = loaded;
 *    must be 0).
 *  - memory.large-libs-loaded: how many of node-hl7-client, @medplum/hl7,
 *    @medplum/core, openid-client, oidc-provider and uplot are loaded there
 *    (target 0; the names are printed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDemoInto, demoScript } from '../fixtures/demoBundle';
import { report } from './report';

const MB = 1024 * 1024;
const DEMO_RUNS = 3;

let demoBundle: string | undefined;

/**
 * The demo's figures come from the demo as `npm run demo` runs it: bundled by
 * scripts/bundle-demo.mjs and run by plain Node with the script's flags
 * (docs/adr/0035); memoryChild.ts is bundled beside it the same way. The
 * FHIR-only figures read which packages were loaded from require.cache, so
 * they run under tsx.
 */
function childCommand(mode: 'demo' | 'fhir-only'): string[] {
  if (mode === 'fhir-only') return ['--expose-gc', '--import', 'tsx', join(__dirname, 'memoryChild.ts'), mode];
  demoBundle ??= join(bundleDemoInto('bench-demo', [{ name: 'memoryChild', path: 'test/bench/memoryChild.ts' }]), 'memoryChild.js');
  return ['--expose-gc', ...demoScript().nodeFlags, demoBundle, mode];
}

function child(mode: 'demo' | 'fhir-only', env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const run = spawnSync(process.execPath, childCommand(mode), {
    encoding: 'utf8',
    env: { ...process.env, SAMSYN_LOG_LEVEL: 'warn', ...env },
    maxBuffer: 64 * MB,
  });
  if (run.status !== 0) throw new Error(`memoryChild ${mode} failed: ${run.stderr}`);
  const line = run.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') && (l.includes('"peakRss"') || l.includes('"loaded"')));
  if (!line) throw new Error(`memoryChild ${mode} printed no figures`);
  return JSON.parse(line) as Record<string, unknown>;
}

type DemoFigures = { openMs: number; peakRss: number; sandboxPeakRss: number; rssBefore: number; rssAfter: number; heapBefore: number; heapAfter: number; items: number; records: number; bytes: number };

function main(): void {
  // The demo keeps the code cache in its data folder; a fresh folder here, so the first start writes it.
  const compileCache = mkdtempSync(join(tmpdir(), 'samsyn-bench-compile-cache-'));
  let first: DemoFigures;
  const runs: DemoFigures[] = [];
  try {
    first = child('demo', { SAMSYN_BENCH_COMPILE_CACHE: compileCache }) as DemoFigures;
    // The peak varies by tens of MB from run to run (what overlaps with what during the open): the median of three.
    for (let r = 0; r < DEMO_RUNS; r++) runs.push(child('demo', { SAMSYN_BENCH_COMPILE_CACHE: compileCache }) as DemoFigures);
  } finally {
    rmSync(compileCache, { recursive: true, force: true });
  }
  runs.sort((a, b) => a.peakRss - b.peakRss);
  const demo = runs[Math.floor(runs.length / 2)] as DemoFigures;
  process.stdout.write(`demo, peak RSS of ${runs.length} starts with the code cache: ${runs.map((r) => (r.peakRss / MB).toFixed(0)).join(', ')} MB (median below)\n`);
  process.stdout.write(`demo, first start (code cache written): peak RSS ${(first.peakRss / MB).toFixed(1)} MB\n`);
  report({ name: 'memory.demo-heavy-rss-first-start', value: first.peakRss / MB, unit: 'MB' });
  process.stdout.write(
    `demo: open → final summary ${demo.openMs.toFixed(0)} ms; peak RSS ${(demo.peakRss / MB).toFixed(1)} MB; before the open RSS ${(demo.rssBefore / MB).toFixed(1)} MB, heap ${(demo.heapBefore / MB).toFixed(1)} MB; ` +
      `after RSS ${(demo.rssAfter / MB).toFixed(1)} MB, heap ${(demo.heapAfter / MB).toFixed(1)} MB; ${demo.items} items from ${demo.records} records, summary JSON ${(demo.bytes / MB).toFixed(2)} MB\n`,
  );
  report({ name: 'memory.demo-heavy-rss', value: demo.peakRss / MB, unit: 'MB', atMost: 150 });
  report({ name: 'memory.demo-sandbox-rss', value: demo.sandboxPeakRss / MB, unit: 'MB' });
  process.stdout.write(`demo heap after the open minus before, per item: ${((demo.heapAfter - demo.heapBefore) / demo.items).toFixed(0)} B\n`);
  const fhir = child('fhir-only') as { loaded: string[]; items: number; heapBefore: number; heapAfter: number };
  process.stdout.write(`FHIR-only: heap ${(fhir.heapBefore / MB).toFixed(1)} MB before the open, ${(fhir.heapAfter / MB).toFixed(1)} MB after, ${fhir.items} items\n`);
  report({ name: 'memory.bytes-per-item', value: (fhir.heapAfter - fhir.heapBefore) / fhir.items, unit: 'B' });
  process.stdout.write(`FHIR-only configuration, heavy patient open (${fhir.items} items): large libraries loaded: ${fhir.loaded.join(', ') || 'none'}\n`);
  const hl7 = fhir.loaded.some((l) => l === 'node-hl7-client' || l === '@medplum/hl7');
  report({ name: 'memory.hl7-client-loaded', value: hl7 ? 1 : 0, unit: '', atMost: 0 });
  report({ name: 'memory.large-libs-loaded', value: fhir.loaded.length, unit: '', atMost: 0 });
}

main();
