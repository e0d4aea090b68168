/**
 * The memory part of load.bench.ts (issue 14 items 1 and 2), in a process of
 * its own: only the app (services and the preview) runs here, as in the demo.
 * The simulated systems are in load.bench's sandbox process (argv: their
 * addresses as JSON) and the reading client in loadClient.ts's, so neither's
 * memory is counted as the app's.
 *
 * Rounds of HEAVY_OPENS sequential opens of the heavy patient (no cache: every
 * open fetches, merges and pushes whole summaries), alternately with and
 * without a client that opens the event stream and never reads. Measured, as
 * growth over the memory held before the round (after a GC):
 *
 *  - live: the heap (V8 used + external) right after each full GC V8 ran
 *    during the round (v8.GCProfiler), and after a GC forced by this bench
 *    every LIVE_SAMPLE_MS between tasks and inside each 'summary.updated'
 *    emit (a listener after the event stream's) and at the start of each of
 *    Region Nord's requests (its fetch wrapped) in the round that samples it:
 *    what the app needs at that moment. The process runs with
 *    --no-concurrent-array-buffer-sweeping (load.bench.ts passes it): by
 *    default V8 frees the Buffers a full GC found dead on a background thread
 *    after the GC, and the external memory read right after it still counts
 *    them (measured: 4-16 MB of dead Buffers at the heavy open's full GCs,
 *    0.0-0.1 MB with the flag; test/bench/externalAfterGc.ts shows it alone,
 *    ADR 0040). The flag changes when dead Buffers are freed, not what is
 *    reachable; LOAD_CONCURRENT_SWEEPING=1 runs with V8's default instead.
 *    The plain rounds' peak / the summary's JSON
 *    size is memory.heavy-live-ratio (target <= 4); the stalled rounds' median
 *    peak less the plain rounds' is memory.stalled-client-live (target <= the
 *    8 MiB cap: what a stalled client may cost).
 *  - heap: process.memoryUsage() every 5 ms, garbage not yet collected
 *    included (what V8 chose to defer, not what the app holds):
 *    memory.heavy-peak-ratio, informational.
 *  - retained: after the round, after a GC, the stalled client's socket still
 *    open; the stalled rounds' median less the plain rounds' median is
 *    memory.stalled-client-retained (target <= the 8 MiB cap). The stalled
 *    client must have been dropped (it finds its stream ended when it reads).
 *
 * Prints one JSON line with the figures (load.bench.ts reports them).
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseConfig } from '../../src/main/app/config';
import { createServices, createSourceAdapters } from '../../src/main/app/createServices';
import { createLogger } from '../../src/main/platform/logger';
import { startPreviewServer } from '../../src/main/preview/previewServer';
import { SANDBOX_PATIENTS } from '../../src/main/sandbox/fhirData';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { signInForTest, stateCareFor } from '../fixtures/session';

v8.setFlagsFromString('--expose-gc');
// Run alone (not through load.bench.ts): the same exact external memory (see above).
if (!process.env.LOAD_CONCURRENT_SWEEPING && !process.execArgv.includes('--no-concurrent-array-buffer-sweeping')) {
  v8.setFlagsFromString('--no-concurrent-array-buffer-sweeping');
}
const gc = vm.runInNewContext('gc') as () => void;

const EVENT_CAP = 8 * 1024 * 1024;
const HEAVY_OPENS = Number(process.env.LOAD_HEAVY_OPENS ?? 10);
const MEMORY_ROUNDS = Math.max(1, Number(process.env.LOAD_MEMORY_ROUNDS ?? 3));
const LIVE_SAMPLE_MS = 20;
const HEAVY = SANDBOX_PATIENTS.find((p) => p.key === 'heavy')!.identifier.value;
const clock = { now: () => new Date() };
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface MemoryFigures {
  heavyBytes: number;
  /** Per round: growth in bytes. */
  rounds: { stalled: boolean; live: number; liveForced: number; heap: number; retained: number; dropped: boolean; fullGcs: number; ms: number[] }[];
  /** Where the heap was allocated in one open (sampling heap profiler, collected objects included), top frames. */
  allocations?: { frame: string; mb: number }[];
}

/**
 * A full GC, then another once V8's background thread has freed the Buffers
 * the first found dead (until then they still count as external memory).
 */
async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 20));
  gc();
}

const held = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

