/**
 * A large summary in two parts over the preview's real HTTP transport (ADR
 * 0032): the heavy patient's cached answer as part 1, part 2 through
 * summary.rest once, to the same user and session only; and a pushed large
 * update on the event stream as part 1 then part 2 for a renderer that takes
 * parts (`?parts=1`), whole for any other client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/app/createServices';
import { openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/previewServer';
import { sandboxPatient } from '../../../src/main/sandbox/fhirData';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { parseEventStream } from '../../../src/renderer/api/httpBridge';
import { signInForTest, stateCareFor } from '../../fixtures/session';

const clock = { now: () => new Date() };
const HEAVY = sandboxPatient('heavy').identifier.value;
let nord: FhirSandbox;
let dir: string;
let cache: CacheHandle;
let services: Services;
let server: PreviewServer;
const staticDir = mkdtempSync(join(tmpdir(), 'samsyn-static-'));

beforeAll(async () => {
  nord = await startFhirSandbox({ region: 'nord' });
  dir = mkdtempSync(join(tmpdir(), 'samsyn-parts-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger: createLogger('test') });
  services = createServices({
    config: { sources: [] },
    sources: [createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 20_000, pageSize: 500, clock })],
    cache,
    clock,
    logger: createLogger('test'),
    transport: 'preview',
    version: 'test',
  });
  await signInForTest(services);
  // The purpose stated, and the heavy patient in the cache.
  await stateCareFor(services, HEAVY);
  server = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir });
}, 60_000);

afterAll(async () => {
  await services?.summary.settled();
  await server?.close();
  cache?.close();
  await nord?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(staticDir, { recursive: true, force: true });
});

async function invoke(command: string, request: unknown): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string } }> {
  const res = await fetch(`${server.origin}/api/invoke/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  return (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
}

type Sections = Record<string, Array<{ critical?: boolean }>>;

/** The sections without each provenance's fetch time and cached mark: a refresh between two opens changes only those. */
const content = (sections: unknown) => JSON.parse(JSON.stringify(sections, (key, value: unknown) => (key === 'fetchedAt' || key === 'cached' ? undefined : value))) as unknown;

describe('a cached answer in two parts over HTTP', () => {
  it('part 1 answers at once, part 2 once through summary.rest, and together they are the whole answer', async () => {
    const whole = await invoke('summary.open', { patient: HEAVY });
    await services.summary.settled();
    expect(whole.value).not.toHaveProperty('parts');
    const first = await invoke('summary.open', { patient: HEAVY, parts: true });
    await services.summary.settled();
    expect(first.ok).toBe(true);
    const parts = first.value?.parts as { id: string; pending: string[]; counts: Record<string, number> };
    expect(parts.pending).toContain('results');
    const part1 = first.value?.sections as Sections;
    expect(part1.results!.length).toBeLessThan(parts.counts.results!);
    expect(part1.results!.every((i) => i.critical === true)).toBe(true);

    const rest = await invoke('summary.rest', { patient: HEAVY, id: parts.id });
    expect(rest.ok).toBe(true);
    expect(rest.value).toMatchObject({ id: parts.id, patient: (whole.value?.patient as { identifier: unknown }).identifier });
    expect(Object.keys(rest.value?.sections as object).sort()).toEqual([...parts.pending].sort());
    expect(content({ ...part1, ...(rest.value?.sections as Sections) })).toEqual(content(whole.value?.sections));
    // Once only.
    expect(await invoke('summary.rest', { patient: HEAVY, id: parts.id })).toMatchObject({ ok: false, error: { code: 'SUMMARY_PART_MISSING' } });
  }, 60_000);

  it('part 2 is never given to another user, another patient, or after a sign-out', async () => {
    const first = await invoke('summary.open', { patient: HEAVY, parts: true });
    await services.summary.settled();
    const { id } = first.value?.parts as { id: string };
    // Another patient named with the same id.
    expect(await invoke('summary.rest', { patient: sandboxPatient('tolvan').identifier.value, id })).toMatchObject({ ok: false, error: { code: 'SUMMARY_PART_MISSING' } });
    // Another user signed in on the same workstation.
    await signInForTest(services, 'ingrid.nurse');
    expect(await invoke('summary.rest', { patient: HEAVY, id })).toMatchObject({ ok: false, error: { code: 'SUMMARY_PART_MISSING' } });
    await services.handlers['session.signOut']({});
    expect((await invoke('summary.rest', { patient: HEAVY, id })).ok).toBe(false);
    // Back as the first user: everything was forgotten with the session change.
    await signInForTest(services);
    expect(await invoke('summary.rest', { patient: HEAVY, id })).toMatchObject({ ok: false, error: { code: 'SUMMARY_PART_MISSING' } });
  }, 60_000);
});

/** Reads an event stream until `count` summary events have come; their names and payloads in order. */
async function readEvents(path: string, count: number, started: () => void): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const res = await fetch(`${server.origin}${path}`, { headers: { Authorization: `Bearer ${server.token}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: Array<{ event: string; data: Record<string, unknown> }> = [];
  started();
  while (seen.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    const parsed = parseEventStream(buffer + decoder.decode(value, { stream: true }));
    buffer = parsed.rest;
    for (const e of parsed.events) if (e.event.startsWith('summary.')) seen.push({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> });
  }
  void reader.cancel().catch(() => undefined);
  return seen;
}

describe('a pushed large update on the event stream', () => {
  it('comes as part 1 then part 2 to a renderer taking parts, whole to any other client', async () => {
    const heavy = await services.handlers['summary.open']({ patient: HEAVY, purpose: 'care' });
    await services.summary.settled();
    if (!heavy.ok) throw new Error(heavy.error.code);
    const summary = materializeSummary(heavy.value);
    let ready = 0;
    const inParts = readEvents('/api/events?parts=1', 3, () => ready++);
    const whole = readEvents('/api/events', 2, () => ready++);
    while (ready < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    services.events.emit('summary.updated', { summary: { ...summary, progress: { openId: 'open-x', seq: 1, final: false } } });
    services.events.emit('summary.updated', { summary: { ...summary, progress: { openId: 'open-x', seq: 2, final: true } } });
    const [parts, plain] = await Promise.all([inParts, whole]);
    expect(plain.map((e) => e.event)).toEqual(['summary.updated', 'summary.updated']);
    expect((plain[0]?.data.summary as { sections: unknown }).sections).toEqual(summary.sections);
    expect(parts.map((e) => e.event)).toEqual(['summary.updated', 'summary.rest', 'summary.updated']);
    const part1 = parts[0]?.data.summary as { parts: { id: string }; sections: Sections; progress: unknown };
    const rest = parts[1]?.data as { id: string; openId: string; seq: number; sections: Sections };
    expect(rest).toMatchObject({ id: part1.parts.id, openId: 'open-x', seq: 1 });
    expect({ ...part1.sections, ...rest.sections }).toEqual(summary.sections);
    // The next update's part 1 has its own id.
    expect((parts[2]?.data.summary as { parts: { id: string } }).parts.id).not.toBe(part1.parts.id);
  }, 60_000);
});
