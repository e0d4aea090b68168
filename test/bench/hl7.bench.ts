/**
 * HL7 v2 benchmark (npm run bench; not part of the tests). Figures, each one
 * line and one object in bench-results.json (see report.ts):
 *  - hl7.oru-batch.parse-map: Samsyn's path over a 2,000-message ORU^R01 BHS
 *    batch (8859/1, ~3.3 MB): decode by charset, split, parse, our field walk,
 *    the segment mappers. Baseline: @medplum/core's bare Hl7Message.parse of the
 *    same messages (already decoded and split). Target ratio >= 0.5;
 *  - hl7.mixed.parse-map: the same on 2,000 single messages of mixed types
 *    (ADT^A01/A08, ORU^R01, RDE^O11, VXU^V04, RSP^K11), each read on its own as
 *    an MLLP reply or a dropped file is;
 *  - hl7.scaling-exponent: log(t2000 / t250) / log(8) of the batch path (<= 1.05);
 *  - hl7.mllp.round-trip: a QBP^Q11 answered by the sandbox on loopback
 *    (connect, query, reply, map, close), median (informational);
 *  - hl7.module-load.time / .memory: a fresh process loading hl7Parse (bundled
 *    to plain JS, packages external) against `node -e 0` (informational).
 * A and B run interleaved (A B A B ...) in ROUNDS rounds of tinybench, and the
 * median of the rounds is reported with its spread; the parse + map figures
 * also print the median of each round's own ratio (informational: the figure
 * is the ratio of the medians).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Hl7Message } from '@medplum/core';
import { buildSync } from 'esbuild';
import { Bench } from 'tinybench';
import { startMllpSandbox } from '../../src/main/sandbox/mllpServer';
import { mapHl7Message } from '../../src/main/sources/hl7v2/hl7Map';
import { parseHl7Document } from '../../src/main/sources/hl7v2/hl7Parse';
import { decodeHl7Bytes } from '../../src/main/sources/hl7v2/hl7Text';
import { createMllpQuerySource } from '../../src/main/sources/hl7v2/mllpQueryAdapter';
import { medianAndSpread, report } from './report';

const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 7));
const CTX = { sourceId: 'b', sourceName: 'B', fetchedAt: '2026-01-01T00:00:00Z', recordPrefix: '' };
const PID = (i: number) =>
  `PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE~RN-${i}^^^REGION-NORD&1.2.752.999.1&ISO^PI||Tolvansson^Tolvan||19121212|M|||Tolvgatan 12^^Älvby^^97231^SE`;
const out = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- messages

function oruMessage(i: number): string {
  const segments = [
    `MSH|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|M${i}|P|2.5|||||SWE|8859/1`,
    PID(i),
    `PV1|1|O|Vårdcentralen Älvby^^^Region Nord|||||||MED`,
    `AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria~Andnöd|20090317`,
    `ORC|RE|P-${i}|F-${i}|||CM||||20260915090000+0100`,
    `OBR|1|P-${i}|F-${i}|24326-1^Elektrolyter^LN|||20260915090000+0100||||||||||||||||||F`,
  ];
  for (let k = 1; k <= 12; k++) {
    segments.push(`OBX|${k}|NM|2823-3^Kalium^LN||4,${k % 10}|mmol/L^mmol/L^UCUM|3.5-5.0|N~A|||F|||20260915090000+0100`);
  }
  segments.push(`OBX|13|TX|11506-3^Kommentar^LN||Prov taget på morgonen\\.br\\inga anmärkningar~Åter om 3 mån||||||F`);
  return segments.join('\r');
}

/** A BHS batch of `count` ORU^R01 messages, 8859/1 as a Nordic lab writes it. */
function oruBatch(count: number): { bytes: Buffer; texts: string[] } {
  const texts = Array.from({ length: count }, (_, i) => oruMessage(i));
  const text = [`BHS|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||||B${count}`, ...texts, `BTS|${count}`].join('\r');
  return { bytes: Buffer.from(text, 'latin1'), texts };
}

function msh(type: string, id: string, charset = ''): string {
  return `MSH|^~\\&|EPJ|REGION-NORD|SAMSYN|SAMSYN|20260916060000+0100||${type}|${id}|P|2.5|||||SWE${charset ? `|${charset}` : ''}`;
}

