/**
 * `npm run fuzz` (outside npm test): generated and mutated HL7 v2 messages,
 * FHIR Bundles and identity numbers through the real file readers (limits,
 * UTF-8, parsers, mappers), the identity guard and the identity parser. HL7
 * v2 goes through the stepwise readers the app and the CLI ship (ADR 0038):
 * the CLI's readAsync (readHl7ForPatient) and the batch folder's
 * readHl7FileSliced, never the synchronous readHl7File.
 *
 *   npm run fuzz -- [--count N] [--seed S] [--out DIR] [--shapes M]
 *
 * `--shapes M` adds M FHIR resources of the wrong shape (fhirShapes.ts: real
 * Synthea / IPS resources, one to three elements turned into a wrong type),
 * each read alone and in a Bundle and merged: an item the shared schema
 * refuses, an uncoded error or INTERNAL is a failure.
 *
 * Every input must end in a result or a CodedError (anything else is an
 * uncaught exception), and an answer the identity guard lets through must hold
 * no item for another patient: every Patient / PID the answer rests on carries
 * the identifier asked for. Time and heap growth per input are measured; their
 * maxima are printed. A failing input is written to DIR (default a temp
 * folder) with its seed and index, to be kept as a regression test. Exit 1 on
 * any failure. Inputs are split evenly: HL7 v2, FHIR, identity numbers.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../src/shared/errors';
import { matchesRequested, parsePatientInput } from '../../src/shared/identity';
import { mentionsPatient, readHl7FileSliced } from '../../src/main/sources/hl7v2/hl7File';
import { isHl7Bytes } from '../../src/main/sources/hl7v2/hl7Text';
import { BUILTIN_SOURCES } from '../../src/main/sources/registry';
import type { PatientQuery, SourceResult } from '../../src/main/sources/types';
import { guardIdentity } from '../../src/main/summary/identityGuard';
import { checkResource, mutateResource, RESOURCES } from './fhirShapes';
import { batchOf, FUZZ_IDS, generateMessage, identityString, int, mutateBytes, mutateJson, mutateSegments, pick, prng, type Rng } from './mutate';

const root = join(__dirname, '..', '..');
const TODAY = new Date('2026-11-30T00:00:00Z');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

/** The seeds: every HL7 and FHIR JSON fixture, third-party samples and the sandbox's data (small ones whole). */
export function seeds(): { hl7: Buffer[]; fhir: unknown[] } {
  const hl7 = [join(root, 'test/fixtures/hl7'), join(root, 'test/fixtures/thirdparty'), join(root, 'resources/sandbox/hl7')].flatMap((d) =>
    filesUnder(d, '.hl7').map((f) => readFileSync(f)),
  );
  const fhir: unknown[] = [];
  const jsonFiles = [join(root, 'test/fixtures/bundles'), join(root, 'test/fixtures/fhir'), join(root, 'test/fixtures/thirdparty'), join(root, 'resources/sandbox')].flatMap((d) =>
    filesUnder(d, '.json'),
  );
  for (const f of jsonFiles) {
    try {
      const json = JSON.parse(readFileSync(f, 'utf8')) as { resourceType?: string };
      if (json.resourceType === 'Bundle') fhir.push(json);
      else if (typeof json.resourceType === 'string') fhir.push({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: json }] });
    } catch {
      // not JSON (a deliberately broken fixture): a byte seed is enough
    }
  }
  return { hl7, fhir };
}

const queries: PatientQuery[] = FUZZ_IDS.map((id) => {
  const parsed = parsePatientInput(id, { today: TODAY });
  if (!parsed.ok) throw new Error(`test id refused: ${parsed.error.code}`);
  return parsed.value;
});

export type Verdict = { ok: true } | { ok: false; kind: 'uncaught' | 'wrong-patient' | 'identity'; detail: string };

/**
 * The batch drop folder's answer from one file, as it ships: read by the
 * stepwise reader the importer uses (readHl7FileSliced: decoded in pieces,
 * split, checked and mapped in steps), its good messages kept (a bad one is
 * quarantined on its own), those naming the patient answered
 * (batchFolderSource.ts fetchPatient).
 */
async function readAsFolder(bytes: Buffer, query: PatientQuery): Promise<SourceResult> {
  const content = await readHl7FileSliced(bytes, { sourceId: 'fuzz', sourceName: 'fuzz', fetchedAt: TODAY.toISOString(), recordPrefix: 'fuzz.hl7/' });
  const mine = content.messages.flatMap((m) => (m.mapped && !m.error && mentionsPatient(m.mapped, query.identifier) ? [m.mapped] : []));
  return { subjects: mine.flatMap((m) => m.subjects), items: mine.flatMap((m) => m.items), fetchedAt: TODAY.toISOString() };
}