async function main(): Promise<void> {
  const at = JSON.parse(process.argv[2]!) as { nord: string; syd: string; vast: number };
  const sources = [
    { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: at.nord, pageSize: 500 },
    { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: at.syd, pageSize: 500 },
    { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', host: '127.0.0.1', port: at.vast },
  ];
  const config = parseConfig({ sources, summary: { freshForSeconds: 0 }, session: { idleLockMinutes: 24 * 60 } });
  // Region Nord (the heavy patient's) built here so that its requests can be watched: at each request's start,
  // in the round that samples it, a forced GC shows what the adapter holds of the pages read so far.
  let onRequest: (() => void) | undefined;
  const watchedFetch: typeof fetch = (input, init) => {
    onRequest?.();
    return fetch(input, init);
  };
  const sourceAdapters = createSourceAdapters(config).map((adapter) =>
    adapter.id === 'region-nord'
      ? createFhirSource({ id: adapter.id, name: adapter.name, baseUrl: at.nord, pageSize: 500, timeoutMs: adapter.timeoutMs, clock, fetch: watchedFetch })
      : adapter,
  );
  const services = createServices({ config, sources: sourceAdapters, clock, logger: createLogger('bench'), transport: 'preview', version: 'bench' });
  await signInForTest(services);
  await stateCareFor(services, HEAVY);
  const preview = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir: tmpdir(), maxEventBufferBytes: EVENT_CAP });

  const client = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'loadClient.ts'), preview.origin, preview.token], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: client.stdout });
  const queue: ((line: Record<string, unknown>) => void)[] = [];
  replies.on('line', (line) => queue.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () => new Promise<Record<string, unknown>>((resolve) => queue.push(resolve));
  await next(); // ready
  const open = async (): Promise<{ ms: number; bytes: number }> => {
    const reply = next();
    client.stdin.write(`${HEAVY}\n`);
    const r = await reply;
    if (typeof r.error === 'string') throw new Error(`heavy open failed: ${r.error}`);
    await services.summary.settled();
    return r as { ms: number; bytes: number };
  };

  const figures: MemoryFigures = { heavyBytes: 0, rounds: [] };
  try {
    // Warm-up: code compiled, pools and connections made.
    for (let i = 0; i < 3; i++) figures.heavyBytes = (await open()).bytes;

    if (process.env.LOAD_PROFILE) figures.allocations = await profileOneOpen(open);

    const round = async (stalled: boolean, forced: boolean) => {
      await settle();
      const before = held();
      const v8Before = v8.getHeapStatistics();
      const liveBefore = v8Before.used_heap_size + v8Before.external_memory;
      let heap = 0;
      let liveForced = 0;
      const sampler = setInterval(() => (heap = Math.max(heap, held() - before)), 5);
      const forcer = forced
        ? setInterval(() => {
            gc();
            liveForced = Math.max(liveForced, held() - before);
          }, LIVE_SAMPLE_MS)
        : undefined;
      // And at each pushed update, inside the emit, after the event stream wrote it: the summary, the sources'
      // items and the event's bytes all still held.
      let atUpdate = 0;
      let atRequest = 0;
      if (forced)
        onRequest = () => {
          gc();
          atRequest = Math.max(atRequest, held() - before);
        };
      const probe = forced
        ? services.events.subscribe((event) => {
            if (event !== 'summary.updated') return;
            gc();
            atUpdate = Math.max(atUpdate, held() - before);
          })
        : undefined;
      const socket = stalled ? await stalledClient(preview.port, preview.token) : undefined;
      const profiler = new v8.GCProfiler();
      profiler.start();
      const ms: number[] = [];
      for (let i = 0; i < HEAVY_OPENS; i++) ms.push((await open()).ms);
      const gcs = profiler.stop();
      clearInterval(sampler);
      clearInterval(forcer);
      probe?.();
      onRequest = undefined;
      liveForced = Math.max(liveForced, atUpdate, atRequest);
      const full = gcs.statistics.filter((s) => s.gcType === 'MarkSweepCompact');
      const live = Math.max(
        0,
        ...full
          .map((s) => s.afterGC.heapStatistics.usedHeapSize + s.afterGC.heapStatistics.externalMemory)
          .map((n) => n - liveBefore),
      );
      await new Promise((r) => setTimeout(r, 100));
      await settle();
      const retained = held() - before;
      const dropped = socket ? await endedWhenRead(socket) : false;
      figures.rounds.push({ stalled, live, liveForced, heap, retained, dropped, fullGcs: full.length, ms });
      log(
        `  round ${stalled ? 'stalled' : 'plain  '}${forced ? ` (forced GC samples; at the updates ${mb(atUpdate)} MB, at Region Nord's requests ${mb(atRequest)} MB)` : ''}: ${full.length} full GCs, live peak ${mb(Math.max(live, liveForced))} MB, heap peak ${mb(heap)} MB, retained ${mb(retained)} MB${stalled ? `, dropped ${dropped}` : ''}`,
      );
    };
    for (let r = 0; r < MEMORY_ROUNDS; r++) {
      await round(false, false);
      await round(true, false);
    }
    // The live peak between tasks, sampled by forced GCs (slow: its own rounds, not timed).
    await round(false, true);
  } finally {
    client.stdin.end();
    await preview.close();
    await services.summary.settled();
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

/** A client that opens the event stream and never reads. */
function stalledClient(port: number, token: string): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      s.pause();
      resolve(s);
    });
  });
}

/** Reads the stalled client's stream: true when the server had ended it (dropped), false when it was still open. */
function endedWhenRead(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 5_000);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** One open under the sampling heap profiler, garbage included: bytes allocated per function (self), top 25. */
async function profileOneOpen(open: () => Promise<unknown>): Promise<{ frame: string; mb: number }[]> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await open();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  session.disconnect();
  const totals = new Map<string, number>();
  const walk = (node: ProfileNode) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(profile.head);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([frame, bytes]) => ({ frame, mb: Number((bytes / 1024 / 1024).toFixed(2)) }));
}

main().catch((err: unknown) => {
  process.stderr.write(`memory part failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
