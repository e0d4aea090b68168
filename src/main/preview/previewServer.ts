/**
 * The browser preview: the same SamsynApi over HTTP on 127.0.0.1, guarded by a
 * random per-launch token, plus the built renderer as static files. Used by the
 * demo where no Electron binary exists, and by the end-to-end tests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHub } from '../bridge/eventHub';
import { fail, type Result } from '../../shared/errors';
import { dispatch, type AnswerHandlers } from '../bridge/dispatch';
import { CONTENT_SECURITY_POLICY, mimeTypeOf, resolveRendererFile } from '../bridge/rendererFiles';
import { createLogger } from '../platform/logger';
import { asciiJsonChunks } from '../cache/asciiJson';
import { encodeResult } from '../bridge/resultJson';
import { deliveryOf } from '../bridge/summaryParts';

const log = createLogger('preview');

const MAX_BODY = 64 * 1024;

export interface PreviewServer {
  /** Base URL with the token in the fragment, ready to open in a browser. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface PreviewOptions {
  handlers: AnswerHandlers;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Pushed events, streamed to each tab on GET /api/events (Server-Sent Events). */
  events?: Pick<EventHub, 'subscribe'>;
  /**
   * Most bytes queued for one event client that is not reading; past it the
   * client is dropped and nothing is kept for it (default 8 MiB: a few heavy summaries).
   * When one event is more than half of it, four such events (capFor).
   */
  maxEventBufferBytes?: number;
}

const HEARTBEAT_MS = 15_000;
const DEFAULT_EVENT_BUFFER = 8 * 1024 * 1024;

/**
 * What a client may be owed before it is dropped: the configured cap, or,
 * when one event is more than half of it (a summary of ~100,000 records is a
 * 16 MB event), four such events — else a client reading a large summary
 * would be dropped while its first event is still on its way, and its open
 * would never get its final (issue 14 probe R4). A client that stops reading
 * still costs a bounded amount: the cap, or four of the largest event it is
 * owed, within the 4× the summary's size.
 */
export function capFor(limit: number, largestEvent: number): number {
  return 2 * largestEvent > limit ? 4 * largestEvent : limit;
}
const CONNECTED = [Buffer.from(': connected\n\n', 'latin1')];
const PING = [Buffer.from(': ping\n\n', 'latin1')];

/**
 * Each pushed event's bytes, made once however many tabs listen: the hub hands
 * every listener the same payload object, so the first one's bytes serve the
 * rest, and every client's queue holds the same Buffers, never a copy of its own.
 * Kept only as long as the payload is (a WeakMap).
 */
const encodedEvents = new WeakMap<object, readonly Buffer[]>();

/**
 * `event: NAME\ndata: JSON\n\n` as ASCII bytes in chunks of about 64 KB
 * (asciiJsonChunks: the event's JSON never exists as one string).
 */
export function eventBytes(event: string, payload: object): readonly Buffer[] {
  const known = encodedEvents.get(payload);
  if (known) return known;
  const chunks = asciiJsonChunks(payload, `event: ${event}\ndata: `, '\n\n');
  encodedEvents.set(payload, chunks);
  return chunks;
}

/**
 * The open whose earlier waiting update this event may replace: a whole summary
 * (not `unchanged`, which refers to sections sent before) of the same open.
 * Only an update that is not the open's final may be replaced; everything
 * else is never replaced, and replaces nothing.
 */
function supersedes(event: string, payload: object): { openId: string; final: boolean } | undefined {
  if (event !== 'summary.updated' || !('summary' in payload)) return undefined;
  return (payload as { summary: { progress?: { openId: string; final: boolean } } }).summary.progress;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(data),
  });
  res.end(data);
}

