/**
 * HTTP for FHIR searches: one GET with error codes, and paging over a searchset.
 * Errors carry only a code and an HTTP status or issue code, never response text.
 */
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import { isTlsFailure } from '../common/tls';
import { abortError } from '../common/abort';

export interface FhirHttp {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly maxPages: number;
  /** Largest response body read, in bytes; past it SOURCE_RESPONSE_TOO_LARGE (limit 'bytes'). Default 32 MiB. */
  readonly maxResponseBytes?: number;
  /** Most Bundle entries one search may give over all its pages; past it SOURCE_RESPONSE_TOO_LARGE (limit 'entries'). Default 50,000. */
  readonly maxEntries?: number;
}

/** Defaults that fit a workstation: the heavy sandbox patient's largest page is well under 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_ENTRIES = 50_000;

export interface SearchPages {
  /** Entries that matched the search (search.mode 'match' or unset). */
  matches: Resource[];
  /** Entries the server added with search.mode 'include' (e.g. a Medication). */
  included: Resource[];
  pages: number;
  /** Matches over every page (also when they were handed to an `onPage` and not kept). */
  matched: number;
}

/** Turns anything thrown while talking to a source into a CodedError. */
export function toSourceError(err: unknown, signal: AbortSignal): CodedError {
  if (signal.aborted) {
    // The aggregator aborts with its own CodedError on deadline; keep its code.
    return abortError(signal);
  }
  if (err instanceof CodedError) return err;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new CodedError('SOURCE_TIMEOUT');
  }
  // fetch rejects with TypeError('fetch failed') and the socket error as cause:
  // refused, reset, DNS failure, TLS failure. None of it reached a FHIR server.
  // A certificate problem is said as such: it is a configuration matter, not a network one.
  return new CodedError(isTlsFailure(networkCause(err)) ? 'SOURCE_TLS_FAILED' : 'SOURCE_UNREACHABLE');
}

/** The errno-like code behind a network failure, for diagnostics only. */
export function networkCause(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
}

/** A body that is not UTF-8: never read as text with U+FFFD in place of the bad bytes. */
const NOT_UTF8 = Symbol('not-utf8');

/**
 * The body as JSON (undefined when it is not JSON, NOT_UTF8 when it is not
 * UTF-8), read chunk by chunk and stopped past maxBytes (declared or counted):
 * a source cannot make the app hold more than the limit.
 *
 * Each chunk is decoded as it arrives (a streaming, fatal TextDecoder: a
 * character split between chunks is joined, a bad or unfinished sequence
 * anywhere is NOT_UTF8) and let go: the page's bytes are never all held, nor
 * copied into one Buffer beside its text (ADR 0040).
 */
async function readBody(res: Response, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'bytes', expected: maxBytes });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: string[] = [];
  let size = 0;
  /** Once a sequence was not UTF-8, the rest is still counted against the limit (as before), not decoded. */
  let utf8 = true;
  if (res.body) {
    const reader = res.body.getReader();
    /**
     * One chunk read, counted and decoded; false at the end. A function of its own: a loop awaiting
     * read() in this frame would keep the last chunk it read reachable (a suspended async frame holds
     * its values) until the next one arrives.
     */
    const step = async (): Promise<boolean> => {
      const { done, value } = await reader.read();
      if (done) return false;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      if (!utf8) return true;
      try {
        pieces.push(decoder.decode(value, { stream: true }));
      } catch {
        utf8 = false;
        pieces.length = 0;
      }
      return true;
    };
    while (await step());
  }
  if (!utf8) return NOT_UTF8;
  try {
    // The end: a sequence left unfinished by the last chunk is not UTF-8.
    pieces.push(decoder.decode());
  } catch {
    return NOT_UTF8;
  }
  const text = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
  pieces.length = 0;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isResource(body: unknown): body is Resource {
  return typeof body === 'object' && body !== null && typeof (body as Resource).resourceType === 'string';
}

