/**
 * The fault matrix (issue 14, item 5): for each source kind (FHIR R4, HL7 v2
 * MLLP, HL7 v2 batch folder) and each fault, a real server or folder on
 * 127.0.0.1 (port 0) fails that way beside one healthy FHIR region, and the
 * patient is opened through the real summary service. A cell is shown
 * correctly when the faulty source ends with its expected coded status (or
 * note), the healthy region's items are shown, nothing of the wrong patient is
 * shown, and no exception escapes (open resolves; no uncaught exception or
 * unhandled rejection in this process). The table goes to stdout and to
 * test-results/fault-matrix.md; the test fails if any cell is wrong.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main/app/config';
import { createSourceAdapters } from '../../src/main/app/createServices';
import { createLogger } from '../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../src/main/sandbox/mllpServer';
import { DEFAULT_LIMITS } from '../../src/main/sources/hl7v2/batchImporter';
import { createBatchFolderSource } from '../../src/main/sources/hl7v2/batchFolderSource';
import type { SourceAdapter } from '../../src/main/sources/types';
import { createSummaryService } from '../../src/main/summary/summaryService';
import type { ErrorCode } from '../../src/shared/errors';
import type { SourceStatus, Summary } from '../../src/shared/summary';
import { faultyDisk, put } from '../integration/hl7v2/faultyDisk';
import { sandboxQuery } from '../fixtures/patientQuery';
import { refusedUrl, startFaultServer } from './faultServers';

const NOW = new Date('2026-11-25T10:00:00Z');
/** The faulty source's deadline: short, so the matrix stays bounded. */
const DEADLINE_MS = 700;
const TLS = join(__dirname, '..', 'fixtures', 'tls');
const pem = (name: string) => join(TLS, name);
const FAULTY = 'faulty';
const HEALTHY = 'region-nord';

type Kind = 'fhir-r4' | 'hl7v2-mllp' | 'hl7v2-batch';
const KINDS: readonly Kind[] = ['fhir-r4', 'hl7v2-mllp', 'hl7v2-batch'];

/** What the faulty source must end as. */
interface Expected {
  state: SourceStatus['state'];
  /** One of these codes as its error. */
  error?: readonly ErrorCode[];
  /** A note with this code (a drop folder reports per file and about itself). */
  note?: ErrorCode;
  waiting?: number;
  /** Its own items: none at all, or some (what it could still answer). */
  items: 'none' | 'some';
}

interface Prepared {
  adapter: SourceAdapter;
  close(): Promise<void> | void;
}

interface Cell {
  fault: string;
  kind: Kind;
  expected: Expected;
  prepare(): Promise<Prepared>;
}

const FAULTS = [
  'refused',
  'reset mid-answer',
  'truncated answer',
  'slow past the deadline',
  'garbage body',
  'another patient',
  'server error (OperationOutcome / NAK)',
  'query rejected (AE)',
  'growing batch (still written)',
  'truncated batch (end never comes)',
  'TLS handshake failure',
  'disk full',
  'read-only folder',
] as const;

const failed = (...codes: ErrorCode[]): Expected => ({ state: 'failed', error: codes, items: 'none' });

function fhirAdapter(baseUrl: string, tls?: Record<string, string>): SourceAdapter {
  const config = readConfig({
    sources: [{ id: FAULTY, name: 'Faulty FHIR', kind: 'fhir-r4', baseUrl, timeoutMs: DEADLINE_MS, ...(tls ? { tls } : {}) }],
  });
  if (config.rejected?.length) throw new Error('fault matrix: FHIR config rejected');
  return createSourceAdapters(config)[0] as SourceAdapter;
}

function mllpAdapter(port: number, tls?: Record<string, string>): SourceAdapter {
  const config = readConfig({
    sources: [{ id: FAULTY, name: 'Faulty MLLP', kind: 'hl7v2-mllp', host: '127.0.0.1', port, timeoutMs: DEADLINE_MS, ...(tls ? { tls } : {}) }],
  });
  if (config.rejected?.length) throw new Error('fault matrix: MLLP config rejected');
  return createSourceAdapters(config)[0] as SourceAdapter;
}

