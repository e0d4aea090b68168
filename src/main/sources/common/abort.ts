/**
 * A source stopped by its signal: the summary aborts it with its own coded
 * reason at the deadline (askSource), kept as it is; any other abort is a
 * timeout.
 */
import { CodedError } from '../../../shared/errors';

export function abortError(signal: AbortSignal): CodedError {
  return signal.reason instanceof CodedError ? signal.reason : new CodedError('SOURCE_TIMEOUT');
}

/** Throws abortError when the signal (if any) is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