/**
 * Reads bytes as a file the way the shipped code reads it, then through the
 * guard: the registry's file readers as `samsyn summarize` calls them (the
 * stepwise `readAsync` where a kind has one: HL7 v2's readHl7ForPatient), and
 * an HL7 file also as the batch folder reads it (readAsFolder). The first
 * failing path's verdict, else ok.
 */
export async function checkFile(bytes: Buffer, query: PatientQuery): Promise<Verdict> {
  const reader = BUILTIN_SOURCES.fileReaders.find((r) => r.claims(bytes));
  if (!reader) return { ok: true };
  const ctx = { sourceId: 'fuzz', sourceName: 'fuzz', fetchedAt: TODAY.toISOString(), identifier: query.identifier };
  const cli = await judge(bytes, query, 'read', () => (reader.readAsync ? reader.readAsync(bytes, ctx) : Promise.resolve(reader.read(bytes, ctx))));
  if (!cli.ok || !isHl7Bytes(bytes)) return cli;
  return judge(bytes, query, 'folder', () => readAsFolder(bytes, query));
}

/** One path's answer through the guard and the oracle below. */
async function judge(bytes: Buffer, query: PatientQuery, path: string, read: () => Promise<SourceResult>): Promise<Verdict> {
  let result: SourceResult;
  try {
    result = await read();
  } catch (err) {
    return err instanceof CodedError ? { ok: true } : { ok: false, kind: 'uncaught', detail: `${path}: ${(err as Error)?.name}: ${(err as Error)?.message?.slice(0, 200)}` };
  }
  let passed: SourceResult;
  try {
    passed = guardIdentity(result, query);
  } catch (err) {
    return err instanceof CodedError ? { ok: true } : { ok: false, kind: 'uncaught', detail: `guard: ${(err as Error)?.name}` };
  }
  if (passed.items.length === 0) return { ok: true };
  // The oracle, independent of the adapters: every subject the answer names is the patient asked for...
  for (const s of passed.subjects) {
    if (!s.identifiers.some((id) => matchesRequested(id, query.identifier))) return { ok: false, kind: 'wrong-patient', detail: 'a subject without the identifier' };
  }
  // ...and the patient's number is in the input at all (an answer cannot be about someone the input never names).
  const text = bytes.toString('latin1');
  // Compared without separators: a number may be written 19121212-1212.
  if (!text.replace(/[-+\s]/g, '').includes(query.identifier.value.replace(/[-+]/g, ''))) {
    return { ok: false, kind: 'wrong-patient', detail: 'items for a number the input does not hold' };
  }
  // A FHIR answer: every Patient resource in the Bundle must carry the identifier (all are subjects the guard checks).
  if (bytes[0] === 0x7b || text.trimStart().startsWith('{')) {
    try {
      const bundle = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as { entry?: { resource?: { resourceType?: string; identifier?: { system?: string; value?: string }[] } }[] };
      for (const e of Array.isArray(bundle.entry) ? bundle.entry : []) {
        const r = e?.resource;
        if (r?.resourceType !== 'Patient') continue;
        const ids = Array.isArray(r.identifier) ? r.identifier : [];
        if (!ids.some((id) => id && typeof id.value === 'string' && id.value.includes(query.identifier.value.slice(-4)))) {
          return { ok: false, kind: 'wrong-patient', detail: 'a Patient in the Bundle without the identifier, yet items passed' };
        }
      }
    } catch {
      // read above already; nothing more to check
    }
  }
  return { ok: true };
}

/** The identity parser: a Result for every string, never a throw; a valid id reparses to itself. */
export function checkIdentity(input: string): Verdict {
  try {
    const parsed = parsePatientInput(input, { today: TODAY });
    if (!parsed.ok) return parsed.error.code && typeof parsed.error.code === 'string' ? { ok: true } : { ok: false, kind: 'identity', detail: 'no code' };
    const { system, value } = parsed.value.identifier;
    const again = parsePatientInput(`${system ?? ''}|${value}`, { today: TODAY });
    if (!again.ok || again.value.identifier.value !== parsed.value.identifier.value) return { ok: false, kind: 'identity', detail: 'canonical form does not reparse to itself' };
    return { ok: true };
  } catch (err) {
    return { ok: false, kind: 'uncaught', detail: `identity: ${(err as Error)?.name}` };
  }
}

