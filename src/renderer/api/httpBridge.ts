import type { CommandName, SamsynBridge } from '../../shared/api';
import { fail, type Result } from '../../shared/errors';

export interface HttpBridgeOptions {
  /** Origin of the preview server, e.g. http://127.0.0.1:4173. */
  origin: string;
  /** Per-launch token handed over in the URL fragment (read at each call: it may be handed over again). */
  token: () => string | undefined;
  fetch?: typeof fetch;
  /** Waits before reconnecting the event stream (tests pass a short one). */
  reconnectDelayMs?: (attempt: number) => number;
}

type Listener = (payload: unknown) => void;

/** One parsed Server-Sent Event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Splits a Server-Sent Events text stream into events. Returns the events
 * complete so far and the unfinished rest, to be prefixed to the next chunk.
 */
export function parseEventStream(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * The body as text, decoded chunk by chunk while the rest is still arriving
 * (a heavy summary is megabytes: decoding it whole after the last byte put its
 * whole decode on the path to the first paint; issue 13).
 */
async function readText(response: Response): Promise<string> {
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * Feeds parseEventStream chunk by chunk, parsing only when a chunk completes
 * an event (a blank line): a pushed heavy summary is megabytes in many chunks,
 * and parsing what arrived so far at every chunk cost time quadratic in its size.
 */
export function createEventStreamReader(): { push(chunk: string): StreamEvent[] } {
  let parts: string[] = [];
  // The end of what is held: a blank line may straddle two chunks ("\r\n" + "\r\n").
  let tail = '';
  return {
    push(chunk) {
      parts.push(chunk);
      const seam = (tail + chunk).replace(/\r\n/g, '\n');
      tail = (tail + chunk).slice(-3);
      if (!seam.includes('\n\n')) return [];
      const parsed = parseEventStream(parts.join(''));
      parts = [parsed.rest];
      tail = parsed.rest.slice(-3);
      return parsed.events;
    },
  };
}

const defaultDelay = (attempt: number) => Math.min(15_000, 500 * 2 ** Math.min(attempt, 5));

/** After the frame in progress is painted (a frame callback, then a timer); a timer where there are no frames. */
function afterNextPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(task, 0));
  else setTimeout(task, 0);
}

/**
 * The browser preview's transport: the same command map over HTTP. It returns
 * the raw Result JSON; checking it against the contract is withValidation's job.
 */
export function createHttpBridge(options: HttpBridgeOptions): SamsynBridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function invoke(command: CommandName, request: unknown): Promise<Result<unknown>> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const token = options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(`${options.origin}/api/invoke/${encodeURIComponent(command)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return fail('BRIDGE_UNREACHABLE');
    }
    let body: unknown;
    try {
      body = JSON.parse(await readText(response));
    } catch {
      body = undefined;
    }
    // The server answers refusals (401, 403, 400...) with a Result body too; prefer it.
    if (typeof body === 'object' && body !== null && 'ok' in body) return body as Result<unknown>;
    if (response.status === 401 || response.status === 403) return fail('BRIDGE_UNAUTHORIZED');
    return fail('INTERNAL', { status: response.status });
  }

  // Pushed events: one stream (GET /api/events), opened with the first listener
  // and reopened after a drop, read with fetch so the token stays in a header.
  const listeners = new Map<string, Set<Listener>>();
  const delay = options.reconnectDelayMs ?? defaultDelay;
  let streaming = false;

  function deliver(event: StreamEvent): void {
    // Part 2 of a summary in two parts (megabytes) follows its part 1 closely: parsed after part 1 is painted (ADR 0032).
    if (event.event === 'summary.rest') afterNextPaint(() => deliverNow(event));
    else deliverNow(event);
  }

  function deliverNow(event: StreamEvent): void {
    const set = listeners.get(event.event);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const listener of [...set]) listener(payload);
  }

  async function readStream(): Promise<void> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    const token = options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    // parts=1: a large summary update comes as part 1, then part 2 (ADR 0032); the store ties them together.
    const response = await doFetch(`${options.origin}/api/events?parts=1`, { headers, credentials: 'omit', cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`events ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const stream = createEventStreamReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      stream.push(decoder.decode(value, { stream: true })).forEach(deliver);
    }
  }

  async function stream(): Promise<void> {
    for (let attempt = 0; [...listeners.values()].some((s) => s.size > 0); attempt++) {
      try {
        await readStream();
        attempt = 0;
      } catch {
        // Refused or dropped: try again after a pause; invoke() reports its own errors.
      }
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
    }
    streaming = false;
  }

  return {
    // Typed per command by the contract; the body itself is checked by withValidation.
    invoke: invoke as SamsynBridge['invoke'],
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      if (!streaming) {
        streaming = true;
        void stream();
      }
      return () => {
        set.delete(listener);
      };
    },
  };
}