const fhirCell = (fault: string, expected: Expected, start: () => Promise<{ url: string; tls?: Record<string, string>; close(): Promise<void> | void }>): Cell => ({
  fault,
  kind: 'fhir-r4',
  expected,
  async prepare() {
    const server = await start();
    return { adapter: fhirAdapter(server.url, server.tls), close: () => server.close() };
  },
});

const fhirSandboxCell = (fault: string, expected: Expected, sandboxFault: 'down' | 'http500' | 'slow' | 'wrongPatient'): Cell =>
  fhirCell(fault, expected, async () => {
    const sandbox = await startFhirSandbox({ region: 'syd', fault: sandboxFault, slowMs: 30_000 });
    return { url: sandbox.url, close: () => sandbox.close() };
  });

const mllpCell = (fault: string, expected: Expected, sandboxFault: Parameters<MllpSandbox['setFault']>[0]): Cell => ({
  fault,
  kind: 'hl7v2-mllp',
  expected,
  async prepare() {
    const sandbox = await startMllpSandbox({ region: 'vast', fault: sandboxFault, slowMs: 30_000 });
    return { adapter: mllpAdapter(sandbox.port), close: () => sandbox.close() };
  },
});

// --- the batch folder: real folders, the importer's clock moved by the test --

const T0 = Date.parse('2026-11-25T08:00:00Z');
const TOLVAN_PID = 'PID|1||191212121212^^^1.2.752.129.2.1.3.1||Tolvansson^Tolvan';
const OTHER_PID = 'PID|1||199001012380^^^1.2.752.129.2.1.3.1||Andersson^Anna';
const BHS = 'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20261125';
const msh = (id: string) => `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20261125||ORU^R01|${id}|P|2.5`;
const obx = (code: string, value: string) => `OBX|1|NM|${code}^Test^LN||${value}|g/L|||||F|||20261124090000+0100`;
const message = (id: string, pid = TOLVAN_PID, value = '124') => [msh(id), pid, obx('718-7', value)].join('\r');

/**
 * A drop folder that already imported one good message for the patient, then
 * gets the fault; `dir` may be a faulty disk's. Each fetch moves the clock by
 * `step` so a file counts as settled (or as never finished).
 */
function batchCell(
  fault: string,
  expected: Expected,
  inject: (folder: string, write: (name: string, text: string) => void) => void,
  opts: { step?: number; disk?: 'full' | 'read-only'; fetchesAfter?: number } = {},
): Cell {
  return {
    fault,
    kind: 'hl7v2-batch',
    expected,
    async prepare() {
      const disk = opts.disk ? faultyDisk() : undefined;
      const root = disk?.dir ?? mkdtempSync(join(tmpdir(), 'samsyn-fault-matrix-'));
      const folder = join(root, 'drop');
      mkdirSync(folder);
      let time = T0;
      const clock = { now: () => new Date(time) };
      const write = (name: string, text: string) => {
        put(join(folder, name), text);
        utimesSync(join(folder, name), new Date(time), new Date(time));
      };
      const make = () =>
        createBatchFolderSource({ id: FAULTY, name: 'Faulty folder', folder, timeoutMs: DEADLINE_MS, settleMs: 1_000, clock, ...(disk?.fs ? { fs: disk.fs } : {}) });
      write('first.hl7', message('G1'));
      time += 10_000;
      let source = make();
      await source.importNew();
      inject(folder, write);
      if (opts.disk === 'full') disk?.fill();
      if (opts.disk === 'read-only') {
        disk?.readOnly();
        source = make(); // a restart on the read-only folder
      }
      time += opts.step ?? 10_000;
      for (let i = 0; i < (opts.fetchesAfter ?? 0); i++) {
        await source.importNew();
        time += opts.step ?? 10_000;
      }
      return {
        adapter: source,
        close: () => (disk ? disk.cleanup() : rmSync(root, { recursive: true, force: true })),
      };
    },
  };
}