/** GET a FHIR JSON resource of the expected type. */
export async function getResource<T extends Resource>(
  http: FhirHttp,
  url: string,
  expected: T['resourceType'],
  signal: AbortSignal,
): Promise<T> {
  let res: Response;
  let body: unknown;
  try {
    const fetchImpl = http.fetch; // called unbound: a native fetch must not get another `this`
    res = await fetchImpl(url, { headers: { Accept: 'application/fhir+json' }, signal });
    body = await readBody(res, http.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  } catch (err) {
    throw toSourceError(err, signal);
  }
  if (body === NOT_UTF8) {
    if (!res.ok) throw new CodedError('SOURCE_HTTP_ERROR', { status: res.status });
    throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'not-utf8' });
  }
  if (!res.ok) {
    if (isResource(body) && body.resourceType === 'OperationOutcome') {
      const issue = (body as OperationOutcome).issue?.[0]?.code;
      throw new CodedError('SOURCE_OPERATION_OUTCOME', {
        status: res.status,
        issue: typeof issue === 'string' ? issue : 'unknown',
      });
    }
    throw new CodedError('SOURCE_HTTP_ERROR', { status: res.status });
  }
  if (body === undefined) throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'not-json' });
  if (!isResource(body) || body.resourceType !== expected) {
    throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'unexpected-resource-type' });
  }
  return body as T;
}

/**
 * One page's resources, handed over as the page arrives (searchAllPages with
 * `onPage`): the caller maps them and lets the page go, so the pages of a
 * search are never all held at once (ADR 0033).
 */
export type PageHandler = (matches: Resource[], included: Resource[]) => void;

/**
 * Reads every page of a search, following `next` links. A next link to another
 * origin is refused: it would send our request (and the patient's id in it) to
 * a server nobody configured. With `onPage`, each page's resources go to it as
 * the page arrives and the result holds none (only the counts); without, the
 * result holds every page's.
 */
export async function searchAllPages(
  http: FhirHttp,
  firstUrl: string,
  resourceType: string,
  signal: AbortSignal,
  onPage?: PageHandler,
): Promise<SearchPages> {
  const origin = new URL(http.baseUrl).origin;
  const result: SearchPages = { matches: [], included: [], pages: 0, matched: 0 };
  /** Entries over every page so far (the entry limit counts them all, handed over or held). */
  let counted = 0;
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  while (url) {
    if (result.pages >= http.maxPages) {
      // Stopping quietly would present a partial record as complete.
      throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'too-many-pages', maxPages: http.maxPages });
    }
    seen.add(url);
    const bundle: Bundle = await getResource<Bundle>(http, url, 'Bundle', signal);
    result.pages += 1;
    const maxEntries = http.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
    if (counted + entries.length > maxEntries) {
      // Stopping quietly would present a partial record as complete.
      throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'entries', expected: maxEntries });
    }
    const matches = onPage ? [] : result.matches;
    const included = onPage ? [] : result.included;
    for (const entry of entries) {
      const resource = entry.resource;
      if (!isResource(resource)) continue;
      const mode = entry.search?.mode;
      if (mode === 'outcome' || resource.resourceType === 'OperationOutcome') continue;
      if (mode === 'include') {
        included.push(resource);
      } else if (resource.resourceType === resourceType) {
        matches.push(resource);
      } else {
        throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'unexpected-entry' });
      }
    }
    counted += matches.length + included.length;
    result.matched += matches.length;
    if (onPage) onPage(matches, included);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (!next) break;
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, `${http.baseUrl}/`);
    } catch {
      throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'bad-next-link' });
    }
    if (nextUrl.origin !== origin) {
      throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'foreign-next-link' });
    }
    if (seen.has(nextUrl.href)) throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'paging-loop' });
    url = nextUrl.href;
  }
  return result;
}

/** Runs `fn` over items with at most `limit` in flight; rejects on the first failure. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** FHIR search escaping for token parameters (`\`, `|`, `,`, `$`). */
export function escapeSearchValue(value: string): string {
  return value.replace(/[\\|,$]/g, (c) => `\\${c}`);
}
