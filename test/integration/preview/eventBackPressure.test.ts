/**
 * The event stream has back-pressure: a client that stops reading is dropped
 * once its queue passes the cap, and nothing more is kept for it; a reading
 * client is unaffected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerHandlers } from '../../../src/main/bridge/dispatch';
import { createEventHub } from '../../../src/main/bridge/eventHub';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { emptySections, type Summary } from '../../../src/shared/summary';

const hub = createEventHub();
const staticDir = mkdtempSync(join(tmpdir(), 'samsyn-static-'));
let server: PreviewServer;
const CAP = 1024 * 1024;

const big = (n: number): Summary => ({
  patient: { identifier: { system: 'urn:test', value: String(n) }, name: 'x'.repeat(256 * 1024) },
  sections: emptySections(),
  sources: [],
  generatedAt: '2026-11-29T10:00:00.000Z',
  fromCache: false,
  hiddenSealed: 0,
});

beforeAll(async () => {
  server = await startPreviewServer({ handlers: {} as AnswerHandlers, staticDir, events: hub, maxEventBufferBytes: CAP });
});
afterAll(async () => {
  await server.close();
  rmSync(staticDir, { recursive: true, force: true });
});

function openStream(read: boolean): Promise<{ socket: Socket; closed: Promise<void>; received: () => number; resume: () => void }> {
  return new Promise((resolve) => {
    let received = 0;
    let reading = read;
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      // The stalled client reads its headers, then stops reading for good.
      if (!reading) socket.pause();
    });
    const resume = () => {
      reading = true;
      socket.resume();
    };
    socket.once('data', () => resolve({ socket, closed, received: () => received, resume }));
  });
}

describe('event stream back-pressure', () => {
  it('drops a client that stops reading once its queue passes the cap, and keeps serving a reading one', async () => {
    const stalled = await openStream(false);
    const reading = await openStream(true);
    const events = 120;
    // About 30 MB in all: far more than the loopback socket buffers and the cap together.
    for (let i = 0; i < events; i++) {
      hub.emit('summary.updated', { summary: big(i) });
      await new Promise((r) => setTimeout(r, 3));
    }
    const sent = events * 256 * 1024;
    for (let i = 0; i < 300 && reading.received() < sent; i++) await new Promise((r) => setTimeout(r, 10));
    // The reading client got every event and is still connected.
    expect(reading.received()).toBeGreaterThanOrEqual(sent);
    expect(reading.socket.destroyed).toBe(false);
    // The stalled one, once it reads again, finds its stream ended, with only what was queued before the drop.
    stalled.resume();
    await stalled.closed;
    expect(stalled.received()).toBeLessThan(sent / 2);
    reading.socket.destroy();
  });
});