const CELLS: Cell[] = [
  // FHIR R4
  fhirCell('refused', failed('SOURCE_UNREACHABLE'), async () => ({ url: await refusedUrl(), close: () => undefined })),
  fhirCell('reset mid-answer', failed('SOURCE_UNREACHABLE', 'SOURCE_BAD_RESPONSE'), () => startFaultServer('reset-mid-answer')),
  fhirCell('truncated answer', failed('SOURCE_UNREACHABLE', 'SOURCE_BAD_RESPONSE'), () => startFaultServer('truncated')),
  fhirSandboxCell('slow past the deadline', { state: 'timeout', error: ['SOURCE_TIMEOUT'], items: 'none' }, 'slow'),
  fhirCell('garbage body', failed('SOURCE_BAD_RESPONSE'), () => startFaultServer('garbage')),
  fhirSandboxCell('another patient', { state: 'rejected', error: ['PATIENT_MISMATCH'], items: 'none' }, 'wrongPatient'),
  fhirSandboxCell('server error (OperationOutcome / NAK)', failed('SOURCE_OPERATION_OUTCOME'), 'http500'),
  fhirCell('TLS handshake failure', failed('SOURCE_TLS_FAILED'), async () => {
    const sandbox = await startFhirSandbox({ region: 'syd', tls: { key: readFileSync(pem('server.key')), cert: readFileSync(pem('server.pem')) } });
    return { url: sandbox.url, tls: { caFile: pem('other-ca.pem') }, close: () => sandbox.close() };
  }),
  // HL7 v2 over MLLP
  mllpCell('refused', failed('SOURCE_UNREACHABLE'), 'refuse'),
  mllpCell('reset mid-answer', failed('HL7_CONNECTION_RESET'), 'reset'),
  mllpCell('truncated answer', failed('HL7_FRAME_UNTERMINATED'), 'unterminated'),
  mllpCell('slow past the deadline', { state: 'timeout', error: ['SOURCE_TIMEOUT'], items: 'none' }, 'slow'),
  mllpCell('garbage body', failed('HL7_MALFORMED'), 'garble'),
  mllpCell('another patient', { state: 'rejected', error: ['PATIENT_MISMATCH'], items: 'none' }, 'wrongPatient'),
  mllpCell('server error (OperationOutcome / NAK)', failed('HL7_NAK'), 'nak'),
  mllpCell('query rejected (AE)', failed('HL7_QUERY_REJECTED'), 'queryError'),
  {
    fault: 'TLS handshake failure',
    kind: 'hl7v2-mllp',
    expected: failed('SOURCE_TLS_FAILED'),
    async prepare() {
      const sandbox = await startMllpSandbox({ region: 'vast', tls: { key: readFileSync(pem('server.key')), cert: readFileSync(pem('server.pem')) } });
      return { adapter: mllpAdapter(sandbox.port, { caFile: pem('other-ca.pem') }), close: () => sandbox.close() };
    },
  },
  // HL7 v2 batch folder: a bad file never fails the folder; it is a coded note, the rest is answered
  batchCell('garbage body', { state: 'ok', note: 'HL7_MALFORMED', items: 'some' }, (_f, write) => write('garbage.hl7', 'GARBLED\u0000 not HL7 at all')),
  batchCell('another patient', { state: 'ok', items: 'some' }, (_f, write) => write('other.hl7', message('O1', OTHER_PID, '99'))),
  batchCell('growing batch (still written)', { state: 'ok', waiting: 1, items: 'some' }, (_f, write) =>
    write('growing.hl7', [BHS, message('W1'), message('W2').slice(0, 30)].join('\r')),
  ),
  batchCell(
    'truncated batch (end never comes)',
    { state: 'ok', note: 'HL7_FILE_INCOMPLETE', items: 'some' },
    (_f, write) => write('truncated.hl7', [BHS, message('T1'), message('T2')].join('\r')),
    { step: DEFAULT_LIMITS.incompleteAfterMs, fetchesAfter: 1 },
  ),
  batchCell('disk full', { state: 'ok', note: 'HL7_FOLDER_DISK_FULL', waiting: 1, items: 'some' }, (_f, write) => write('second.hl7', message('D2')), {
    disk: 'full',
  }),
  batchCell('read-only folder', { state: 'ok', note: 'HL7_FOLDER_READ_ONLY', waiting: 1, items: 'some' }, (_f, write) => write('second.hl7', message('R2')), {
    disk: 'read-only',
  }),
];

