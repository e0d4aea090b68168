/**
 * Asking one source under its deadline. The deadline aborts the adapter's
 * signal and also wins the race, so an adapter that ignores its signal cannot
 * hold the summary. Every ending becomes a SourceStatus: nothing is dropped.
 */
import { performance } from 'node:perf_hooks';
import { CodedError, type ErrorCode } from '../../shared/errors';
import { RESPONSE_LIMITS, type ResponseLimit, type SourceState, type SourceStatus } from '../../shared/summary';
import type { Logger } from '../platform/logger';
import type { PatientQuery, SourceAdapter, SourceResult } from '../sources/types';
import { guardIdentity } from './identityGuard';

export interface Outcome {
  status: SourceStatus;
  /** Present when the source answered about the patient asked for. */
  result?: SourceResult;
}

export function stateFor(code: ErrorCode): SourceState {
  if (code === 'SOURCE_TIMEOUT') return 'timeout';
  if (code === 'PATIENT_MISMATCH' || code === 'PATIENT_DEMOGRAPHICS_MISMATCH') return 'rejected';
  if (code === 'SOURCE_DISABLED') return 'disabled';
  return 'failed';
}

/** What the source reports about itself (files quarantined, skipped, waiting), for its status. */
function healthOf(source: SourceAdapter): Pick<SourceStatus, 'notes' | 'waiting'> {
  let health: ReturnType<NonNullable<SourceAdapter['health']>> | undefined;
  try {
    health = source.health?.();
  } catch {
    return {};
  }
  if (!health) return {};
  return {
    ...(health.notes.length > 0 ? { notes: health.notes } : {}),
    ...(health.waiting ? { waiting: health.waiting } : {}),
  };
}

/** The limit a SOURCE_RESPONSE_TOO_LARGE names (from its params), for the status to say in words. */
function limitOf(err: unknown): Pick<SourceStatus, 'limit'> {
  if (!(err instanceof CodedError) || err.code !== 'SOURCE_RESPONSE_TOO_LARGE') return {};
  const name = err.params?.limit;
  const max = err.params?.expected;
  if (typeof max !== 'number' || !RESPONSE_LIMITS.some((l) => l === name)) return {};
  return { limit: { name: name as ResponseLimit, max } };
}

/** Runs one source under its deadline; resolves even when the adapter ignores the signal. */
async function withDeadline(source: SourceAdapter, query: PatientQuery): Promise<SourceResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new CodedError('SOURCE_TIMEOUT', { ms: source.timeoutMs });
      controller.abort(reason);
      reject(reason);
    }, source.timeoutMs);
  });
  try {
    return await Promise.race([source.fetchPatient(query, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    // A late answer after the deadline is discarded: the race is already decided.
    deadline.catch(() => undefined);
  }
}

/**
 * The most records one source's answer may bring into a summary (default of
 * `summary.maxItemsPerSource`). Every summary update re-merges, pushes and
 * stores all of them in one synchronous stretch: about 280,000 records held
 * the event loop for seconds. An answer over the limit is refused whole and
 * said as SOURCE_RESPONSE_TOO_LARGE (limit 'items') in that source's status;
 * its records are never cut to the limit, which would show a partial list as
 * complete.
 */
export const DEFAULT_MAX_ITEMS_PER_SOURCE = 100_000;

/** One source's answer, checked against the patient asked for, or its coded failure. */
export async function askSource(
  source: SourceAdapter,
  query: PatientQuery,
  logger: Logger,
  maxItems: number = DEFAULT_MAX_ITEMS_PER_SOURCE,
): Promise<Outcome> {
  const started = performance.now();
  const base = { sourceId: source.id, name: source.name };
  try {
    // The limit travels with the query, so that a source reading a large store can stop once over it.
    const result = guardIdentity(await withDeadline(source, { ...query, maxItems }), query);
    if (result.items.length > maxItems) {
      // Only the counts: never a record.
      throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'items', expected: maxItems, found: result.items.length });
    }
    const ms = Math.round(performance.now() - started);
    logger.info({ source: source.id, items: result.items.length, ms }, 'source answered');
    return {
      result,
      status: {
        ...base,
        state: 'ok',
        fetchedAt: result.fetchedAt,
        itemCount: result.items.length,
        ms,
        ...healthOf(source),
        // Records the answer held that could not be read: said, with how many.
        ...(result.skipped ? { skipped: result.skipped } : {}),
      },
    };
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    const code: ErrorCode = err instanceof CodedError ? err.code : 'INTERNAL';
    if (!(err instanceof CodedError)) {
      // Only the error's class name: an unexpected message may quote the response.
      logger.error({ source: source.id, err: (err as Error)?.name ?? typeof err }, 'source crashed');
    } else {
      logger.warn({ source: source.id, code, ms }, 'source failed');
    }
    const deadline = code === 'SOURCE_TIMEOUT' ? { deadlineMs: source.timeoutMs } : {};
    return { status: { ...base, state: stateFor(code), error: code, itemCount: 0, ms, ...deadline, ...limitOf(err), ...healthOf(source) } };
  }
}
