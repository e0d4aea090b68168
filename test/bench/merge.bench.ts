/**
 * Merge and reconciliation benchmark (npm run bench; not part of the tests):
 * mergeSummary over 1,000 / 10,000 / 50,000 synthetic items from three
 * sources — results (each at its own time), medications (refills, strengths),
 * allergies and problems sharing codes across sources — with tinybench, and
 * the scaling exponent between sizes (log(t2/t1) / log(n2/n1)).
 * Targets: 50,000 items under 250 ms; exponent at most 1.1.
 *
 * And the longest event-loop block (perf_hooks monitorEventLoopDelay, its
 * max) of the summary service opening a patient whose sources answer with
 * these items at once (ask, merge, summary; no transport), informational:
 * 280,000 items from three sources, one source at the per-source record limit
 * (summary.maxItemsPerSource, ADR 0037) and one over it (refused, coded).
 */
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import { createLogger } from '../../src/main/platform/logger';
import type { SourceAdapter } from '../../src/main/sources/types';
import { DEFAULT_MAX_ITEMS_PER_SOURCE } from '../../src/main/summary/askSource';
import { mergeSummary } from '../../src/main/summary/merge';
import { createSummaryService } from '../../src/main/summary/summaryService';
import type { ClinicalItem } from '../../src/shared/summary';
import { medianAndSpread, report } from './report';

const SOURCES = ['region-nord', 'region-syd', 'kommun-vast'];
const ATC = ['B01AF02', 'C07AB02', 'A10BA02', 'C09AA05', 'N02BE01', 'A02BC01', 'C10AA05', 'B01AA03'];
const LOINC = ['718-7', '2160-0', '4548-4', '2823-3', '1988-5', '33914-3', '14682-9'];
const NOW = new Date('2026-11-29T12:00:00Z');

