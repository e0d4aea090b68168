/**
 * What V8 reports as external memory right after its own full GCs, when the
 * only Buffers alive are known (ADR 0040). Not a bench of the app: the
 * evidence for the flag loadMemory.ts runs with.
 *
 * Rounds of 4 MiB of Buffers that live long enough to reach the old
 * generation and are then dropped, with old-generation pressure from small
 * objects so that V8 runs full GCs of its own (none forced). At most 4 MiB of
 * Buffers is reachable at any moment. Run it twice:
 *
 *   node --no-incremental-marking --import tsx test/bench/externalAfterGc.ts
 *   node --no-incremental-marking --no-concurrent-array-buffer-sweeping --import tsx test/bench/externalAfterGc.ts
 *
 * Measured (Node 20): 32-40 MiB after each full GC with V8's default (the dead
 * Buffers are freed later by a background thread, and counted until then),
 * 4.0 MiB with the flag. With incremental marking on, both also count what
 * died while marking ran (floating garbage); loadMemory.ts keeps that in.
 */
import v8 from 'node:v8';

async function main(): Promise<void> {
  const base = v8.getHeapStatistics().external_memory;
  const profiler = new v8.GCProfiler();
  profiler.start();
  let held: Buffer[] = [];
  let junk: { i: number; s: string }[] = [];
  for (let round = 0; round < 200; round++) {
    for (let i = 0; i < 16; i++) held.push(Buffer.alloc(256 * 1024));
    for (let i = 0; i < 3000; i++) junk.push({ i, s: `${'x'.repeat(200)}${i}` });
    if (junk.length > 120_000) junk = [];
    // Long enough to survive young-generation collections.
    await new Promise((r) => setTimeout(r, 5));
    held = [];
  }
  const full = profiler.stop().statistics.filter((s) => s.gcType === 'MarkSweepCompact');
  const after = full.map((s) => ((s.afterGC.heapStatistics.externalMemory - base) / 1024 / 1024).toFixed(1));
  process.stdout.write(
    `${process.execArgv.filter((a) => a.startsWith('--no-')).join(' ') || '(V8 defaults)'}: ${full.length} full GCs; external after each, MiB (reachable: at most 4): ${after.join(' ')}\n`,
  );
}

void main();
