/**
 * FHIR mapping benchmark (npm run bench; not part of the tests): mapping a
 * ~3.5 MB Synthea bundle (bundleToSourceResult: reference index, subjects,
 * every mapper) against JSON.parse of the same bytes, interleaved with
 * tinybench over rounds. Each mapping run gets a freshly parsed graph (parsed
 * in tinybench's beforeEach, outside the timed part), as a reader sees it.
 *
 * Input: no third-party Synthea bundle in test/fixtures/thirdparty is 3.5 MB
 * (the largest, Johnnie679, is 683 KB), so the bench input is that real bundle
 * scaled deterministically (syntheaScale.ts): its Patient, Organization and
 * Practitioner once, every other entry repeated with distinct ids and
 * fullUrls, references among the copies rewritten to stay inside each copy.
 *
 * Figures:
 *  - fhir.map-synthea: mapping time, baseline JSON.parse; ratio target <= 1.5.
 *  - fhir.read-synthea: the whole file read (the fhir-r4 kind's files.read:
 *    UTF-8, JSON.parse, mapping), baseline JSON.parse (info).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { bundleToSourceResult } from '../../src/main/sources/fhir/bundleSource';
import { FHIR_SOURCE_KIND } from '../../src/main/sources/fhir/fhirKind';
import { medianAndSpread, report } from './report';
import { scaleSyntheaBundle } from './syntheaScale';

const FIXTURE = join(__dirname, '..', 'fixtures', 'thirdparty', 'synthea-r4-johnnie679-hermiston71.json');
const TARGET_BYTES = 3.5 * 1024 * 1024;
const ROUNDS = 7;

async function main(): Promise<void> {
  const bytes = scaleSyntheaBundle(readFileSync(FIXTURE, 'utf8'), TARGET_BYTES);
  const parsedOnce = JSON.parse(bytes.toString('utf8')) as { entry: unknown[] };
  process.stdout.write(`input: ${(bytes.length / 1024 / 1024).toFixed(2)} MB, ${parsedOnce.entry.length} entries (Johnnie679 scaled)\n`);
  // The bundle's own patient (its Synthea identifier), as the CLI is asked for it.
  const identifier = { system: 'https://github.com/synthetichealth/synthea', value: '2cd30bd6-3a87-4191-af90-6daa70f58f55' };
  const ctx = { sourceId: 'synthea', sourceName: 'Synthea', fetchedAt: '2026-11-29T10:00:00Z', identifier };
  const read = FHIR_SOURCE_KIND.files?.read;
  if (!read) throw new Error('fhir-r4 kind reads no files');
  const items = (read(bytes, ctx) as { items: unknown[] }).items.length;
  process.stdout.write(`items mapped: ${items}\n`);

  const parse: number[] = [];
  const map: number[] = [];
  const full: number[] = [];
  let graph: unknown;
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ iterations: 5, time: 0, warmup: round === 0 });
    // All three in every round, rounds interleaved: load drifts hit them alike.
    bench.add('parse', () => void JSON.parse(bytes.toString('utf8')));
    bench.add('map', () => void bundleToSourceResult(graph as never, ctx), {
      beforeEach() {
        graph = JSON.parse(bytes.toString('utf8'));
      },
    });
    bench.add('read', () => void read(bytes, ctx));
    await bench.run();
    for (const task of bench.tasks) {
      const mean = task.result && 'latency' in task.result ? task.result.latency.mean : NaN;
      if (task.name === 'parse') parse.push(mean);
      else if (task.name === 'map') map.push(mean);
      else full.push(mean);
    }
  }
  const p = medianAndSpread(parse);
  const m = medianAndSpread(map);
  const r = medianAndSpread(full);
  const pct = (x: number) => `±${(x * 100).toFixed(0)} %`;
  process.stdout.write(
    `JSON.parse ${p.median.toFixed(1)} ms ${pct(p.spread)}; map ${m.median.toFixed(1)} ms ${pct(m.spread)}; read ${r.median.toFixed(1)} ms ${pct(r.spread)} (${ROUNDS} rounds)\n`,
  );
  report({ name: 'fhir.map-synthea', value: m.median, unit: 'ms', baseline: p.median, atMost: 1.5 });
  report({ name: 'fhir.read-synthea', value: r.median, unit: 'ms', baseline: p.median });
}

void main();
