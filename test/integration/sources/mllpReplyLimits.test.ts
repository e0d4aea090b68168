/**
 * Issue 14.1 for HL7 v2 over MLLP: a reply is bounded before it is parsed. A
 * peer on 127.0.0.1 answers a QBP^Q11 with an RSP^K11 of a million OBX
 * segments: the query ends as SOURCE_RESPONSE_TOO_LARGE naming the segment
 * limit (counted on the bytes; the message is never parsed), not minutes of
 * parsing. A peer that streams a frame without end past the byte limit is cut
 * off with SOURCE_RESPONSE_TOO_LARGE naming the byte limit, long before the
 * deadline. A reply within the limits is answered whole.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/shared/errors';
import { createMllpQuerySource } from '../../../src/main/sources/hl7v2/mllpQueryAdapter';
import { MLLP_SOURCE_KIND } from '../../../src/main/sources/hl7v2/hl7Kinds';
import { BUILTIN_SOURCES } from '../../../src/main/sources/registry';
import { systemClock } from '../../../src/main/platform/clock';
import { createLogger } from '../../../src/main/platform/logger';
import type { PatientQuery } from '../../../src/main/sources/types';

const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const VT = 0x0b;
const FS = 0x1c;

type Reply = (controlId: string, socket: net.Socket) => void;

let server: net.Server | undefined;
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An MLLP peer: each framed request's MSH-10 handed to `reply`. */
async function peer(reply: Reply): Promise<number> {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(FS);
      if (end === -1) return;
      const text = buffered.subarray(buffered.indexOf(VT) + 1, end).toString('latin1');
      buffered = buffered.subarray(end + 2);
      const msh = text.split('\r')[0] ?? '';
      reply(msh.split('|')[9] ?? '', socket);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return (server!.address() as net.AddressInfo).port;
}

function rsp(controlId: string, obx: number, short = false, continuation?: string): string {
  const lines = [
    `MSH|^~\\&|VAST-EPJ|KOMMUN-VAST|SAMSYN|SAMSYN|20261130080000||RSP^K11^RSP_K11|R-${controlId}|P|2.5`,
    `MSA|AA|${controlId}`,
    'QAK|Q1|OK|Z01^Patient summary^L',
    'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M',
    'OBR|1|P1|F1|24326-1^Elektrolyter^LN|||20260915090000',
  ];
  for (let i = 1; i <= obx; i++) lines.push(short ? `OBX|${i}` : `OBX|${i}|NM|2823-3^Kalium^LN||4|mmol/L|||||F|||20260915090000`);
  if (continuation) lines.push(`DSC|${continuation}|I`);
  return `${lines.join('\r')}\r`;
}

function frame(text: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'latin1'), Buffer.from([FS, 0x0d])]);
}

function source(port: number, extra: { maxReplyBytes?: number } = {}) {
  return createMllpQuerySource({
    id: 'kommun-vast',
    name: 'Kommun Väst',
    host: '127.0.0.1',
    port,
    timeoutMs: 60_000,
    query: 'QBP^Q11',
    profile: { sendingApplication: 'SAMSYN', sendingFacility: 'SAMSYN', receivingApplication: 'VAST-EPJ', receivingFacility: 'KOMMUN-VAST', version: '2.5', queryName: 'Z01^Patient summary^L' },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; params: unknown } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, params: err.params };
    throw err;
  }
}

describe('an MLLP reply past the limits', () => {
  it('a million segments: SOURCE_RESPONSE_TOO_LARGE naming the segment limit, never parsed', async () => {
    // Short segments (~9 MB), so the segment limit is what it meets, not the byte limit.
    const port = await peer((id, socket) => socket.write(frame(rsp(id, 1_000_000, true))));
    expect(await failure(source(port).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'segments', expected: 50_000, found: 1_000_005 },
    });
  }, 60_000);

  it('a frame that never ends: cut off past the byte limit, before the deadline', async () => {
    const port = await peer((id, socket) => {
      socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(rsp(id, 0), 'latin1')]));
      // Results without end, never the frame's end byte.
      const more = Buffer.from('OBX|1|NM|2823-3^Kalium^LN||4|mmol/L|||||F\r'.repeat(4096), 'latin1');
      const pump = () => {
        while (!socket.destroyed && socket.write(more));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    expect(await failure(source(port, { maxReplyBytes: 1 << 20 }).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'bytes', expected: 1 << 20 },
    });
  }, 60_000);

  it('a reply within the limits is answered whole', async () => {
    const port = await peer((id, socket) => socket.write(frame(rsp(id, 40_000))));
    const result = await source(port).fetchPatient(TOLVAN, new AbortController().signal);
    expect(result.items).toHaveLength(40_000);
  }, 60_000);
});

/** A source built as the app builds it: configuration validated by the registry's schema, then the kind's factory. */
function configuredSource(port: number, limits: Record<string, number>) {
  const settings = BUILTIN_SOURCES.sourceSchema.parse({ id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port, timeoutMs: 60_000, ...limits });
  return MLLP_SOURCE_KIND.create(settings, { clock: systemClock, logger: createLogger('test') });
}

describe('MLLP reply limits from the configuration (ADR 0034)', () => {
  it('maxReplySegments: a reply past the configured count is refused naming the limit; one within it answers', async () => {
    const port = await peer((id, socket) => socket.write(frame(rsp(id, 500))));
    expect(await failure(configuredSource(port, { maxReplySegments: 100 }).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'segments', expected: 100, found: 505 },
    });
    const result = await configuredSource(port, { maxReplySegments: 505 }).fetchPatient(TOLVAN, new AbortController().signal);
    expect(result.items).toHaveLength(500);
  }, 60_000);

  it('maxReplyBytes: a frame past the configured size closes the connection naming the limit', async () => {
    const port = await peer((id, socket) => socket.write(frame(rsp(id, 2_000))));
    expect(await failure(configuredSource(port, { maxReplyBytes: 16_384 }).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'bytes', expected: 16_384 },
    });
  }, 60_000);

  it('maxContinuations: a source that keeps asking to continue is refused naming the limit', async () => {
    let asked = 0;
    const port = await peer((id, socket) => {
      asked++;
      socket.write(frame(rsp(id, 1, false, `more-${asked}`)));
    });
    expect(await failure(configuredSource(port, { maxContinuations: 2 }).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'continuations', expected: 2 },
    });
    // The first reply and two continuations were asked; the fourth never.
    expect(asked).toBe(3);
  }, 60_000);

  it('the defaults stand when nothing is configured (32 MiB, 50,000 segments)', async () => {
    const port = await peer((id, socket) => socket.write(frame(rsp(id, 60_000, true))));
    expect(await failure(configuredSource(port, {}).fetchPatient(TOLVAN, new AbortController().signal))).toEqual({
      code: 'SOURCE_RESPONSE_TOO_LARGE',
      params: { limit: 'segments', expected: 50_000, found: 60_005 },
    });
  }, 60_000);
});