/** Why a cell is not applicable to a kind. */
const NOT_APPLICABLE: Partial<Record<Kind, Partial<Record<(typeof FAULTS)[number], string>>>> = {
  'fhir-r4': {
    'query rejected (AE)': 'HL7 only',
    'growing batch (still written)': 'files only',
    'truncated batch (end never comes)': 'files only',
    'disk full': 'writes nothing',
    'read-only folder': 'writes nothing',
  },
  'hl7v2-mllp': {
    'growing batch (still written)': 'files only',
    'truncated batch (end never comes)': 'files only',
    'disk full': 'writes nothing',
    'read-only folder': 'writes nothing',
  },
  'hl7v2-batch': {
    refused: 'no peer',
    'reset mid-answer': 'no peer',
    'truncated answer': 'see truncated batch',
    'slow past the deadline': 'local folder',
    'server error (OperationOutcome / NAK)': 'no peer',
    'query rejected (AE)': 'no peer',
    'TLS handshake failure': 'no TLS',
  },
};

interface Outcome {
  cell: Cell;
  problems: string[];
  got: string;
}

/** What is wrong with the summary for this cell; empty when it is shown correctly. */
function judge(cell: Cell, s: Summary): { problems: string[]; got: string } {
  const problems: string[] = [];
  const faulty = s.sources.find((x) => x.sourceId === FAULTY);
  const healthy = s.sources.find((x) => x.sourceId === HEALTHY);
  const items = Object.values(s.sections).flat();
  const own = items.filter((i) => i.sources.some((p) => p.sourceId === FAULTY));
  const got = faulty ? [faulty.state, faulty.error, ...(faulty.notes ?? []).map((n) => n.code), faulty.waiting ? `waiting ${faulty.waiting}` : undefined].filter(Boolean).join(' ') : 'missing';
  if (!faulty) return { problems: ['faulty source missing from statuses'], got };
  const e = cell.expected;
  if (faulty.state !== e.state) problems.push(`state ${faulty.state}, expected ${e.state}`);
  if (e.error && !(faulty.error && e.error.includes(faulty.error))) problems.push(`error ${faulty.error ?? 'none'}, expected ${e.error.join('|')}`);
  if (!e.error && faulty.error) problems.push(`unexpected error ${faulty.error}`);
  if (e.note && !faulty.notes?.some((n) => n.code === e.note && n.count > 0)) problems.push(`note ${e.note} missing`);
  if (e.waiting !== undefined && faulty.waiting !== e.waiting) problems.push(`waiting ${faulty.waiting ?? 0}, expected ${e.waiting}`);
  if (e.items === 'none' && own.length > 0) problems.push(`${own.length} items of the faulty source shown`);
  if (e.items === 'some' && own.length === 0) problems.push('what the faulty source could answer is not shown');
  if (e.items === 'none' && faulty.itemCount !== 0) problems.push(`itemCount ${faulty.itemCount}`);
  if (healthy?.state !== 'ok') problems.push(`healthy source ${healthy?.state ?? 'missing'}`);
  if (!items.some((i) => i.sources.some((p) => p.sourceId === HEALTHY))) problems.push("healthy source's items not shown");
  // Nothing about anyone else: the header is still the patient asked for.
  if (s.patient.name !== 'Tolvan Tolvansson') problems.push('header names someone else');
  if (items.some((i) => i.value === '99' || i.text?.includes('Andersson'))) problems.push("another patient's item shown");
  return { problems, got };
}

