/**
 * An MLLP feed whose PID-3 carries no assigning authority, served by a minimal
 * MLLP responder on 127.0.0.1 (the sandbox always sends authorities): the
 * source's configured default authority makes it matchable exactly.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMllpQuerySource } from '../../../src/main/sources/hl7v2/mllpQueryAdapter';
import type { PatientQuery } from '../../../src/main/sources/types';
import { guardIdentity } from '../../../src/main/summary/identityGuard';
import { codeOf } from '../../fixtures/codeOf';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** Answers every QBP^Q11 with the same patient, whose PID-3 has no authority. */
/** QPD-3 of every query received. */
const asked: string[] = [];

function reply(request: string): string {
  const segments = request.split('\r');
  asked.push(segments.find((s) => s.startsWith('QPD'))?.split('|')[3] ?? '');
  const msh = segments.find((s) => s.startsWith('MSH'))?.split('|') ?? [];
  const qpd = segments.find((s) => s.startsWith('QPD')) ?? 'QPD';
  return [
    'MSH|^~\\&|EPJ|KV|SAMSYN|SAMSYN|20261101100000||RSP^K11^RSP_K11|R1|P|2.5',
    `MSA|AA|${msh[9] ?? ''}`,
    `QAK|${qpd.split('|')[2] ?? ''}|OK|Z01^Patient summary^L`,
    qpd,
    'PID|1||7001^^^^MR||Testsson^Tage||20170101|M',
    'AL1|1|DA|764146007^Penicillin^SCT|SV',
  ].join('\r');
}

let server: net.Server;
let port: number;

beforeAll(async () => {
  server = net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let end = buffered.indexOf(FS); end !== -1 && buffered[end + 1] === CR; end = buffered.indexOf(FS)) {
        const start = buffered.indexOf(VT);
        const request = buffered.subarray(start + 1, end).toString('latin1');
        buffered = buffered.subarray(end + 2);
        socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(reply(request), 'latin1'), Buffer.from([FS, CR])]));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function source(defaultAuthority?: string) {
  return createMllpQuerySource({
    id: 'kv',
    name: 'KV',
    host: '127.0.0.1',
    port,
    timeoutMs: 2_000,
    query: 'QBP^Q11',
    profile: {
      sendingApplication: 'SAMSYN',
      sendingFacility: 'SAMSYN',
      receivingApplication: 'EPJ',
      receivingFacility: 'KV',
      version: '2.5',
      queryName: 'Z01^Patient summary^L',
    },
    ...(defaultAuthority ? { defaultAuthority } : {}),
  });
}

const ask = async (query: PatientQuery, defaultAuthority?: string) => {
  const result = await source(defaultAuthority).fetchPatient(query, new AbortController().signal);
  return { result, code: codeOf(() => guardIdentity(result, query)) };
};

describe('MLLP source with a default assigning authority', () => {
  it('matches AUTHORITY|VALUE when PID-3 carries no authority, asking in the system’s own form', async () => {
    asked.length = 0;
    const { result, code } = await ask({ identifier: { system: 'KV-MRN', value: '7001' } }, 'KV-MRN');
    expect(asked).toEqual(['7001']);
    expect(code).toBeUndefined();
    expect(result.subjects[0]?.identifiers).toEqual([{ system: 'KV-MRN', value: '7001' }]);
    expect(result.items.map((i) => i.text)).toEqual(['Penicillin']);
  });

  it('rejects another authority and |VALUE once the authority is configured', async () => {
    asked.length = 0;
    expect((await ask({ identifier: { system: 'OTHER', value: '7001' } }, 'KV-MRN')).code).toBe('PATIENT_MISMATCH');
    // Any other authority is asked for as such.
    expect(asked).toEqual(['7001^^^OTHER']);
    expect((await ask({ identifier: { value: '7001' } }, 'KV-MRN')).code).toBe('PATIENT_MISMATCH');
  });

  it('without one, matches only |VALUE', async () => {
    expect((await ask({ identifier: { value: '7001' } })).code).toBeUndefined();
    expect((await ask({ identifier: { system: 'KV-MRN', value: '7001' } })).code).toBe('PATIENT_MISMATCH');
  });
});
