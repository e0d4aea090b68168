/**
 * Fan-out (issue 13 target 5): five sandbox FHIR sources, each answering every
 * request 200 ms late, asked for Tolvan through the summary service. The open
 * to its final summary (total) against the slowest source's own answer time
 * (its status `ms`) in the same open: the sources run in parallel when the
 * ratio is near 1. Figure fan-out.five-200ms: median of the per-open ratios,
 * target <= 1.05.
 */
import { performance } from 'node:perf_hooks';
import { createServices } from '../../src/main/app/createServices';
import { createLogger } from '../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { sandboxQuery } from '../fixtures/patientQuery';
import { medianAndSpread, report } from './report';

const ROUNDS = Math.max(7, Number(process.env.BENCH_ROUNDS ?? 7));
const DELAY_MS = 200;
const out = (line: string) => process.stdout.write(`${line}\n`);
const clock = { now: () => new Date() };

async function main(): Promise<void> {
  const sandboxes: FhirSandbox[] = await Promise.all(Array.from({ length: 5 }, () => startFhirSandbox({ region: 'nord', latencyMs: DELAY_MS })));
  const services = createServices({
    config: { sources: [] },
    sources: sandboxes.map((s, i) => createFhirSource({ id: `region-${i + 1}`, name: `Region ${i + 1}`, baseUrl: s.url, timeoutMs: 30_000, pageSize: 500, clock })),
    clock,
    logger: createLogger('bench'),
    transport: 'preview',
    version: 'bench',
  });
  try {
    const query = sandboxQuery('tolvan', new Date());
    await services.summary.open(query); // warm-up
    const totals: number[] = [];
    const slowest: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      const summary = await services.summary.open(query);
      const total = performance.now() - t0;
      if (summary.sources.some((s) => s.state !== 'ok')) throw new Error('a source did not answer');
      const slow = Math.max(...summary.sources.map((s) => s.ms ?? 0));
      totals.push(total);
      slowest.push(slow);
      ratios.push(total / slow);
      await services.summary.settled();
    }
    const t = medianAndSpread(totals);
    const s = medianAndSpread(slowest);
    out(`five sources, each ${DELAY_MS} ms late per request, ${ROUNDS} opens of Tolvan (service layer, to the final summary):`);
    out(`  total: median ${t.median.toFixed(1)} ms (${t.min.toFixed(1)}–${t.max.toFixed(1)}); slowest source: median ${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`);
    report({ name: 'fan-out.five-200ms', value: medianAndSpread(ratios).median, unit: 'x', targetOn: 'value', atMost: 1.05 });
  } finally {
    await services.summary.settled();
    await Promise.all(sandboxes.map((s) => s.close()));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
