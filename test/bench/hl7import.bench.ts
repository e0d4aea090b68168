/**
 * HL7 v2 batch import and the event loop (issue 14.1; ADR 0029). Not part of
 * the tests. A 20,000-message ORU batch (~14 MB, 240,000 segments: the size of
 * the folder's default segment limit) is read while a setImmediate ticker
 * runs; the longest gap between two ticks is the longest time the event loop
 * was held (every call, the preview and the event stream wait that long).
 * A (baseline) and B run interleaved, A B A B ..., in ROUNDS rounds:
 *  - hl7.import.max-block: B = readHl7FileSliced (the batch folder's path:
 *    decoded in pieces, split and checked in steps, mapped message by message,
 *    turns every ~8 ms); A = readHl7File, the synchronous whole-file read (the
 *    command line's path, and the folder's parse step before ADR 0029). Median
 *    of the rounds' maxima; target: B at most 50 ms;
 *  - hl7.import.folder-max-block / hl7.import.restart-max-block: the whole
 *    batch folder (createBatchImporter.importNew: read, hash, count, parse,
 *    map, ledger, move) on a fresh folder, and a restart reading the same file
 *    again from processed/ (informational: medians of the rounds);
 *  - hl7.import.sliced-throughput: messages per second of B against A (the
 *    price of slicing; tinybench, one read per task and round);
 *  - hl7.import.single-message-max-block: one ORU message of 240,000 segments
 *    (BENCH_HL7_SEGMENTS; just under the default segment limit), B =
 *    readHl7FileSliced, A = readHl7File; median of the rounds' longest blocks
 *    (ADR 0034: the message's split into segments is stepwise too). Target:
 *    B at most 50 ms. `BENCH_HL7_ONLY=single` runs only this figure.
 * The machine is shared: print `uptime` beside the figures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import { createBatchImporter } from '../../src/main/sources/hl7v2/batchImporter';
import { readHl7File, readHl7FileSliced } from '../../src/main/sources/hl7v2/hl7File';
import { loadHl7Library } from '../../src/main/sources/hl7v2/hl7Parse';
import { largeBatch } from '../integration/sources/hl7/largeBatch';
import { medianAndSpread, report } from './report';

const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
const COUNT = Number(process.env.BENCH_HL7_MESSAGES ?? 20_000);
const SEGMENTS = Number(process.env.BENCH_HL7_SEGMENTS ?? 240_000);
const CTX = { sourceId: 'lab', sourceName: 'Lab', fetchedAt: '2026-11-30T08:00:00.000Z', recordPrefix: 'big/' };
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The longest gap between two turns of the event loop while `work` runs, in ms. */
async function maxBlock(work: () => unknown): Promise<number> {
  return (await maxBlocks(work)).max;
}

/**
 * maxBlock, and the longest gap less the garbage-collection pauses inside it
 * (`gc` performance entries): what our code held, apart from the collector.
 */
async function maxBlocks(work: () => unknown): Promise<{ max: number; withoutGc: number }> {
  const gaps: Array<[number, number]> = [];
  const pauses: Array<[number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let max = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    max = Math.max(max, now - last);
    if (now - last > 5) gaps.push([last, now]);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await new Promise<void>((resolve) => setImmediate(resolve));
  last = performance.now();
  try {
    await work();
    // The tail: the gap that ends when the work's last slice ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    running = false;
  }
  // GC entries are delivered after the work, with the event loop.
  await new Promise<void>((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  let withoutGc = 0;
  for (const [from, to] of gaps) {
    const gc = pauses.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(to, end) - Math.max(from, start)), 0);
    withoutGc = Math.max(withoutGc, to - from - gc);
  }
  return { max, withoutGc };
}

/** One ORU^R01 message of `segments` segments about Tolvan: MSH, PID, OBR and OBX results. */
function longMessage(segments: number): Buffer {
  const lines = [
    'MSH|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|L1|P|2.5|||||SWE|8859/1',
    'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M',
    'OBR|1|P-1|F-1|24326-1^Elektrolyter^LN|||20260915090000+0100||||||||||||||||||F',
  ];
  for (let k = 1; lines.length < segments; k++) lines.push(`OBX|${k}|NM|2823-3^Kalium^LN||4,${k % 10}|mmol/L^mmol/L^UCUM|3.5-5.0|N|||F|||20260915090000+0100`);
  return Buffer.from(`${lines.join('\r')}\r`, 'latin1');
}

async function singleMessage(): Promise<void> {
  const bytes = longMessage(SEGMENTS);
  out(`single message: ${(bytes.length / 1024 / 1024).toFixed(1)} MB, ${SEGMENTS} segments; rounds ${ROUNDS}`);
  loadHl7Library();
  await readHl7FileSliced(bytes, CTX);
  const syncBlock: number[] = [];
  const slicedBlock: number[] = [];
  const slicedWithoutGc: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    syncBlock.push(await maxBlock(() => readHl7File(bytes, CTX)));
    const sliced = await maxBlocks(() => readHl7FileSliced(bytes, CTX));
    slicedBlock.push(sliced.max);
    slicedWithoutGc.push(sliced.withoutGc);
    out(
      `round ${round + 1}: single message max block sync ${syncBlock.at(-1)!.toFixed(0)} ms, sliced ${sliced.max.toFixed(0)} ms ` +
        `(longest less GC pauses ${sliced.withoutGc.toFixed(0)} ms)`,
    );
  }
  const a = medianAndSpread(syncBlock);
  const b = medianAndSpread(slicedBlock);
  out(`sliced spread ${b.min.toFixed(0)}–${b.max.toFixed(0)} ms`);
  report({ name: 'hl7.import.single-message-max-block', value: b.median, unit: 'ms', baseline: a.median, targetOn: 'value', atMost: 50 });
  report({ name: 'hl7.import.single-message-max-block-without-gc', value: medianAndSpread(slicedWithoutGc).median, unit: 'ms' });
}

