/**
 * The event stream has back-pressure: a client that stops reading is dropped
 * once its queue passes the cap, and nothing more is kept for it; a reading
 * client is unaffected. Each event's bytes are made once, whatever the number
 * of clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerHandlers } from '../../../src/main/bridge/dispatch';
import { createEventHub } from '../../../src/main/bridge/eventHub';
import { capFor, eventBytes, startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { emptySections, type Summary } from '../../../src/shared/summary';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

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
    await reading.closed;
  });

  it('holds at most the cap for a stalled client, and releases all of it once the client is dropped', async () => {
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Event bytes live outside the V8 heap (Buffers): arrayBuffers counts them, after a GC. V8 frees
    // their memory on a background thread after the GC that found them dead: a second GC waits for it.
    const buffers = async () => {
      gc();
      await wait(5);
      gc();
      return process.memoryUsage().arrayBuffers;
    };
    // What the test before left (its sockets' last reads) gone first.
    await wait(200);
    const base = await buffers();
    const stalled = await openStream(false);
    const event = Buffer.concat(eventBytes('summary.updated', { summary: big(-1) })).length;
    let most = 0;
    // About 30 MB sent to a client that reads nothing: the loopback socket's buffers fill, then its queue, then it is dropped.
    for (let i = 0; i < 120; i++) {
      hub.emit('summary.updated', { summary: big(i) });
      await wait(3);
      most = Math.max(most, (await buffers()) - base);
    }
    // While stalled it held queued bytes (the queue reached the cap before the drop: the stall was real),
    // never more than the cap and the one event that may pass it.
    expect(most).toBeGreaterThan(CAP / 2);
    expect(most).toBeLessThanOrEqual(CAP + event + 64 * 1024);
    // Dropped: nothing of its queue is kept (the socket still open on the client's side, unread).
    await wait(50);
    expect((await buffers()) - base).toBeLessThan(CAP / 4);
    stalled.resume();
    await stalled.closed;
  });

  it('keeps a reading client whose events are each larger than the cap, and still drops one that stops reading (capFor)', async () => {
    // Events of 1.5 MB against a 1 MB cap (a summary of ~100,000 records is a 16 MB event against 8 MiB).
    const huge = (n: number): Summary => ({ ...big(n), patient: { identifier: { system: 'urn:test', value: String(n) }, name: 'y'.repeat(1536 * 1024) } });
    const event = Buffer.concat(eventBytes('summary.updated', { summary: huge(-1) })).length;
    expect(capFor(CAP, event)).toBe(4 * event);
    expect(capFor(CAP, CAP / 4)).toBe(CAP);
    const reading = await openStream(true);
    const stalled = await openStream(false);
    // Three at once: the first still on its way when the others come (dropped at the second before capFor).
    for (let i = 0; i < 3; i++) hub.emit('summary.updated', { summary: huge(i) });
    for (let i = 0; i < 500 && reading.received() < 3 * event; i++) await new Promise((r) => setTimeout(r, 10));
    expect(reading.received()).toBeGreaterThanOrEqual(3 * event);
    expect(reading.socket.destroyed).toBe(false);
    // The client that reads nothing is dropped once it is owed more than four such events.
    for (let i = 3; i < 12; i++) {
      hub.emit('summary.updated', { summary: huge(i) });
      await new Promise((r) => setTimeout(r, 3));
    }
    stalled.resume();
    await stalled.closed;
    expect(stalled.received()).toBeLessThan(6 * event);
    reading.socket.destroy();
    await reading.closed;
  });

  it('makes the bytes of one event once for every client', () => {
    const payload = { summary: big(1) };
    const chunks = eventBytes('summary.updated', payload);
    expect(eventBytes('summary.updated', payload)).toBe(chunks);
    // About 256 KB of text: in chunks, never one string of it.
    expect(chunks.length).toBeGreaterThan(1);
    const text = Buffer.concat(chunks).toString('latin1');
    expect(text.startsWith('event: summary.updated\ndata: {"summary":')).toBe(true);
    expect(text.endsWith('}\n\n')).toBe(true);
    expect(JSON.parse(text.slice('event: summary.updated\ndata: '.length, -2))).toEqual(payload);
    // ASCII only: a non-ASCII character travels as its escape, and parses back the same.
    const accented = { summary: { ...big(2), patient: { identifier: { system: 'urn:test', value: '2' }, name: 'Åsa Öberg – µ' } } };
    const escaped = Buffer.concat(eventBytes('summary.updated', accented));
    expect(escaped.every((b) => b < 0x80)).toBe(true);
    expect(JSON.parse(escaped.toString('latin1').slice('event: summary.updated\ndata: '.length, -2))).toEqual(accented);
  });
});
