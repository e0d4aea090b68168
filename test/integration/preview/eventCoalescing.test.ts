/**
 * A client that reads slower than updates come (ADR 0040): while its socket is
 * behind, a whole summary update of a running open takes the place of the one
 * before it of the same open that is still waiting, unwritten. The client then
 * holds one waiting update, not each in turn; it still receives every final,
 * every `unchanged` update with the update it refers to, and every other
 * event, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerHandlers } from '../../../src/main/bridge/dispatch';
import { createEventHub } from '../../../src/main/bridge/eventHub';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { SECTION_KEYS } from '../../../src/shared/sections';
import { emptySections, type Summary } from '../../../src/shared/summary';
import { SPLIT_ABOVE_ITEMS } from '../../../src/shared/summaryParts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const hub = createEventHub();
const staticDir = mkdtempSync(join(tmpdir(), 'samsyn-static-'));
let server: PreviewServer;
/** Far above what these tests send: no client is dropped here. */
const CAP = 256 * 1024 * 1024;
const EVENT = 256 * 1024;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const update = (openId: string, seq: number, final = false): Summary => ({
  patient: { identifier: { system: 'urn:test', value: '1' }, name: 'x'.repeat(EVENT) },
  sections: emptySections(),
  sources: [],
  generatedAt: '2026-11-30T10:00:00.000Z',
  fromCache: false,
  hiddenSealed: 0,
  progress: { openId, seq, final },
});

beforeAll(async () => {
  server = await startPreviewServer({ handlers: {} as AnswerHandlers, staticDir, events: hub, maxEventBufferBytes: CAP });
});
afterAll(async () => {
  await server.close();
  rmSync(staticDir, { recursive: true, force: true });
});

interface Stream {
  close: () => void;
  resume: () => void;
  /** Whole events received so far: name and, for summary updates, the open, seq and kind. */
  events: () => { event: string; openId?: string; seq?: number; kind?: 'summary' | 'unchanged'; partsId?: string }[];
}

/** An event stream client (node:http, which undoes the chunked encoding) that reads nothing after its first bytes until resumed. */
function pausedStream(path = '/api/events'): Promise<Stream> {
  return new Promise((resolve) => {
    let text = '';
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Authorization: `Bearer ${server.token}` } }, (res) => {
      res.setEncoding('latin1');
      let paused = true;
      res.on('data', (chunk: string) => {
        text += chunk;
        if (paused) res.pause();
      });
      res.once('data', () =>
        resolve({
          close: () => req.destroy(),
          resume: () => {
            paused = false;
            res.resume();
          },
          events,
        }),
      );
    });
    req.on('error', () => undefined);
    req.end();
    // Whole events only: the text after the last blank line may still be arriving.
    const events = () =>
      text
        .split('\n\n')
        .slice(0, -1)
        .map((block) => /^event: (\S+)\ndata: (.*)$/s.exec(block))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => {
          const data = JSON.parse(m[2]!) as {
            summary?: Summary & { parts?: { id: string } };
            unchanged?: { progress: { openId: string; seq: number } };
            id?: string;
            openId?: string;
            seq?: number;
          };
          if (m[1] === 'summary.rest') return { event: m[1], openId: data.openId, seq: data.seq, partsId: data.id };
          const progress = data.summary?.progress ?? data.unchanged?.progress;
          const kind = data.summary ? ('summary' as const) : data.unchanged ? ('unchanged' as const) : undefined;
          return { event: m[1]!, openId: progress?.openId, seq: progress?.seq, kind, partsId: data.summary?.parts?.id };
        });
  });
}

/** Event bytes held in this process (Buffers), after a full GC and a second once the freed ones are swept. */
async function buffers(): Promise<number> {
  gc();
  await wait(5);
  gc();
  return process.memoryUsage().arrayBuffers;
}

async function receivedAll(stream: Stream, openId: string, lastSeq: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (stream.events().some((e) => e.openId === openId && e.seq === lastSeq)) return;
    await wait(10);
  }
  throw new Error('the final update never arrived');
}

