/**
 * Pushed events over the preview's HTTP transport: the real server's event
 * stream read by the renderer's real HTTP bridge (fetch streaming in Node).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../../src/main/bridge/eventHub';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { createHttpBridge, parseEventStream } from '../../../src/renderer/api/httpBridge';
import { withValidation } from '../../../src/renderer/api/validatedBridge';
import { emptySections, type Summary } from '../../../src/shared/summary';
import type { AnswerHandlers } from '../../../src/main/bridge/dispatch';

const hub = createEventHub();
let server: PreviewServer;
const staticDir = mkdtempSync(join(tmpdir(), 'samsyn-static-'));

const summary: Summary = {
  patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } },
  sections: emptySections(),
  sources: [{ sourceId: 'region-nord', name: 'Region Nord', state: 'ok', itemCount: 0, fetchedAt: '2026-11-25T10:00:00.000Z' }],
  generatedAt: '2026-11-25T10:00:00.000Z',
  fromCache: false,
  hiddenSealed: 0,
};

beforeAll(async () => {
  server = await startPreviewServer({ handlers: {} as AnswerHandlers, staticDir, events: hub });
});
afterAll(async () => {
  await server.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('preview event stream', () => {
  it('refuses a stream without the token', async () => {
    const res = await fetch(`${server.origin}/api/events`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
  });

  it('delivers summary.updated to the renderer bridge, checked against the contract', async () => {
    const bridge = withValidation(
      createHttpBridge({ origin: server.origin, token: () => server.token, reconnectDelayMs: () => 20 }),
    );
    const received: unknown[] = [];
    const stop = bridge.on('summary.updated', (p) => received.push(p));
    // Wait until the stream is connected: events emitted before are not replayed.
    await new Promise((r) => setTimeout(r, 200));
    hub.emit('summary.updated', { summary: { ...summary, generatedAt: 'not checked here' } as Summary });
    hub.emit('summary.updated', { summary });
    // A payload that breaks the contract never reaches the app.
    hub.emit('summary.updated', { summary: { ...summary, fromCache: 'yes' } as unknown as Summary });
    await until(() => received.length >= 2);
    stop();
    expect(received).toHaveLength(2);
    expect(received[1]).toEqual({ summary });
  });

  it('parses events split across chunks', () => {
    const a = parseEventStream(': hi\n\nevent: summary.updated\ndata: {"a"');
    expect(a.events).toEqual([]);
    const b = parseEventStream(a.rest + ':1}\n\n');
    expect(b.events).toEqual([{ event: 'summary.updated', data: '{"a":1}' }]);
    expect(b.rest).toBe('');
  });
});