function items(n: number): ClinicalItem[] {
  const out: ClinicalItem[] = [];
  for (let i = 0; i < n; i++) {
    const sourceId = SOURCES[i % SOURCES.length] as string;
    const provenance = { sourceId, sourceName: sourceId, recordId: `R/${i}`, fetchedAt: '2026-11-29T10:00:00Z', recordedAt: `2026-0${1 + (i % 9)}-01` };
    const kind = i % 10;
    if (kind < 7) {
      const day = new Date(Date.UTC(2010, 0, 1) + Math.floor(i / 3) * 3_600_000).toISOString();
      out.push({
        section: 'results',
        codes: [{ system: 'http://loinc.org', code: LOINC[i % LOINC.length] as string }],
        text: 'Analys',
        date: day,
        value: { value: (i % 97) / 3, unit: 'mmol/L' },
        status: i % 53 === 0 ? 'corrected' : 'final',
        details: { interpretation: [{ code: i % 5 === 0 ? 'H' : 'N' }] },
        sealed: false,
        provenance,
      });
    } else if (kind < 9) {
      const atc = ATC[i % ATC.length] as string;
      out.push({
        section: 'medications',
        codes: [{ system: 'http://www.whocc.no/atc', code: atc }],
        text: `Läkemedel ${atc} ${i % 2 === 0 ? '5 mg' : '2,5 mg'}`,
        status: i % 7 === 0 ? 'stopped' : 'active',
        date: `20${10 + (i % 16)}-03-01`,
        details: { recordKind: 'prescribed', dosage: ['1 tablett dagligen'] },
        sealed: false,
        provenance,
      });
    } else {
      out.push({
        section: 'allergies',
        codes: [{ system: 'http://snomed.info/sct', code: String(764146007 + (i % 40)) }],
        text: 'Allergi',
        status: 'active',
        details: { reactions: [{ manifestations: [i % 3 === 0 ? 'Anafylaxi' : 'Urtikaria'] }], criticality: i % 4 === 0 ? 'high' : 'low' },
        sealed: false,
        provenance,
      });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const sizes = [1_000, 10_000, 50_000];
  const inputs = new Map(sizes.map((n) => [n, items(n)]));
  // Garbage collection inside each timed merge (the measured cause of the growth with size): GC entries whose start falls within a run.
  const gcEntries: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcEntries.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const runs = new Map<number, { start: number; end: number }[]>(sizes.map((n) => [n, []]));
  // Sizes interleaved round by round (1k, 10k, 50k, 1k, ...). Per round each size runs at least 3 times
  // and 300 ms, its mean the round's sample: a single run of a small size either holds a young-generation
  // collection or not (0 or ~10 ms at 10,000), so one run per round made the exponent swing 0.85–1.5.
  const samples = new Map<number, number[]>(sizes.map((n) => [n, []]));
  for (let round = 0; round < 7; round++) {
    const bench = new Bench({ iterations: 3, time: 300, warmup: round === 0 });
    for (const n of sizes) {
      bench.add(String(n), () => {
        const start = performance.now();
        void mergeSummary(inputs.get(n) as ClinicalItem[], { now: NOW });
        runs.get(n)?.push({ start, end: performance.now() });
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const mean = task.result && 'latency' in task.result ? task.result.latency.mean : NaN;
      samples.get(Number(task.name))?.push(mean);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // the observer's last entries
  observer.disconnect();
  const gcMs = (n: number): number[] =>
    (runs.get(n) ?? []).map((run) => gcEntries.filter((g) => g.start >= run.start && g.start < run.end).reduce((sum, g) => sum + Math.min(g.end, run.end) - g.start, 0));
  const medians = new Map<number, number>();
  for (const n of sizes) {
    const { median, spread } = medianAndSpread(samples.get(n) ?? []);
    medians.set(n, median);
    process.stdout.write(`merge ${n}: median ${median.toFixed(1)} ms, spread ±${(spread * 100).toFixed(0)} % (7 rounds, each the mean of ${Math.round((runs.get(n)?.length ?? 0) / 7)} runs)\n`);
  }
  report({ name: 'merge.items-1000', value: medians.get(1_000) as number, unit: 'ms' });
  report({ name: 'merge.items-10000', value: medians.get(10_000) as number, unit: 'ms' });
  report({ name: 'merge.items-50000', value: medians.get(50_000) as number, unit: 'ms', atMost: 250 });
  const exponent = (a: number, b: number) => Math.log((medians.get(b) as number) / (medians.get(a) as number)) / Math.log(b / a);
  report({ name: 'merge.exponent-10k-50k', value: exponent(10_000, 50_000), unit: '', atMost: 1.1 });
  report({ name: 'merge.exponent-1k-10k', value: exponent(1_000, 10_000), unit: '' });
  // The same runs with the garbage collection inside them taken out: the merge's own work.
  const gcMedian = (n: number) => medianAndSpread(gcMs(n)).median;
  const timed = (n: number) => (runs.get(n) ?? []).map((run) => run.end - run.start);
  const withoutGc = (n: number) => medianAndSpread(timed(n).map((ms, k) => ms - (gcMs(n)[k] ?? 0))).median;
  process.stdout.write(`merge GC inside the runs: median ${sizes.map((n) => `${n}: ${gcMedian(n).toFixed(1)} ms`).join(', ')}\n`);
  report({ name: 'merge.gc-50000', value: gcMedian(50_000), unit: 'ms' });
  report({ name: 'merge.items-50000-without-gc', value: withoutGc(50_000), unit: 'ms' });
  report({ name: 'merge.exponent-10k-50k-without-gc', value: Math.log(withoutGc(50_000) / withoutGc(10_000)) / Math.log(5), unit: '' });

  inputs.clear();
  for (const [name, n, sources] of [
    ['merge.block-280000-three-sources', 280_000, SOURCES],
    ['merge.block-one-source-at-limit', DEFAULT_MAX_ITEMS_PER_SOURCE, SOURCES.slice(0, 1)],
    ['merge.block-one-source-over-limit', DEFAULT_MAX_ITEMS_PER_SOURCE + 1, SOURCES.slice(0, 1)],
  ] as const) {
    const { ms, states } = await longestBlock(items(n), sources);
    process.stdout.write(`summary open of ${n} items from ${sources.length} source(s): longest event-loop block ${ms.toFixed(0)} ms; sources ${states.join(', ')}\n`);
    report({ name, value: ms, unit: 'ms' });
  }
}

/** The official test identity number the bench's patient carries (Tolvan). */
const PATIENT = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };

/**
 * The summary service opening a patient whose sources (the given ids, each in process) answer at once
 * with `all` (every item to the source `sources` names at its place, round robin): the longest block.
 */
async function longestBlock(all: ClinicalItem[], sources: readonly string[]): Promise<{ ms: number; states: string[] }> {
  const bySource = new Map<string, ClinicalItem[]>(sources.map((id) => [id, []]));
  all.forEach((item, i) => {
    const sourceId = sources[i % sources.length] as string;
    bySource.get(sourceId)?.push({ ...item, provenance: { ...item.provenance, sourceId, sourceName: sourceId } });
  });
  const adapters: SourceAdapter[] = sources.map((id) => ({
    id,
    name: id,
    kind: 'bench',
    timeoutMs: 600_000,
    fetchPatient: async () => ({ subjects: [{ identifiers: [PATIENT] }], items: bySource.get(id) ?? [], fetchedAt: NOW.toISOString() }),
  }));
  const service = createSummaryService({ sources: adapters, clock: { now: () => NOW }, logger: createLogger('bench') });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const summary = await service.open({ identifier: PATIENT });
  await new Promise((resolve) => setTimeout(resolve, 50));
  delay.disable();
  return { ms: delay.max / 1e6, states: summary.sources.map((s) => `${s.state}${s.error ? ` ${s.error}` : ''} (${s.itemCount})`) };
}

void main();