describe('event stream: a client that is behind', () => {
  it('holds one waiting update of a running open, not each in turn, and still receives the final', async () => {
    await wait(100);
    const base = await buffers();
    const stream = await pausedStream();
    const updates = 120;
    let most = 0;
    // About 30 MB of updates of one open: far more than the loopback socket's buffers take.
    for (let seq = 1; seq <= updates; seq++) {
      hub.emit('summary.updated', { summary: update('open-a', seq, seq === updates) });
      await wait(2);
      if (seq % 10 === 0) most = Math.max(most, (await buffers()) - base);
    }
    // Held for it: what its socket has queued (about one update) and one waiting update; each update
    // queued in turn would be tens of MB.
    expect(most).toBeLessThan(4 * EVENT);
    stream.resume();
    await receivedAll(stream, 'open-a', updates);
    const seqs = stream.events().filter((e) => e.openId === 'open-a').map((e) => e.seq!);
    expect(seqs.length).toBeLessThan(updates);
    // In order, none twice, the final last.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)).toBe(updates);
    stream.close();
  });

  it('never replaces an unchanged update, the update before it, a final, or across another event', async () => {
    const stream = await pausedStream();
    // Fill the socket: from here on, deliveries wait.
    for (let seq = 1; seq <= 40; seq++) hub.emit('summary.updated', { summary: update('open-b', seq) });
    // The update an `unchanged` refers to, then the `unchanged` (head only).
    hub.emit('summary.updated', { summary: update('open-b', 41) });
    const { sections: _s, ...head } = update('open-b', 42);
    hub.emit('summary.updated', { unchanged: { ...head, progress: { openId: 'open-b', seq: 42, final: false }, sameSince: 41, freshness: {} } });
    // An update, replaced by the final that follows it; nothing replaces the final (not even a stray later update).
    hub.emit('summary.updated', { summary: update('open-b', 43) });
    hub.emit('summary.updated', { summary: update('open-b', 44, true) });
    hub.emit('summary.updated', { summary: update('open-b', 45) });
    // An update of another open does not replace open-b's last.
    hub.emit('summary.updated', { summary: update('open-c', 1) });
    // Another event between two updates of one open: the first is kept.
    hub.emit('session.changed', { session: { state: 'locked' } } as never);
    hub.emit('summary.updated', { summary: update('open-c', 2, true) });
    stream.resume();
    await receivedAll(stream, 'open-c', 2);
    const events = stream.events();
    const b = events.filter((e) => e.openId === 'open-b');
    expect(b.find((e) => e.seq === 41)?.kind).toBe('summary');
    expect(b.find((e) => e.seq === 42)?.kind).toBe('unchanged');
    expect(b.some((e) => e.seq === 43)).toBe(false);
    expect(b.find((e) => e.seq === 44)?.kind).toBe('summary');
    expect(b.at(-1)?.seq).toBe(45);
    const c = events.filter((e) => e.openId === 'open-c' || e.event === 'session.changed').map((e) => e.seq ?? e.event);
    expect(c).toEqual([1, 'session.changed', 2]);
    stream.close();
  });

  it('replaces a waiting update in two parts as a whole: each part 2 right after its own part 1', async () => {
    const stream = await pausedStream('/api/events?parts=1');
    const last = SECTION_KEYS[SECTION_KEYS.length - 1]!;
    const large = (seq: number, final = false): Summary => {
      const summary = update('open-p', seq, final);
      // Items past the first panels, over the threshold: the update travels in two parts.
      const items = Array.from({ length: SPLIT_ABOVE_ITEMS + 100 }, (_, i) => ({ key: `k${i}`, note: 'y'.repeat(1024) }));
      return { ...summary, sections: { ...summary.sections, [last]: items } as unknown as Summary['sections'] };
    };
    const updates = 40;
    for (let seq = 1; seq <= updates; seq++) {
      hub.emit('summary.updated', { summary: large(seq, seq === updates) });
      await wait(2);
    }
    stream.resume();
    await receivedAll(stream, 'open-p', updates);
    await wait(50);
    const events = stream.events().filter((e) => e.openId === 'open-p');
    const firsts = events.filter((e) => e.event === 'summary.updated');
    expect(firsts.length).toBeLessThan(updates);
    expect(firsts.at(-1)?.seq).toBe(updates);
    // Every part 1 is followed at once by its part 2 (same id, open and seq), and nothing else comes between.
    firsts.forEach((first) => {
      const at = events.indexOf(first);
      expect(first.partsId).toBeDefined();
      expect(events[at + 1]).toEqual({ event: 'summary.rest', openId: 'open-p', seq: first.seq, partsId: first.partsId });
    });
    expect(events.length).toBe(2 * firsts.length);
    stream.close();
  });
});

