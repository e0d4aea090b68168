/**
 * A simulated legacy regional system speaking HL7 v2 over MLLP, for the demo
 * and the tests: answers QBP^Q11 with RSP^K11 and QRY^A19 with ADR^A19 from the
 * synthetic records in hl7Data.ts, pages long answers (DSC continuation), and
 * has switchable faults so every failure path of the MLLP adapter can be driven
 * over a real socket.
 *
 * Built on @medplum/hl7's Hl7Connection (MLLP framing, charset via iconv-lite)
 * and @medplum/core's parser: an implementation independent of the
 * node-hl7-client the adapter uses, so the two check each other. Its Hl7Server
 * is not used because `start(port)` listens on every interface; the sandbox
 * listens on 127.0.0.1 only. node-hl7-server was not chosen: on a kept-open
 * connection it re-runs its handler for every earlier message, and it can only
 * answer with an ACK.
 *
 * Never logs a message (they carry identifiers).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { Hl7Message } from '@medplum/core';
import { Hl7Connection } from '@medplum/hl7';
import { createLogger } from '../platform/logger';
import { HL7_SANDBOX_REGIONS, type Hl7PatientRecord, type Hl7SandboxRegion, loadHl7Region } from './hl7Data';

export const MLLP_FAULTS = [
  'none',
  'refuse',
  'reset',
  'unterminated',
  'garble',
  'wrongPatient',
  'slow',
  'nak',
  'queryError',
  'uncorrelated',
] as const;

export type MllpFault = (typeof MLLP_FAULTS)[number];

export interface MllpSandboxOptions {
  region: string;
  host?: '127.0.0.1';
  port?: number;
  fault?: MllpFault;
  /** Delay for the 'slow' fault; default 10 s. */
  slowMs?: number;
  /** MSH-18 of replies and the bytes on the wire; default 8859/1, as many Nordic legacy systems. */
  charset?: '8859/1' | 'UNICODE UTF-8';
  /** Record groups per reply before a DSC continuation; default 1000. */
  pageSize?: number;
  now?: () => Date;
  /** Serve MLLP over TLS with this key and certificate; with `ca` and `requestCert`, mutual TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
}

export interface MllpSandbox {
  region: Hl7SandboxRegion;
  name: string;
  host: string;
  port: number;
  setFault(fault: MllpFault, opts?: { slowMs?: number }): void;
  /** Queries received since start (each continuation counts). */
  requestCount(): number;
  close(): Promise<void>;
}

const log = createLogger('sandbox.hl7');

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
/** Segments that open a new record group (for paging). */
const GROUP_START = new Set(['ORC', 'AL1', 'IAM', 'PRB', 'DG1', 'PV1']);
const ORDERED = new Set(['OBR', 'RXA', 'RXE', 'RXO']);

function groups(segments: string[]): string[][] {
  const out: string[][] = [];
  let previous = '';
  for (const segment of segments) {
    const name = segment.slice(0, 3);
    if (out.length === 0 || GROUP_START.has(name) || (ORDERED.has(name) && previous !== 'ORC')) out.push([]);
    out[out.length - 1]?.push(segment);
    previous = name;
  }
  return out;
}