const MIXED: Array<(i: number) => string[]> = [
  (i) => [
    msh('ADT^A01^ADT_A01', `A01-${i}`, '8859/1'),
    'EVN|A01|20260915080000+0100',
    PID(i),
    'PV1|1|I|Medicin 3^12^1^Region Nord|||||||MED||||||||V-' + i + '|||||||||||||||||||||||||20260915080000+0100',
    'PV2|||R07.4^Bröstsmärta^I10SE',
    'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria~Andnöd|20090317',
    'AL1|2|FA|256349002^Jordnötter^SCT|MO|Klåda',
    'DG1|1|I10SE|I48.9^Förmaksflimmer|||W',
    'DG1|2||I10^Essentiell hypertoni^I10',
    'IAM|1|FA|256349002^Jordnötter^SCT|MI|Klåda|A|ALG-1||||20230512||||||C^Bekräftad',
  ],
  (i) => [
    msh('ADT^A08^ADT_A01', `A08-${i}`),
    'EVN|A08|20260915090000+0100',
    PID(i),
    'PV1|1|O|Elevhälsan^^^Kommun Väst|||||||SKH',
    'AL1|1|MA|X1^A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\F\\X41\\^L|MI',
    'DG1|1|I10SE|E11.9^Typ 2-diabetes|||F',
  ],
  (i) => [
    msh('ORU^R01^ORU_R01', `R01-${i}`, 'UNICODE UTF-8'),
    PID(i),
    `ORC|RE|P-${i}|F-${i}|||CM||||20260915090000+0100`,
    `OBR|1|P-${i}|F-${i}|14682-9^Kreatinin^LN|||20260915090000+0100||||||||||||||||||F`,
    'OBX|1|NM|14682-9^Creatinine^LN||112|umol/L^umol/L^UCUM|60-105|H~A|||F',
    'OBX|2|SN|1988-5^CRP^LN||<^5|mg/L|<5|N|||P|||20260915100000+0100',
    'OBX|3|TX|11506-3^Anteckning^LN||Rad ett\\.br\\rad två~Rad tre||||||C',
    'OBX|4|CE|883-9^Blodgrupp^LN||A^Blodgrupp A^L||||||F',
    'NTE|1||Kontrolleras om tre månader',
  ],
  (i) => [
    msh('RDE^O11^RDE_O11', `O11-${i}`, '8859/1'),
    PID(i),
    `ORC|NW|ORD-${i}||||IP||||20260301080000+0100`,
    'RXE|^^^20260301|20110318000016^Eliquis 5 mg^NPL^B01AF02^apixaban^WC|5||mg|TAB^Tablett|1 tablett två gånger dagligen',
    'RXR|PO^Oralt',
    `ORC|DC|ORD-${i}b||||DC`,
    'RXE|^^^20250101|C07AB02^Metoprolol^WC|50||mg|TAB^Tablett',
    'RXR|PO^Oralt',
  ],
  (i) => [
    msh('VXU^V04^VXU_V04', `V04-${i}`),
    PID(i),
    `ORC|RE|V-${i}`,
    'RXA|0|1|20251021090000+0100|20251021090000+0100|J07BB02^Influensavaccin^WC|0.5|mL',
    'RXR|IM^Intramuskulärt',
    'RXA|0|1|20241015|20241015|J07BX03^Covid-19-vaccin^WC|0.3|mL|||||||||||||CP',
  ],
  (i) => [
    msh('RSP^K11^RSP_K11', `K11-${i}`, '8859/1'),
    `MSA|AA|Q-${i}`,
    'QAK|T|OK|Z01^Patient summary^L',
    'QPD|Z01^Patient summary^L|T|191212121212^^^1.2.752.129.2.1.3.1',
    PID(i),
    'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria|20090317',
    'PRB|AD|20240114|K86^Hypertoni^ICPC2|PRB-7|||19980520||||||C^Bekräftad|active^Aktiv||19980520',
    'DG1|1|I10SE|I48.9^Förmaksflimmer|||W',
    `ORC|NW|ORD-${i}||||IP||||20260301080000+0100`,
    'RXE|^^^20260301|20110318000016^Eliquis 5 mg^NPL^B01AF02^apixaban^WC|5||mg|TAB^Tablett',
    'RXR|PO^Oralt',
    `OBR|1|P-${i}|F-${i}|24326-1^Elektrolyter^LN|||20260915090000+0100||||||||||||||||||F`,
    'OBX|1|NM|2823-3^Kalium^LN||4,4|mmol/L|3.5-5.0|N|||F',
    'OBX|2|NM|2951-2^Natrium^LN||141|mmol/L|137-145|N|||F',
  ],
];

