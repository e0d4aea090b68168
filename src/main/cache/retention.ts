/**
 * Retention: expired patient data is purged when the cache opens and then
 * every hour. The timer is unref'd so it never keeps a process alive; the
 * cutoff comes from the store's injected clock, so tests move time, not timers.
 */
import type { Logger } from '../platform/logger';
import { HOUR_MS, type CacheStore } from './cacheStore';

export interface RetentionTimer {
  stop(): void;
}

export function startRetention(store: CacheStore, logger: Logger, intervalMs: number = HOUR_MS): RetentionTimer {
  const run = (reason: string) => {
    try {
      store.purgeExpired(reason);
    } catch (err) {
      logger.warn({ code: (err as { code?: string }).code ?? 'unknown' }, 'retention purge failed');
    }
  };
  run('start');
  const timer = setInterval(() => run('hourly'), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
