import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpBridge } from '../../../../src/renderer/api/httpBridge';
import { withValidation } from '../../../../src/renderer/api/validatedBridge';

const TOKEN = 'launch-token-for-tests';

interface Seen {
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A tiny stand-in preview server: each path answers the way a test needs. */
let server: Server;
let origin: string;
const seen: Seen[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      const send = (status: number, payload: string) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(payload);
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        send(401, JSON.stringify({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } }));
        return;
      }
      const mode = req.headers['x-test-mode'];
      if (req.url === '/api/invoke/app.info' && mode === undefined) {
        send(200, JSON.stringify({ ok: true, value: { version: '1.2.3', transport: 'preview', sources: [] } }));
      } else if (mode === 'malformed') {
        send(200, JSON.stringify({ ok: true, value: { version: 42 } }));
      } else if (mode === 'not-json') {
        send(502, '<html>bad gateway</html>');
      } else if (mode === 'unknown-code') {
        send(200, JSON.stringify({ ok: false, error: { code: 'NOT_A_CODE', params: { a: 1 } } }));
      } else {
        send(400, JSON.stringify({ ok: false, error: { code: 'BRIDGE_BAD_REQUEST', params: { reason: 'json', nested: { x: 1 } } } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Adds a header the stand-in server uses to choose its answer. */
function fetchWithMode(mode: string): typeof fetch {
  return (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-test-mode': mode } });
}

describe('HTTP bridge', () => {
  it('posts the request with the launch token and returns the validated value', async () => {
    const bridge = withValidation(createHttpBridge({ origin, token: () => TOKEN }));
    const result = await bridge.invoke('app.info', {});
    expect(result).toEqual({ ok: true, value: { version: '1.2.3', transport: 'preview', sources: [] } });
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/api/invoke/app.info');
    expect(last.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(last.body)).toEqual({});
  });

  it('reads the Result in the body of a 4xx refusal', async () => {
    const unauthorized = await withValidation(createHttpBridge({ origin, token: () => 'wrong' })).invoke('app.info', {});
    expect(unauthorized).toEqual({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });

    const bad = await withValidation(createHttpBridge({ origin, token: () => TOKEN, fetch: fetchWithMode('refuse') })).invoke(
      'summary.open',
      { patient: '19121212-1212' },
    );
    // Only small primitive params survive.
    expect(bad).toEqual({ ok: false, error: { code: 'BRIDGE_BAD_REQUEST', params: { reason: 'json' } } });
  });

  it('turns a response that does not match the contract into INTERNAL', async () => {
    const bridge = withValidation(createHttpBridge({ origin, token: () => TOKEN, fetch: fetchWithMode('malformed') }));
    const result = await bridge.invoke('app.info', {});
    expect(result.ok === false && result.error.code).toBe('INTERNAL');
  });

  it('turns an unknown error code or a non-JSON body into INTERNAL', async () => {
    const unknown = await withValidation(createHttpBridge({ origin, token: () => TOKEN, fetch: fetchWithMode('unknown-code') })).invoke(
      'app.info',
      {},
    );
    expect(unknown.ok === false && unknown.error.code).toBe('INTERNAL');
    const html = await withValidation(createHttpBridge({ origin, token: () => TOKEN, fetch: fetchWithMode('not-json') })).invoke(
      'app.info',
      {},
    );
    expect(html).toEqual({ ok: false, error: { code: 'INTERNAL', params: { status: 502 } } });
  });

  it('refuses a request that breaks the contract before sending it', async () => {
    const before = seen.length;
    const result = await withValidation(createHttpBridge({ origin, token: () => TOKEN })).invoke('summary.open', { patient: '' });
    expect(result.ok === false && result.error.code).toBe('BRIDGE_BAD_REQUEST');
    expect(seen.length).toBe(before);
  });

  it('answers BRIDGE_UNREACHABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await createHttpBridge({ origin: `http://127.0.0.1:${port}`, token: () => TOKEN }).invoke('app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'BRIDGE_UNREACHABLE' } });
  });
});