async function main(): Promise<void> {
  if (process.env.BENCH_HL7_ONLY === 'single') return singleMessage();
  await batch();
  await singleMessage();
}

async function batch(): Promise<void> {
  const bytes = largeBatch(COUNT);
  out(`input: ${(bytes.length / 1024 / 1024).toFixed(1)} MB, ${COUNT} messages; rounds ${ROUNDS}`);
  loadHl7Library();
  // Warm-up: both paths once (JIT), not measured.
  readHl7File(bytes, CTX);
  await readHl7FileSliced(bytes, CTX);

  const syncBlock: number[] = [];
  const slicedBlock: number[] = [];
  const folderBlock: number[] = [];
  const restartBlock: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    syncBlock.push(await maxBlock(() => readHl7File(bytes, CTX)));
    slicedBlock.push(await maxBlock(() => readHl7FileSliced(bytes, CTX)));
    const folder = mkdtempSync(join(tmpdir(), 'samsyn-bench-hl7-'));
    try {
      writeFileSync(join(folder, 'big.hl7'), bytes);
      const importer = createBatchImporter({ id: 'lab', name: 'Lab', folder, settleMs: 0 });
      folderBlock.push(await maxBlock(() => importer.importNew()));
      // Counted by the folder: past its memory budget a message is kept by where it lies (ADR 0038).
      if (importer.folderStatus().messages !== COUNT) throw new Error(`imported ${importer.folderStatus().messages} of ${COUNT}`);
      const restarted = createBatchImporter({ id: 'lab', name: 'Lab', folder, settleMs: 0 });
      restartBlock.push(await maxBlock(() => restarted.importNew()));
      if (restarted.folderStatus().messages !== COUNT) throw new Error(`restart read ${restarted.folderStatus().messages} of ${COUNT}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    out(
      `round ${round + 1}: max block sync ${syncBlock.at(-1)!.toFixed(0)} ms, sliced ${slicedBlock.at(-1)!.toFixed(0)} ms, ` +
        `folder ${folderBlock.at(-1)!.toFixed(0)} ms, restart ${restartBlock.at(-1)!.toFixed(0)} ms`,
    );
  }
  const a = medianAndSpread(syncBlock);
  const b = medianAndSpread(slicedBlock);
  report({ name: 'hl7.import.max-block', value: b.median, unit: 'ms', baseline: a.median, targetOn: 'value', atMost: 50 });
  report({ name: 'hl7.import.folder-max-block', value: medianAndSpread(folderBlock).median, unit: 'ms' });
  report({ name: 'hl7.import.restart-max-block', value: medianAndSpread(restartBlock).median, unit: 'ms' });

  const syncTimes: number[] = [];
  const slicedTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ iterations: 1, time: 0, warmup: false });
    bench.add('sync', () => void readHl7File(bytes, CTX));
    bench.add('sliced', async () => void (await readHl7FileSliced(bytes, CTX)));
    await bench.run();
    for (const task of bench.tasks) {
      const mean = task.result && 'latency' in task.result ? task.result.latency.mean : NaN;
      (task.name === 'sync' ? syncTimes : slicedTimes).push(mean);
    }
  }
  const rate = (ms: number) => (COUNT / ms) * 1000;
  report({
    name: 'hl7.import.sliced-throughput',
    value: rate(medianAndSpread(slicedTimes).median),
    unit: 'msg/s',
    baseline: rate(medianAndSpread(syncTimes).median),
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
