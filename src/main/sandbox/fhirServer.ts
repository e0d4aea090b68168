/**
 * A simulated regional FHIR R4 system for the demo and the tests: synthetic
 * patients, read and search by patient, paging, and switchable faults (down,
 * HTTP 500, slow, wrong patient) so every failure path of the FHIR source can be
 * driven against a real socket.
 *
 * Built on node:http alone. A FHIR server framework such as
 * @bluehalo/node-fhir-server-core was judged too heavy for a test peer: it
 * brings express, auth and a plugin model, while the sandbox needs a dozen
 * read-only routes and precise control over sockets for fault injection.
 *
 * Listens on 127.0.0.1 only. Never logs a query string (it carries identifiers).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createLogger } from '../platform/logger';
import { CARE_REGIONS, loadRegionData, type FhirResource, type RegionData, type SandboxRegion } from './fhirData';
import {
  capabilityStatement,
  DEFAULT_PAGE_SIZE,
  FHIR_JSON,
  FhirRequestError,
  isCompartmentType,
  MAX_PAGE_SIZE,
  operationOutcome,
  searchCompartment,
  searchPatients,
  searchsetBundle,
  type SearchRequest,
} from './fhirSearch';

export type SandboxFault = 'none' | 'down' | 'http500' | 'slow' | 'wrongPatient';

export const SANDBOX_FAULTS: readonly SandboxFault[] = ['none', 'down', 'http500', 'slow', 'wrongPatient'];

export const DEFAULT_SLOW_MS = 10_000;

export interface FhirSandboxOptions {
  /** Selects the data set: 'nord' | 'syd'. */
  region: string;
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added to every response, like a slow network. */
  latencyMs?: number;
  fault?: SandboxFault;
  /** Delay for the 'slow' fault; default 10 s. */
  slowMs?: number;
  /**
   * Serve HTTPS with this key and certificate; with `ca` and `requestCert`,
   * only clients presenting a certificate from that CA are served (mutual TLS).
   */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
  /** Default page size of searches; `_count` overrides it up to 500. */
  pageSize?: number;
  /** Clock for Bundle and CapabilityStatement timestamps. */
  now?: () => Date;
}

export interface FhirSandbox {
  region: SandboxRegion;
  /** Display name of the simulated system, e.g. "Region Nord". */
  name: string;
  /** Base URL, e.g. http://127.0.0.1:PORT/fhir */
  url: string;
  port: number;
  setFault(fault: SandboxFault, opts?: { slowMs?: number }): void;
  setLatency(ms: number): void;
  /**
   * Requests received since start. In 'down' mode each refused connection
   * counts as one, so a test can tell "tried and failed" from "never asked".
   */
  requestCount(): number;
  /** Ends open sockets and pending slow responses; never waits for them. */
  close(): Promise<void>;
}

const log = createLogger('sandbox.fhir');

function checkDelay(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`sandbox: ${name} must be a non-negative number`);
  return ms;
}

function checkFault(fault: SandboxFault): SandboxFault {
  if (!SANDBOX_FAULTS.includes(fault)) throw new Error(`sandbox: unknown fault '${String(fault)}'`);
  return fault;
}