/** An invoke's answer: ASCII-only JSON, a cached summary's sections sent as stored (see encodeResult). */
function sendResult(res: ServerResponse, result: Result<unknown>): void {
  const data = encodeResult(result);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': data.length,
  });
  res.end(data);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const token = randomBytes(32).toString('base64url');
  const root = options.staticDir;
  // Only our own host names: a page on another origin that resolves to 127.0.0.1
  // (DNS rebinding) is refused before the token is even looked at. Filled in
  // once the port is known, before the first request can arrive.
  const allowedHosts = new Set<string>();

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const file = resolveRendererFile(root, pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const isIndex = file.endsWith('index.html');
    try {
      const data = await readFile(file);
      res.writeHead(200, {
        'Content-Type': mimeTypeOf(file),
        'Cache-Control': isIndex ? 'no-store' : 'private, max-age=3600',
      });
      res.end(data);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    }
  }

  /**
   * The checks every /api request passes, in this order: method, then origin
   * (a page elsewhere is refused even with the token), then the token. Sends
   * the refusal itself; true when the request may go on.
   */
  function apiRequestAllowed(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): boolean {
    if (req.method !== method) {
      sendJson(res, 405, fail('BRIDGE_BAD_REQUEST', { reason: 'method' }));
      return false;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      sendJson(res, 403, fail('BRIDGE_UNAUTHORIZED', { reason: 'origin' }));
      return false;
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      sendJson(res, 401, fail('BRIDGE_UNAUTHORIZED'));
      return false;
    }
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendJson(res, 421, fail('BRIDGE_UNAUTHORIZED', { reason: 'host' }));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname === '/api/events') {
      streamEvents(req, res, url.searchParams.get('parts') === '1');
      return;
    }
    const invoke = /^\/api\/invoke\/([A-Za-z0-9._-]+)$/.exec(url.pathname);
    if (invoke) {
      if (!apiRequestAllowed(req, res, 'POST')) return;
      const body = await readBody(req);
      if (body === undefined) {
        sendJson(res, 413, fail('BRIDGE_BAD_REQUEST', { reason: 'size' }));
        return;
      }
      let request: unknown;
      try {
        request = body === '' ? {} : JSON.parse(body);
      } catch {
        sendJson(res, 400, fail('BRIDGE_BAD_REQUEST', { reason: 'json' }));
        return;
      }
      const command = invoke[1] ?? '';
      const started = performance.now();
      const result = await dispatch(options.handlers, command, request);
      log.info({ command, ok: result.ok, ms: Math.round(performance.now() - started) }, 'invoke');
      sendResult(res, result);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    await serveStatic(url.pathname, res);
  }

  /**
   * Server-Sent Events, read by the renderer with fetch() so the token travels
   * in the Authorization header like every invoke, never in a URL. A client
   * asking `?parts=1` (the renderer) receives a large summary update in two
   * parts, part 1 then part 2 (bridge/summaryParts.ts, ADR 0032), each made
   * once for all such clients.
   */
  function streamEvents(req: IncomingMessage, res: ServerResponse, inParts: boolean): void {
    if (!apiRequestAllowed(req, res, 'GET')) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const limit = options.maxEventBufferBytes ?? DEFAULT_EVENT_BUFFER;
    /**
     * Deliveries waiting while the socket has more queued than it takes at once (it asked for a
     * 'drain'), one entry per hub event, in order. A whole summary update of an open that is still
     * running (`supersedes`) takes the place of the one before it of the same open when that one
     * is the last waiting and not a byte of it was written: a client behind by several updates
     * receives the newest, not each in turn (ADR 0040).
     */
    const outbox: { replaceable: string | undefined; chunks: readonly Buffer[]; size: number }[] = [];
    let outboxBytes = 0;
    /** Bytes of updates superseded in the outbox since the socket last drained: still counted against the cap. */
    let superseded = 0;
    /** The largest delivery owed since the socket last drained (the cap grows with it: capFor). */
    let largest = 0;
    const sizeOf = (chunks: readonly Buffer[]): number => {
      let size = 0;
      for (const chunk of chunks) size += chunk.length;
      return size;
    };
    /**
     * Back-pressure: a client that stops reading is dropped, never buffered without bound. Judged by
     * what is owed from before (queued, waiting or superseded): one event always fits an idle client.
     * What is held for a client passes the cap only by one event sent to an empty queue.
     */
    const fits = (size: number): boolean => {
      if (res.destroyed) return false;
      const owed = res.writableLength + outboxBytes + superseded;
      largest = Math.max(largest, size);
      const cap = capFor(limit, largest);
      if (owed > 0 && owed + size > cap) {
        log.warn({ buffered: owed, limit: cap }, 'event client not reading; dropped');
        // Its queue and outbox (references to the shared event bytes) go with the socket: nothing is kept for it.
        res.destroy();
        outbox.length = 0;
        outboxBytes = 0;
        return false;
      }
      return true;
    };
    const send = (chunks: readonly Buffer[]): void => {
      if (!fits(sizeOf(chunks))) return;
      for (const chunk of chunks) res.write(chunk);
    };
    /** A delivery while the socket is behind: into the outbox, in the place of the update it supersedes. */
    const hold = (chunks: readonly Buffer[], update: { openId: string; final: boolean } | undefined): void => {
      const last = outbox[outbox.length - 1];
      if (update && last?.replaceable === update.openId) {
        outbox.pop();
        outboxBytes -= last.size;
        superseded += last.size;
      }
      const size = sizeOf(chunks);
      if (!fits(size)) return;
      // A final is never replaced: it is the open's last word.
      outbox.push({ replaceable: update && !update.final ? update.openId : undefined, chunks, size });
      outboxBytes += size;
    };
    res.on('drain', () => {
      superseded = 0;
      largest = 0;
      // Waiting deliveries until the socket is full again; the rest wait for the next 'drain' (a newer
      // update may yet replace the last).
      while (outbox.length > 0 && !res.writableNeedDrain && !res.destroyed) {
        const next = outbox.shift()!;
        outboxBytes -= next.size;
        largest = Math.max(largest, next.size);
        for (const chunk of next.chunks) res.write(chunk);
      }
    });
    send(CONNECTED);
    /**
     * Events waiting for the next turn of the loop, in order: a part 2, and
     * whatever follows it. Node's HTTP response corks the socket until the next
     * tick, so part 2 serialized in the same turn would hold part 1 back with
     * it (measured: 277 ms between main's push and the page's check of part 1).
     * Serialized when flushed (still once for every client: eventBytes).
     */
    let later: Array<() => readonly Buffer[]> | undefined;
    const flush = () => {
      const queued = later ?? [];
      later = undefined;
      for (const bytes of queued) send(bytes());
    };
    const unsubscribe =
      options.events?.subscribe((event, payload) => {
        const delivery = inParts ? deliveryOf(event, payload) : [{ event, payload }];
        if (!later && (res.writableNeedDrain || outbox.length > 0)) {
          // Behind: the delivery waits whole (part 1 and part 2 together) for the socket to drain.
          const chunks = delivery.flatMap((part) => eventBytes(part.event, part.payload));
          hold(chunks, supersedes(event, payload));
          return;
        }
        delivery.forEach((part, n) => {
          if (n === 0 && !later) {
            send(eventBytes(part.event, part.payload));
            return;
          }
          if (!later) {
            later = [];
            setImmediate(flush);
          }
          later.push(() => eventBytes(part.event, part.payload));
        });
      }) ?? (() => undefined);
    // Comments keep proxies and idle timeouts from closing a quiet stream.
    const heartbeat = setInterval(() => send(PING), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err: (err as Error)?.name ?? typeof err }, 'preview request failed');
      if (!res.headersSent) sendJson(res, 500, fail('INTERNAL'));
      else res.end();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
