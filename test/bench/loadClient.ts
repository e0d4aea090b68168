/**
 * The renderer's side of the preview for the memory part of load.bench.ts, in
 * its own process (as the renderer is never in the app's): one event stream
 * read to its end, and opens on command. Whatever it parses and holds is then
 * not counted as the app's memory.
 *
 * argv: origin, token. stdin: one patient id a line, opened in turn. stdout:
 * one JSON line per open when its final summary arrived:
 * { ms, bytes } (bytes: the final summary's JSON size) or { error }.
 * Nothing is kept after an open's final is reported.
 */
import { createInterface } from 'node:readline';
import { summaryUpdates } from './sseEvents';

const [origin, token] = process.argv.slice(2) as [string, string];
const auth = { Authorization: `Bearer ${token}` };
const waiting = new Map<string, (bytes: number) => void>();
/** A final that arrived before its answer (a shared run): kept by open id until asked for, as its size only. */
const early = new Map<string, number>();
const send = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function readEvents(): Promise<void> {
  const res = await fetch(`${origin}/api/events`, { headers: auth });
  const reader = res.body!.getReader();
  // Subscribed: opens may start.
  send({ ready: true });
  for await (const data of summaryUpdates(reader)) {
    const event = JSON.parse(data) as { summary?: { progress?: { openId: string; final: boolean } }; unchanged?: { progress?: { openId: string; final: boolean } } };
    const summary = event.summary ?? event.unchanged;
    if (!summary?.progress?.final) continue;
    const bytes = Buffer.byteLength(JSON.stringify(summary));
    const id = summary.progress.openId;
    const resolve = waiting.get(id);
    if (resolve) {
      waiting.delete(id);
      resolve(bytes);
    } else early.set(id, bytes);
  }
}

async function open(patient: string): Promise<void> {
  const started = performance.now();
  const res = await fetch(`${origin}/api/invoke/summary.open`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ patient, purpose: 'care' }),
  });
  const body = (await res.json()) as { ok: boolean; value?: { progress?: { openId: string; final: boolean } }; error?: { code: string } };
  if (!body.ok || !body.value?.progress) {
    send({ error: body.error?.code ?? 'no-answer' });
    return;
  }
  const { openId, final } = body.value.progress;
  const bytes = final
    ? Buffer.byteLength(JSON.stringify(body.value))
    : (early.get(openId) ??
      (await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no-final')), 120_000);
        waiting.set(openId, (n) => {
          clearTimeout(timer);
          resolve(n);
        });
      })));
  early.delete(openId);
  send({ ms: performance.now() - started, bytes });
}

void readEvents().catch((err: unknown) => send({ error: `events: ${(err as Error)?.name ?? typeof err}` }));
const lines = createInterface({ input: process.stdin });
// One open at a time, in the order asked.
let queue = Promise.resolve();
lines.on('line', (patient) => {
  queue = queue.then(() => open(patient.trim()).catch((err: unknown) => send({ error: (err as Error)?.message ?? 'error' })));
});
lines.on('close', () => void queue.then(() => process.exit(0)));