function hl7Input(rng: Rng, pool: Buffer[]): Buffer {
  const r = rng();
  if (r < 0.3) {
    const n = 1 + int(rng, 4);
    const messages = Array.from({ length: n }, () => generateMessage(rng).text);
    return Buffer.from(n > 1 || rng() < 0.3 ? batchOf(rng, messages) : messages[0]!, rng() < 0.2 ? 'latin1' : 'utf8');
  }
  let bytes = pick(rng, pool);
  if (r < 0.65) {
    const other = pick(rng, pool).toString('latin1');
    let text = bytes.toString('latin1');
    for (let k = 0, n = 1 + int(rng, 4); k < n; k++) text = mutateSegments(rng, text, other);
    return Buffer.from(text, 'latin1');
  }
  for (let k = 0, n = 1 + int(rng, 6); k < n; k++) bytes = mutateBytes(rng, bytes);
  return bytes;
}

function fhirInput(rng: Rng, pool: unknown[]): Buffer<ArrayBufferLike> {
  let json = pick(rng, pool) as Parameters<typeof mutateJson>[1];
  for (let k = 0, n = 1 + int(rng, 5); k < n; k++) json = mutateJson(rng, json);
  let bytes: Buffer<ArrayBufferLike> = Buffer.from(JSON.stringify(json));
  if (rng() < 0.25) for (let k = 0, n = 1 + int(rng, 3); k < n; k++) bytes = mutateBytes(rng, bytes);
  return bytes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, shapes: { type: 'string', default: '0' } },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const outDir = values.out ?? join(tmpdir(), `samsyn-fuzz-${seed}`);
  const pool = seeds();
  // The big Synthea bundles make slow seeds; mutations of them are kept to a share.
  const small = pool.fhir.filter((b) => JSON.stringify(b).length < 200_000);
  const big = pool.fhir.filter((b) => JSON.stringify(b).length >= 200_000);
  const started = performance.now();
  const stats = { hl7: 0, fhir: 0, identity: 0, coded: 0, passed: 0, failures: 0, maxMs: 0, maxMsKind: '', maxHeapMb: 0 };
  const failures: string[] = [];
  mkdirSync(outDir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const rng = prng(seed * 1_000_003 + i);
    const which = i % 3;
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let verdict: Verdict;
    let input: Buffer<ArrayBufferLike> | string;
    if (which === 0) {
      input = hl7Input(rng, pool.hl7) as Buffer;
      verdict = await checkFile(input, pick(rng, queries));
      stats.hl7++;
    } else if (which === 1) {
      input = fhirInput(rng, rng() < 0.02 && big.length > 0 ? big : small);
      verdict = await checkFile(input, pick(rng, queries));
      stats.fhir++;
    } else {
      input = identityString(rng);
      verdict = checkIdentity(input);
      stats.identity++;
    }
    const ms = performance.now() - t0;
    if (ms > stats.maxMs) {
      stats.maxMs = ms;
      stats.maxMsKind = ['hl7', 'fhir', 'identity'][which]!;
    }
    if (i % 64 === 0) stats.maxHeapMb = Math.max(stats.maxHeapMb, (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024);
    if (!verdict.ok) {
      stats.failures++;
      const file = join(outDir, `failure-${seed}-${i}.${which === 1 ? 'json' : which === 0 ? 'hl7' : 'txt'}`);
      writeFileSync(file, input);
      failures.push(`#${i} ${verdict.kind}: ${verdict.detail} → ${file}`);
    }
    if ((i + 1) % 10_000 === 0) process.stdout.write(`  ${i + 1} inputs, ${stats.failures} failures, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `fuzz: ${count} inputs (HL7 v2 ${stats.hl7}, FHIR ${stats.fhir}, identity ${stats.identity}), seed ${seed}, ${seconds.toFixed(0)} s; ` +
      `failures ${stats.failures}; max per input ${stats.maxMs.toFixed(0)} ms (${stats.maxMsKind}), max heap growth per input ${stats.maxHeapMb.toFixed(1)} MB\n`,
  );
  const shapes = Number(values.shapes);
  let shapeFailures = 0;
  const shapesStarted = performance.now();
  for (let i = 0; i < shapes; i++) {
    const rng = prng(seed * 2_000_003 + i);
    const { resource, patient } = pick(rng, RESOURCES);
    const mutated = mutateResource(rng, resource);
    const problem = checkResource(mutated, patient);
    if (problem) {
      shapeFailures++;
      const file = join(outDir, `shape-failure-${seed}-${i}.json`);
      writeFileSync(file, JSON.stringify(mutated));
      failures.push(`shape #${i} ${resource.resourceType}: ${problem} → ${file}`);
    }
  }
  if (shapes > 0) {
    process.stdout.write(
      `fuzz FHIR shapes: ${shapes} mutated resources (${RESOURCES.length} seeds), seed ${seed}, ${((performance.now() - shapesStarted) / 1000).toFixed(0)} s; failures ${shapeFailures}\n`,
    );
  }
  for (const f of failures.slice(0, 20)) process.stdout.write(`  ${f}\n`);
  process.exitCode = stats.failures + shapeFailures > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`fuzz failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
