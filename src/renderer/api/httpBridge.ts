import type { CommandName, SamsynBridge } from '../../shared/api';
import { fail, type Result } from '../../shared/errors';

export interface HttpBridgeOptions {
  /** Origin of the preview server, e.g. http://127.0.0.1:4173. */
  origin: string;
  /** Per-launch token handed over in the URL fragment (read at each call: it may be handed over again). */
  token: () => string | undefined;
  fetch?: typeof fetch;
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
      body = await response.json();
    } catch {
      body = undefined;
    }
    // The server answers refusals (401, 403, 400...) with a Result body too; prefer it.
    if (typeof body === 'object' && body !== null && 'ok' in body) return body as Result<unknown>;
    if (response.status === 401 || response.status === 403) return fail('BRIDGE_UNAUTHORIZED');
    return fail('INTERNAL', { status: response.status });
  }

  return {
    // Typed per command by the contract; the body itself is checked by withValidation.
    invoke: invoke as SamsynBridge['invoke'],
    on() {
      // The preview pushes no events yet; the cache's summary updates will add a stream.
      return () => undefined;
    },
  };
}
