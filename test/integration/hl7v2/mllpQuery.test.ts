import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMllpSandbox, type MllpSandbox } from '../../../src/main/sandbox/mllpServer';
import { createMllpQuerySource } from '../../../src/main/sources/hl7v2/mllpQueryAdapter';
import type { PatientQuery } from '../../../src/main/sources/types';
import { guardIdentity } from '../../../src/main/summary/identityGuard';

const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const NOBODY: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '201701022384' } };

function source(port: number, query: 'QBP^Q11' | 'QRY^A19' = 'QBP^Q11', version = '2.5') {
  return createMllpQuerySource({
    id: 'kommun-vast',
    name: 'Kommun Väst',
    host: '127.0.0.1',
    port,
    timeoutMs: 2_000,
    query,
    profile: {
      sendingApplication: 'SAMSYN',
      sendingFacility: 'SAMSYN',
      receivingApplication: 'VAST-EPJ',
      receivingFacility: 'KOMMUN-VAST',
      version,
      queryName: 'Z01^Patient summary^L',
    },
  });
}

/** The aggregator's deadline, reduced to what the adapter sees: a signal aborted with SOURCE_TIMEOUT. */
async function fetchWithin(port: number, ms: number, query = TOLVAN) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await source(port).fetchPatient(query, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('MLLP query adapter against the sandbox (real sockets on 127.0.0.1)', () => {
  let sandbox: MllpSandbox;
  beforeAll(async () => {
    sandbox = await startMllpSandbox({ region: 'vast', pageSize: 2 });
  });
  afterEach(() => sandbox.setFault('none'));
  afterAll(async () => {
    await sandbox.close();
  });

  it('answers QBP^Q11 with the whole record, following DSC continuations, decoded from 8859/1', async () => {
    const before = sandbox.requestCount();
    const result = await source(sandbox.port).fetchPatient(TOLVAN, new AbortController().signal);
    expect(sandbox.requestCount() - before).toBeGreaterThan(2);
    expect(() => guardIdentity(result, TOLVAN)).not.toThrow();
    expect(result.subjects).toHaveLength(1);
    expect(result.items.map((i) => i.text)).toEqual(
      expect.arrayContaining(['Penicillin', 'Metoprolol', 'Eliquis 5 mg', 'Influensavaccin', 'Omvårdnadsanteckning']),
    );
    expect(result.items.find((i) => i.text === 'Omvårdnadsanteckning')?.value).toBe(
      'Tolvan är pigg och äter bra.\nGår själv med rollator.',
    );
    expect(new Set(result.items.map((i) => i.provenance.sourceName))).toEqual(new Set(['Kommun Väst']));
  });

  it('answers the older QRY^A19 with ADR^A19 (v2.3) the same way', async () => {
    const qbp = await source(sandbox.port).fetchPatient(TOLVAN, new AbortController().signal);
    const qry = await source(sandbox.port, 'QRY^A19', '2.3').fetchPatient(TOLVAN, new AbortController().signal);
    expect(qry.items.map((i) => i.text).sort()).toEqual(qbp.items.map((i) => i.text).sort());
  });

  it('QAK NF: ok with nothing', async () => {
    const unknown = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212721219' } };
    const result = await source(sandbox.port).fetchPatient(unknown, new AbortController().signal);
    expect(result.items).toEqual([]);
    expect(result.subjects).toEqual([]);
  });

  it('QAK AE: HL7_QUERY_REJECTED', async () => {
    sandbox.setFault('queryError');
    expect(await codeOf(fetchWithin(sandbox.port, 2_000))).toBe('HL7_QUERY_REJECTED');
  });

  it('MSA AE (a NAK): HL7_NAK', async () => {
    sandbox.setFault('nak');
    expect(await codeOf(fetchWithin(sandbox.port, 2_000))).toBe('HL7_NAK');
  });

  it('connection refused: SOURCE_UNREACHABLE, before the deadline', async () => {
    sandbox.setFault('refuse');
    expect(await codeOf(fetchWithin(sandbox.port, 5_000))).toBe('SOURCE_UNREACHABLE');
  });

  it('reset in the middle of the reply: HL7_CONNECTION_RESET', async () => {
    sandbox.setFault('reset');
    expect(await codeOf(fetchWithin(sandbox.port, 2_000))).toBe('HL7_CONNECTION_RESET');
  });

  it('a frame that never ends before the peer closes: HL7_FRAME_UNTERMINATED', async () => {
    sandbox.setFault('unterminated');
    expect(await codeOf(fetchWithin(sandbox.port, 2_000))).toBe('HL7_FRAME_UNTERMINATED');
  });

  it('a garbled reply: HL7_MALFORMED', async () => {
    sandbox.setFault('garble');
    expect(await codeOf(fetchWithin(sandbox.port, 2_000))).toBe('HL7_MALFORMED');
  });

  it('no answer before the deadline: SOURCE_TIMEOUT, and the late answer is discarded', async () => {
    sandbox.setFault('slow', { slowMs: 400 });
    expect(await codeOf(fetchWithin(sandbox.port, 100))).toBe('SOURCE_TIMEOUT');
    // The late reply arrives at a closed connection; nothing throws, and the next query is clean.
    await new Promise((r) => setTimeout(r, 500));
    sandbox.setFault('none');
    const result = await fetchWithin(sandbox.port, 2_000);
    expect(result.subjects).toHaveLength(1);
  });

  it('another patient in the answer: the identity guard rejects it', async () => {
    sandbox.setFault('wrongPatient');
    const result = await fetchWithin(sandbox.port, 2_000);
    expect(() => guardIdentity(result, TOLVAN)).toThrow('PATIENT_MISMATCH');
  });

  it('a stray reply to another query (other MSA-2, other patient) is discarded; the correlated one is used', async () => {
    sandbox.setFault('uncorrelated');
    const result = await fetchWithin(sandbox.port, 2_000);
    expect(() => guardIdentity(result, TOLVAN)).not.toThrow();
    expect(result.subjects.every((s) => s.identifiers.some((i) => i.value === '191212121212'))).toBe(true);
  });

  it('sends escaped values: an identifier holding delimiters cannot change the query', async () => {
    const odd = { identifier: { system: 'LOCAL|X', value: '12^34&56~78\\9' } };
    const result = await source(sandbox.port).fetchPatient(odd, new AbortController().signal);
    expect(result.items).toEqual([]);
  });

  it('a second patient on the same sandbox is answered independently', async () => {
    const result = await fetchWithin(sandbox.port, 2_000, NOBODY);
    expect(result.subjects[0]?.name).toBe('Elsa Provsson');
    expect(() => guardIdentity(result, NOBODY)).not.toThrow();
  });
});

describe('MLLP against a silent peer', () => {
  let server: net.Server;
  let port = 0;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('a peer that accepts and never answers: SOURCE_TIMEOUT at the deadline', async () => {
    expect(await codeOf(fetchWithin(port, 150))).toBe('SOURCE_TIMEOUT');
  });
});
