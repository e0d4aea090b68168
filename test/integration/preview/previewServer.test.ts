import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { signInForTest } from '../../fixtures/session';

let server: PreviewServer;

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'samsyn-preview-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Samsyn</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
  const services = createServices({
    config: { sources: [] },
    clock: { now: () => new Date('2026-11-25T10:00:00Z') },
    logger: createLogger('test'),
    transport: 'preview',
    version: '0.0.0-test',
  });
  await signInForTest(services);
  server = await startPreviewServer({ handlers: services.handlers, staticDir });
});

afterAll(async () => {
  await server.close();
});

/** Raw HTTP so the Host and Authorization headers are exactly what the test says. */
function call(
  path: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' });

describe('preview server', () => {
  it('listens on 127.0.0.1 and puts a long random token in the URL fragment', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Samsyn</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses paths that leave the renderer folder', async () => {
    const res = await call('/%2e%2e/%2e%2e/etc/passwd');
    expect(res.status).toBe(404);
  });

  it('refuses a call without the token', async () => {
    const res = await call('/api/invoke/app.info', { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
  });

  it('refuses a wrong token of the right length', async () => {
    const wrong = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await call('/api/invoke/app.info', {
      method: 'POST',
      body: '{}',
      headers: { Authorization: `Bearer ${wrong}` },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await call('/api/invoke/app.info', {
      method: 'POST',
      body: '{}',
      headers: { ...auth(), Host: `evil.example:${server.port}` },
    });
    expect(res.status).toBe(421);
  });

  it('refuses a cross-origin caller', async () => {
    const res = await call('/api/invoke/app.info', {
      method: 'POST',
      body: '{}',
      headers: { ...auth(), Origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('answers app.info through the shared handler map', async () => {
    const res = await call('/api/invoke/app.info', { method: 'POST', body: '{}', headers: auth() });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      ok: true,
      value: { version: '0.0.0-test', transport: 'preview', sources: [] },
    });
  });

  it('answers unknown commands and malformed requests with codes', async () => {
    const unknown = await call('/api/invoke/patient.delete', { method: 'POST', body: '{}', headers: auth() });
    expect(JSON.parse(unknown.body).error.code).toBe('BRIDGE_UNKNOWN_COMMAND');
    const bad = await call('/api/invoke/summary.open', { method: 'POST', body: '{"patient":42}', headers: auth() });
    expect(JSON.parse(bad.body).error.code).toBe('BRIDGE_BAD_REQUEST');
    const notJson = await call('/api/invoke/summary.open', { method: 'POST', body: '{', headers: auth() });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('BRIDGE_BAD_REQUEST');
  });

  it('returns the identity error code, not a summary, for an invalid national id', async () => {
    const res = await call('/api/invoke/summary.open', {
      method: 'POST',
      body: JSON.stringify({ patient: '19121212-1213' }),
      headers: auth(),
    });
    const body = JSON.parse(res.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('ID_BAD_CHECKSUM');
    expect(res.body).not.toContain('1212');
  });
});