function mixedMessages(count: number): { bytes: Buffer[]; texts: string[] } {
  const texts: string[] = [];
  const bytes: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const text = (MIXED[i % MIXED.length] as (i: number) => string[])(i).join('\r');
    texts.push(text);
    bytes.push(Buffer.from(text, text.includes('|8859/1') ? 'latin1' : 'utf8'));
  }
  return { bytes, texts };
}

// ---------------------------------------------------------------- paths

function samsynDocument(bytes: Buffer): number {
  let n = 0;
  for (const entry of parseHl7Document(decodeHl7Bytes(bytes)).entries) {
    if (!entry.view) throw new Error('bench message did not parse');
    n += mapHl7Message(entry.view, CTX).items.length;
  }
  return n;
}

function samsynEach(messages: Buffer[]): number {
  let n = 0;
  for (const b of messages) n += samsynDocument(b);
  return n;
}

function medplumBare(texts: string[]): number {
  let n = 0;
  for (const t of texts) n += Hl7Message.parse(t).segments.length;
  return n;
}

/** Runs A and B interleaved, one tinybench run per round; per-round means in ms. */
async function interleaved(a: () => unknown, b: () => unknown, rounds = ROUNDS): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ iterations: 1, time: 0, warmup: false });
    bench.add('A', a).add('B', b);
    await bench.run();
    const [ta, tb] = bench.tasks;
    const ma = ta?.result && 'latency' in ta.result ? ta.result.latency.mean : NaN;
    const mb = tb?.result && 'latency' in tb.result ? tb.result.latency.mean : NaN;
    times.a.push(ma);
    times.b.push(mb);
  }
  return times;
}

function describe(label: string, samples: number[]): string {
  const s = medianAndSpread(samples);
  return `${label}: median ${s.median.toFixed(1)} ms, spread ±${(s.spread * 100).toFixed(1)}% (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, ${samples.length} rounds)`;
}

async function parseMapFigure(name: string, count: number, ours: () => unknown, bare: () => unknown): Promise<void> {
  // Warm-up (JIT) of both paths, outside the timed rounds.
  ours();
  bare();
  const t = await interleaved(ours, bare);
  out(`  ${describe('Samsyn parse + map', t.a)}`);
  out(`  ${describe('@medplum/core bare Hl7Message.parse', t.b)}`);
  // A and B of one round ran back to back under the same load: their ratio is steadier than the two medians'.
  const paired = medianAndSpread(t.a.map((a, i) => (t.b[i] as number) / a));
  out(`  paired ratio per round (baseline time / Samsyn time): median ${paired.median.toFixed(3)}, spread ±${(paired.spread * 100).toFixed(1)}% (min ${paired.min.toFixed(3)}, max ${paired.max.toFixed(3)})`);
  const perSecond = (ms: number) => (count / ms) * 1000;
  report({
    name,
    value: perSecond(medianAndSpread(t.a).median),
    unit: 'msg/s',
    baseline: perSecond(medianAndSpread(t.b).median),
    atLeast: 0.5,
  });
}

async function scalingFigure(): Promise<void> {
  const small = oruBatch(250).bytes;
  const large = oruBatch(2_000).bytes;
  samsynDocument(small);
  const t = await interleaved(
    () => samsynDocument(small),
    () => samsynDocument(large),
  );
  out(`  ${describe('250 messages', t.a)}`);
  out(`  ${describe('2,000 messages', t.b)}`);
  const exponent = Math.log(medianAndSpread(t.b).median / medianAndSpread(t.a).median) / Math.log(8);
  report({ name: 'hl7.scaling-exponent', value: exponent, unit: '', atMost: 1.05 });
}