function hl7Timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+0000`;
}

export async function startMllpSandbox(options: MllpSandboxOptions): Promise<MllpSandbox> {
  const region = options.region;
  const records = loadHl7Region(region);
  const name = HL7_SANDBOX_REGIONS[region as Hl7SandboxRegion];
  const host = options.host ?? '127.0.0.1';
  const charset = options.charset ?? '8859/1';
  const wire = charset === '8859/1' ? 'latin1' : 'utf8';
  const pageSize = options.pageSize ?? 1000;
  const now = options.now ?? (() => new Date());
  let fault: MllpFault = options.fault ?? 'none';
  let slowMs = options.slowMs ?? 10_000;
  let requests = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = new Hl7Connection(socket, wire === 'latin1' ? 'latin1' : 'utf-8');
    connection.addEventListener('error', () => undefined);
    connection.addEventListener('message', (event: { message: Hl7Message }) => {
      requests++;
      try {
        answer(connection, socket, event.message);
      } catch {
        log.warn({ region }, 'sandbox could not answer a request');
        socket.destroy();
      }
    });
  };
  const server = options.tls
    ? tls.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          ...(options.tls.requestCert ? { requestCert: true, rejectUnauthorized: true } : {}),
        },
        onSocket,
      )
    : net.createServer(onSocket);
  // A client refused during the TLS handshake is the expected outcome of a mutual-TLS test.
  server.on('tlsClientError', () => undefined);

  function findRecord(value: string, authorities: string[]): Hl7PatientRecord | undefined {
    return records.find((r) =>
      r.identifiers.some(
        (id) => id.value === value && (authorities.length === 0 || id.authorities.some((a) => authorities.includes(a))),
      ),
    );
  }

  function header(request: Hl7Message, type: string): string {
    const h = request.header;
    const version = h.getField(12).toString() || '2.5';
    return [
      'MSH',
      '^~\\&',
      'VAST-EPJ',
      'KOMMUN-VAST',
      h.getField(3).toString(),
      h.getField(4).toString(),
      hl7Timestamp(now()),
      '',
      type,
      `SBX${requests}`,
      'P',
      version,
      '',
      '',
      '',
      '',
      'SWE',
      charset,
    ].join('|');
  }

  function reply(request: Hl7Message): string {
    const msh = request.header;
    const controlId = msh.getField(10).toString();
    const type = msh.getField(9).getComponent(1);
    const isQbp = type === 'QBP';
    if (!isQbp && type !== 'QRY') {
      return [header(request, 'ACK'), `MSA|AR|${controlId}`, 'ERR|^^^200&Unsupported message type&HL70357'].join('\r');
    }
    if (fault === 'nak') {
      return [header(request, isQbp ? 'ACK^Q11^ACK' : 'ACK^A19^ACK'), `MSA|AE|${controlId}`, 'ERR|^^^207&Application internal error&HL70357'].join('\r');
    }
    const qpd = request.getSegment('QPD');
    const qrd = request.getSegment('QRD');
    const who = isQbp ? qpd?.getField(3) : qrd?.getField(8);
    const value = who?.getComponent(1) ?? '';
    const authorityComponent = isQbp ? 4 : 9;
    const authorities = who
      ? [who.getComponent(authorityComponent, 0), who.getComponent(authorityComponent, 1)].filter((a) => a !== '')
      : [];
    const pointer = request.getSegment('DSC')?.getField(1).toString() ?? '';
    const page = /^page:(\d+)$/.exec(pointer)?.[1];
    let record = findRecord(value, authorities);
    if (fault === 'wrongPatient') record = records.find((r) => r !== record);
    const top = isQbp
      ? [
          header(request, 'RSP^K11^RSP_K11'),
          `MSA|AA|${controlId}`,
          `QAK|${qpd?.getField(2).toString() ?? ''}|${fault === 'queryError' ? 'AE' : record ? 'OK' : 'NF'}|${qpd?.getField(1).toString() ?? ''}`,
          qpd?.toString() ?? 'QPD',
        ]
      : [header(request, 'ADR^A19^ADR_A19'), `MSA|AA|${controlId}`, qrd?.toString() ?? 'QRD'];
    if (!record || fault === 'queryError') return top.join('\r');
    const [pid, ...rest] = record.segments;
    const all = groups(rest);
    const index = page ? Number(page) : 0;
    const part = all.slice(index * pageSize, (index + 1) * pageSize).flat();
    const more = (index + 1) * pageSize < all.length;
    return [...top, pid ?? 'PID', ...part, ...(more ? [`DSC|page:${index + 1}|I`] : [])].join('\r');
  }

  function frame(text: string): Buffer {
    return Buffer.concat([Buffer.from([VT]), Buffer.from(text, wire), Buffer.from([FS, CR])]);
  }

  function answer(connection: Hl7Connection, socket: Socket, request: Hl7Message): void {
    const text = reply(request);
    switch (fault) {
      case 'reset': {
        const body = Buffer.from(text, wire);
        socket.write(Buffer.concat([Buffer.from([VT]), body.subarray(0, Math.max(1, body.length >> 1))]));
        // Reset only once the half frame has been read: a reset racing the data reads as a clean close.
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!socket.destroyed) socket.resetAndDestroy();
        }, 20);
        timers.add(timer);
        return;
      }
      case 'unterminated':
        socket.end(Buffer.concat([Buffer.from([VT]), Buffer.from(text, wire)]));
        return;
      case 'garble':
        socket.write(frame('GARBLED\u0000\u00ff not an HL7 message'));
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!socket.destroyed) connection.send(Hl7Message.parse(text));
        }, slowMs);
        timers.add(timer);
        return;
      }
      case 'uncorrelated': {
        // A stray answer to some other query (another patient's) arrives first.
        const controlId = request.header.getField(10).toString();
        const other = records.find((r) => !r.segments[0]?.includes(controlId)) ?? records[0];
        const stray = text.replace(`MSA|AA|${controlId}`, `MSA|AA|OTHER-${controlId}`);
        const strayWithOther = other ? stray.replace(/PID\|[^\r]*/, other.segments[0] ?? 'PID') : stray;
        connection.send(Hl7Message.parse(strayWithOther));
        connection.send(Hl7Message.parse(text));
        return;
      }
      default:
        connection.send(Hl7Message.parse(text));
    }
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  let port = options.port ?? 0;
  await listen();
  port = (server.address() as AddressInfo).port;
  let listening = true;

  const stopListening = async () => {
    if (!listening) return;
    listening = false;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  if (fault === 'refuse') await stopListening();

  return {
    region: region as Hl7SandboxRegion,
    name,
    host,
    port,
    setFault(next, opts) {
      if (!MLLP_FAULTS.includes(next)) throw new Error(`sandbox: unknown fault ${String(next)}`);
      if (opts?.slowMs !== undefined) slowMs = opts.slowMs;
      const was = fault;
      fault = next;
      if (next === 'refuse' && was !== 'refuse') void stopListening();
      if (next !== 'refuse' && !listening) {
        listening = true;
        void listen();
      }
    },
    requestCount: () => requests,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await stopListening();
    },
  };
}