describe('fault matrix: every fault ends as a coded status on its source, the rest still shown', () => {
  let healthy: FhirSandbox;
  const outcomes: Outcome[] = [];
  const crashes: string[] = [];
  const onCrash = (err: unknown) => crashes.push(err instanceof Error ? err.name : typeof err);

  beforeAll(async () => {
    healthy = await startFhirSandbox({ region: 'nord' });
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });

  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await healthy?.close();
    const table = renderTable(outcomes, crashes.length);
    console.log(`\n${table}`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'fault-matrix.md'), `${table}\n`);
  });

  it('runs every (kind × fault) cell through the real summary service', async () => {
    const [healthySource] = createSourceAdapters(
      readConfig({ sources: [{ id: HEALTHY, name: 'Region Nord', kind: 'fhir-r4', baseUrl: healthy.url, timeoutMs: 10_000 }] }),
    );
    // Warm-up: the first MLLP query of a process loads and compiles the HL7
    // libraries (1.5–2 s on this loaded machine), longer than the short deadline
    // the matrix uses; the matrix is about faults, not about a cold start.
    const warm = await startMllpSandbox({ region: 'vast' });
    try {
      await mllpAdapter(warm.port).fetchPatient(sandboxQuery('tolvan', NOW), AbortSignal.timeout(30_000));
    } finally {
      await warm.close();
    }
    for (const cell of CELLS) {
      let prepared: Prepared | undefined;
      try {
        prepared = await cell.prepare();
        const service = createSummaryService({
          sources: [healthySource as SourceAdapter, prepared.adapter],
          clock: { now: () => NOW },
          logger: createLogger('test'),
        });
        const summary = await service.open(sandboxQuery('tolvan', NOW));
        outcomes.push({ cell, ...judge(cell, summary) });
      } catch (err) {
        outcomes.push({ cell, problems: [`open threw ${err instanceof Error ? err.message : String(err)}`], got: 'threw' });
      } finally {
        await prepared?.close();
      }
    }
    // Let any late socket error surface before counting crashes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const wrong = outcomes.filter((o) => o.problems.length > 0).map((o) => `${o.cell.kind} × ${o.cell.fault}: ${o.problems.join('; ')}`);
    expect(wrong).toEqual([]);
    expect(crashes).toEqual([]);
    // Every fault row has at least one applicable cell, every cell is either run or marked n/a.
    for (const fault of FAULTS) {
      for (const kind of KINDS) {
        const ran = CELLS.some((c) => c.fault === fault && c.kind === kind);
        expect(ran !== Boolean(NOT_APPLICABLE[kind]?.[fault]), `${kind} × ${fault}`).toBe(true);
      }
    }
  });
});

function renderTable(outcomes: readonly Outcome[], crashes: number): string {
  const lines = [
    '# Fault matrix (test/safety/faultMatrix.test.ts)',
    '',
    `| fault | ${KINDS.join(' | ')} |`,
    `| --- | ${KINDS.map(() => '---').join(' | ')} |`,
  ];
  for (const fault of FAULTS) {
    const cells = KINDS.map((kind) => {
      const na = NOT_APPLICABLE[kind]?.[fault];
      if (na) return `n/a (${na})`;
      const o = outcomes.find((x) => x.cell.fault === fault && x.cell.kind === kind);
      if (!o) return 'not run';
      return o.problems.length === 0 ? `shown correctly: ${o.got}` : `WRONG: ${o.problems.join('; ')}`;
    });
    lines.push(`| ${fault} | ${cells.join(' | ')} |`);
  }
  const correct = outcomes.filter((o) => o.problems.length === 0).length;
  lines.push('', `faults tried: ${outcomes.length}, shown correctly: ${correct}, crashes: ${crashes}`);
  return lines.join('\n');
}