async function roundTripFigure(): Promise<void> {
  const sandbox = await startMllpSandbox({ region: 'vast' });
  const source = createMllpQuerySource({
    id: 'bench',
    name: 'Bench',
    host: '127.0.0.1',
    port: sandbox.port,
    timeoutMs: 5_000,
    query: 'QBP^Q11',
    profile: {
      sendingApplication: 'SAMSYN',
      sendingFacility: 'SAMSYN',
      receivingApplication: 'VAST-EPJ',
      receivingFacility: 'KOMMUN-VAST',
      version: '2.5',
      queryName: 'Z01^Patient summary^L',
    },
  });
  const query = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
  let items = 0;
  try {
    const bench = new Bench({ iterations: 200, time: 0, warmupIterations: 20, warmupTime: 0 });
    bench.add('round trip', async () => {
      items = (await source.fetchPatient(query, new AbortController().signal)).items.length;
    });
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (!result || !('latency' in result)) throw new Error('round trip bench failed');
    out(`  QBP^Q11 → RSP^K11, ${items} items, new connection each: p50 ${result.latency.p50?.toFixed(2)} ms, p99 ${result.latency.p99?.toFixed(2)} ms, ±${result.latency.rme.toFixed(1)}%`);
    report({ name: 'hl7.mllp.round-trip', value: result.latency.p50 ?? NaN, unit: 'ms' });
  } finally {
    await sandbox.close();
  }
}

function moduleLoadFigures(): void {
  const dir = join(__dirname, '..', '..', 'node_modules', '.cache', 'samsyn-bench');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, 'hl7Parse.cjs');
  buildSync({
    entryPoints: [join(__dirname, '..', '..', 'src', 'main', 'sources', 'hl7v2', 'hl7Parse.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
  const probe = (load: boolean) => {
    const code = `${load ? `require(${JSON.stringify(bundle)});` : ''}process.stdout.write(JSON.stringify({ rss: process.resourceUsage().maxRSS, nhc: Object.keys(require.cache).some((k) => k.includes('node-hl7-client')) }))`;
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (run.status !== 0) throw new Error(`module load probe failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout) as { rss: number; nhc: boolean };
    return { ms, mib: parsed.rss / 1024, nhc: parsed.nhc };
  };
  const loaded = { ms: [] as number[], mib: [] as number[] };
  const bare = { ms: [] as number[], mib: [] as number[] };
  let nhc = false;
  for (let r = 0; r < ROUNDS; r++) {
    const a = probe(true);
    const b = probe(false);
    nhc ||= a.nhc;
    loaded.ms.push(a.ms);
    loaded.mib.push(a.mib);
    bare.ms.push(b.ms);
    bare.mib.push(b.mib);
  }
  out(`  ${describe('node + hl7Parse', loaded.ms)}; node-hl7-client loaded: ${nhc ? 'yes' : 'no'}`);
  out(`  ${describe('node -e 0', bare.ms)}`);
  report({ name: 'hl7.module-load.time', value: medianAndSpread(loaded.ms).median, unit: 'ms', baseline: medianAndSpread(bare.ms).median });
  report({ name: 'hl7.module-load.memory', value: medianAndSpread(loaded.mib).median, unit: 'MiB', baseline: medianAndSpread(bare.mib).median });
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (name: string) => !only || only.some((o) => name.includes(o));
  out(`HL7 v2 benchmark (${ROUNDS} interleaved rounds; A = Samsyn, B = baseline)`);
  if (wanted('oru')) {
    const oru = oruBatch(2_000);
    out(`2,000 ORU^R01 messages in one BHS batch, 8859/1, ${(oru.bytes.length / 1e6).toFixed(2)} MB`);
    await parseMapFigure('hl7.oru-batch.parse-map', 2_000, () => samsynDocument(oru.bytes), () => medplumBare(oru.texts));
  }
  if (wanted('mixed')) {
    const mixed = mixedMessages(2_000);
    out('2,000 single messages: ADT^A01, ADT^A08, ORU^R01, RDE^O11, VXU^V04, RSP^K11 (8859/1 and UTF-8)');
    await parseMapFigure('hl7.mixed.parse-map', 2_000, () => samsynEach(mixed.bytes), () => medplumBare(mixed.texts));
  }
  if (wanted('scaling')) {
    out('scaling of the batch path, 250 → 2,000 messages');
    await scalingFigure();
  }
  if (wanted('mllp')) {
    out('MLLP round trip on loopback');
    await roundTripFigure();
  }
  if (wanted('load')) {
    out('module load: hl7Parse in a fresh process');
    moduleLoadFigures();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
