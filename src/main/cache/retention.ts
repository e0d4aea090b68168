/**
 * Retention: expired patient data is purged when the cache opens and then
 * every hour — the snapshots in the store and the set-aside caches beside it.
 * The timer is unref'd so it never keeps a process alive; the cutoff comes
 * from the injected clock, so tests move time, not timers. A purge that fails
 * (a read-only file, a full disk) is reported with its code through onError,
 * so it is shown, not only logged.
 */
import { type ErrorCode } from '../../shared/errors';
import type { Logger } from '../platform/logger';
import { cacheError } from './cacheDatabase';
import { HOUR_MS, type CacheStore } from './cacheStore';

export interface RetentionTimer {
  stop(): void;
}

export interface RetentionTasks {
  /** Snapshots past retention; absent when the app runs without a cache. */
  store?: CacheStore;
  /** Set-aside caches past retention. */
  setAside?: () => void;
  /** A purge failed, with its code; undefined when a later purge succeeded. */
  onError?: (code: ErrorCode | undefined) => void;
}

export function startRetention(tasks: RetentionTasks, logger: Logger, intervalMs: number = HOUR_MS): RetentionTimer {
  const run = (reason: string) => {
    let failed: ErrorCode | undefined;
    for (const task of [() => tasks.store?.purgeExpired(reason), tasks.setAside]) {
      try {
        task?.();
      } catch (err) {
        const coded = cacheError(err);
        failed ??= coded.code;
        logger.warn({ code: coded.code, cause: (err as { code?: string }).code ?? 'unknown' }, 'retention purge failed');
      }
    }
    tasks.onError?.(failed);
  };
  run('start');
  const timer = setInterval(() => run('hourly'), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
