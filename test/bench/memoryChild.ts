/**
 * One measurement in its own process, for memory.bench.ts (run with
 * `node --expose-gc --import tsx`); prints one JSON line.
 *
 *  - `demo`: the demo as `npm run demo` starts it without Electron: the code
 *    cache on (SAMSYN_BENCH_COMPILE_CACHE), the demo runtime (its sandboxes —
 *    FHIR regions, national list, HL7 v2 MLLP and batch systems — in a process
 *    of their own, as the demo runs them, docs/adr/0030), the services, the
 *    encrypted cache and the preview server; signed in, the heavy patient
 *    opened through the services (purpose stated) until every source has
 *    ended. Reports this process's peak RSS (maxRSS over its life), the
 *    sandbox process's (VmHWM), RSS and heap after the open, the items held
 *    and the heap they cost (heap after a full GC, before and after the open).
 *  - `fhir-only`: the product runtime (no demo, no sandbox module beyond one
 *    FHIR sandbox region to answer) with a configuration of FHIR sources only,
 *    the heavy patient opened; then which large libraries the process loaded,
 *    and the heap the services keep for the open patient (heap after a full
 *    GC before and after the open, the sandbox's data generated beforehand).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Services } from '../../src/main/app/createServices';
import type { Summary } from '../../src/shared/summary';
import { sandboxQuery } from '../fixtures/patientQuery';
import { signInForTest, stateCareFor } from '../fixtures/session';

/** Libraries a FHIR-only configuration does not need (uplot is the renderer's). */
export const LARGE_LIBRARIES = ['node-hl7-client', '@medplum/hl7', '@medplum/core', 'openid-client', 'oidc-provider', 'uplot'] as const;

const HEAVY = '198204212396';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  collect();
}

/** Packages whose files this process has loaded (CommonJS and require(esm) both land in require.cache). */
function loadedPackages(): Set<string> {
  const out = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (m) out.add((m[1] as string).replace('\\', '/'));
  }
  return out;
}

/** Opens the heavy patient and waits for the final summary; returns it. */
async function openHeavy(services: Services): Promise<Summary> {
  let last: Summary | undefined;
  let whole: Summary | undefined;
  const off = services.events.subscribe((event, payload) => {
    if (event !== 'summary.updated') return;
    // An update whose sections were already sent carries its head only (ADR 0023): the sections are the last whole one's.
    const update = payload as { summary: Summary } | { unchanged: Omit<Summary, 'sections'> };
    if ('summary' in update) whole = update.summary;
    const head = 'summary' in update ? update.summary : update.unchanged;
    if (head.progress?.final && whole) last = { ...head, sections: whole.sections } as Summary;
  });
  await signInForTest(services);
  await stateCareFor(services, HEAVY);
  await services.summary.settled();
  if (typeof off === 'function') off();
  if (!last) throw new Error('no final summary for the heavy patient');
  return last;
}

/** Peak RSS of another process (Linux: VmHWM in /proc/PID/status), in bytes. */
function peakRssOf(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmHWM');
  return Number(m[1]) * 1024;
}

function itemCount(summary: Summary): number {
  return Object.values(summary.sections).reduce((n, list) => n + (list?.length ?? 0), 0);
}

async function demo(dir: string): Promise<void> {
  // As demo.ts does, before the app's modules load; the cache outlives this process (a demo's second start is the common one).
  const { enableCompileCache } = await import('../../src/main/platform/compileCache');
  if (process.env.SAMSYN_BENCH_COMPILE_CACHE) enableCompileCache(process.env.SAMSYN_BENCH_COMPILE_CACHE);
  const { startDemoRuntime } = await import('../../src/main/demo/demoRuntime');
  const { startPreviewServer } = await import('../../src/main/preview/previewServer');
  const { fileKeyProvider } = await import('../../src/main/cache/keyProvider');
  const { defaultConfigPath, rendererDir } = await import('../../src/main/platform/paths');
  const runtime = await startDemoRuntime({
    configPath: defaultConfigPath(),
    transport: 'preview',
    dataDir: dir,
    keyProvider: fileKeyProvider(join(dir, 'cache.key')),
    // As npm run demo runs them: the simulated systems in a process of their own.
    sandboxes: 'process',
  });
  const preview = await startPreviewServer({ handlers: runtime.services.handlers, events: runtime.services.events, staticDir: rendererDir() });
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    const openStart = performance.now();
    const summary = await openHeavy(runtime.services);
    const openMs = performance.now() - openStart;
    const items = itemCount(summary);
    const records = summary.sections ? Object.values(summary.sections).reduce((n, list) => n + (list ?? []).reduce((m, i) => m + i.sources.length + (i.history?.length ?? 0), 0), 0) : 0;
    gc();
    const after = process.memoryUsage();
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const sandboxPeakRss = runtime.sandboxProcess ? peakRssOf(runtime.sandboxProcess.pid) : 0;
    process.stdout.write(
      `${JSON.stringify({ peakRss, sandboxPeakRss, rssBefore, rssAfter: after.rss, heapBefore, heapAfter: after.heapUsed, external: after.external, arrayBuffers: after.arrayBuffers, items, records, bytes: Buffer.byteLength(JSON.stringify(summary)), openMs })}\n`,
    );
  } finally {
    await preview.close();
    await runtime.close();
  }
}

async function fhirOnly(dir: string): Promise<void> {
  const { startFhirSandbox } = await import('../../src/main/sandbox/fhirServer');
  const { createFhirSource } = await import('../../src/main/sources/fhir/fhirSource');
  const { startRuntime } = await import('../../src/main/app/runtime');
  const { fileKeyProvider } = await import('../../src/main/cache/keyProvider');
  const nord = await startFhirSandbox({ region: 'nord' });
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ sources: [{ id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, pageSize: 500 }] }));
  const runtime = await startRuntime({ configPath, transport: 'preview', dataDir: dir, keyProvider: fileKeyProvider(join(dir, 'cache.key')) });
  try {
    // Warm-up outside the services: the sandbox generates and keeps the heavy patient's
    // resources, the adapter's modules load. What the heap gains after this is what
    // the services keep for the open patient.
    const warm = createFhirSource({ id: 'warm-up', name: 'Warm-up', baseUrl: nord.url, timeoutMs: 60_000, pageSize: 500 });
    await warm.fetchPatient(sandboxQuery('heavy', new Date()), new AbortController().signal);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const summary = await openHeavy(runtime.services);
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const loaded = loadedPackages();
    process.stdout.write(`${JSON.stringify({ items: itemCount(summary), heapBefore, heapAfter, loaded: LARGE_LIBRARIES.filter((l) => loaded.has(l)) })}\n`);
  } finally {
    await runtime.close();
    await nord.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-bench-memory-'));
  try {
    if (process.argv[2] === 'demo') await demo(dir);
    else if (process.argv[2] === 'fhir-only') await fhirOnly(dir);
    else throw new Error('usage: memoryChild.ts demo|fhir-only');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