function send(res: http.ServerResponse, status: number, body: FhirResource, headers: http.OutgoingHttpHeaders = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': FHIR_JSON,
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

function sendError(res: http.ServerResponse, error: FhirRequestError): void {
  send(res, error.status, operationOutcome(error.issueCode, error.diagnostics));
}

function resetSocket(socket: Socket): void {
  // RST rather than FIN: the client sees a connection reset, as from a crashed peer.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startFhirSandbox(options: FhirSandboxOptions): Promise<FhirSandbox> {
  const data: RegionData = loadRegionData(options.region);
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('sandbox: listens on 127.0.0.1 only');
  const pageSize = Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('sandbox: pageSize must be a positive integer');
  const now = options.now ?? (() => new Date());

  let fault = checkFault(options.fault ?? 'none');
  let slowMs = checkDelay(options.slowMs ?? DEFAULT_SLOW_MS, 'slowMs');
  let latencyMs = checkDelay(options.latencyMs ?? 0, 'latencyMs');
  let requests = 0;
  let base = '';
  /** Cancels every response still waiting out a delay; run on close. */
  const pendingDelays = new Set<() => void>();

  /** Resolves true after `ms`, or false as soon as the client leaves or the sandbox closes. */
  function delay(ms: number, res: http.ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        pendingDelays.delete(cancel);
        res.off('close', cancel);
        resolve(completed);
      };
      const cancel = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      pendingDelays.add(cancel);
      res.on('close', cancel);
    });
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse, faultNow: SandboxFault): void {
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (parts[0] !== 'fhir') throw new FhirRequestError(404, 'not-found', 'no FHIR endpoint at this path');
    if (req.method !== 'GET') {
      send(res, 405, operationOutcome('not-supported', 'this server is read-only: only GET is supported'), { Allow: 'GET' });
      return;
    }
    const [, type, id, ...rest] = parts;
    if (type === 'metadata' && id === undefined) {
      send(res, 200, capabilityStatement(base, data.name, now()));
      return;
    }
    if (faultNow === 'http500') {
      send(res, 500, operationOutcome('exception', 'simulated internal server error'));
      return;
    }
    if (type === undefined) throw new FhirRequestError(404, 'not-supported', 'no operation at the server root');
    if (type === 'Binary' && id !== undefined && rest.length === 0) {
      // Document content as its raw bytes, as a server answers an attachment URL.
      const binary = data.byKey.get(`Binary/${id}`);
      if (!binary || typeof binary.data !== 'string') throw new FhirRequestError(404, 'not-found', 'resource not found');
      const bytes = Buffer.from(binary.data, 'base64');
      res.writeHead(200, { 'Content-Type': String(binary.contentType ?? 'application/octet-stream'), 'Content-Length': bytes.length });
      res.end(bytes);
      return;
    }
    if (type !== 'Patient' && !isCompartmentType(type)) {
      throw new FhirRequestError(404, 'not-supported', 'resource type not supported');
    }
    if (rest.length > 0) throw new FhirRequestError(404, 'not-supported', 'operation not supported');
    if (id !== undefined) {
      const resource = data.byKey.get(`${type}/${id}`);
      if (!resource) throw new FhirRequestError(404, 'not-found', 'resource not found');
      send(res, 200, resource);
      return;
    }

    const search: SearchRequest = {
      base,
      type,
      params: url.searchParams,
      strict: /\bhandling\s*=\s*strict\b/i.test(String(req.headers.prefer ?? '')),
      defaultPageSize: pageSize,
    };
    const result = type === 'Patient' ? searchPatients(data, search) : searchCompartment(data, search);
    if (type === 'Patient' && faultNow === 'wrongPatient') {
      // A broken master-patient index: it always answers with somebody else.
      const other = data.patients.find((p) => !result.matches.includes(p));
      result.matches = other ? [other] : [];
    }
    send(res, 200, searchsetBundle(base, type, result, now()));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    requests++;
    const faultNow = fault;
    if (faultNow === 'down') {
      resetSocket(req.socket);
      return;
    }
    const wait = latencyMs + (faultNow === 'slow' ? slowMs : 0);
    if (wait > 0 && !(await delay(wait, res))) return;
    try {
      route(req, res, faultNow);
    } catch (error) {
      if (error instanceof FhirRequestError) {
        sendError(res, error);
      } else {
        log.error({ err: error instanceof Error ? error.name : 'unknown', region: data.region }, 'sandbox request failed');
        if (!res.headersSent) send(res, 500, operationOutcome('exception', 'internal error'));
      }
    }
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res);
  };
  const server = options.tls
    ? https.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          ...(options.tls.requestCert ? { requestCert: true, rejectUnauthorized: true } : {}),
        },
        listener,
      )
    : http.createServer(listener);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    if (fault === 'down') {
      requests++;
      resetSocket(socket);
    }
  });
  // A reset socket mid-parse is expected in 'down' mode; nothing to report.
  server.on('clientError', (_err, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  base = `${options.tls ? 'https' : 'http'}://${host}:${port}/fhir`;
  log.info({ region: data.region, port, patients: data.patients.length }, 'fhir sandbox listening');

  let closing: Promise<void> | undefined;
  return {
    region: data.region,
    name: data.name,
    url: base,
    port,
    setFault(next, opts) {
      fault = checkFault(next);
      slowMs = checkDelay(opts?.slowMs ?? DEFAULT_SLOW_MS, 'slowMs');
      log.info({ region: data.region, fault }, 'fhir sandbox fault set');
    },
    setLatency(ms) {
      latencyMs = checkDelay(ms, 'latencyMs');
    },
    requestCount: () => requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const cancel of [...pendingDelays]) cancel();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export interface DemoSandbox {
  regions: FhirSandbox[];
  close(): Promise<void>;
}

/** Region Nord and Region Syd on free ports, as the demo and e2e tests use them. */
export async function startDemoSandbox(
  options: Omit<FhirSandboxOptions, 'region' | 'port'> = {},
): Promise<DemoSandbox> {
  const regions: FhirSandbox[] = [];
  try {
    for (const region of CARE_REGIONS) {
      regions.push(await startFhirSandbox({ ...options, region, port: 0 }));
    }
  } catch (error) {
    await Promise.all(regions.map((r) => r.close()));
    throw error;
  }
  return {
    regions,
    close: async () => {
      await Promise.all(regions.map((r) => r.close()));
    },
  };
}
