/**
 * The app's way in: open the cache or explain why not, never throw. A cache
 * that cannot be read (wrong key, damaged) is moved aside with a timestamp and
 * a new one is started; when no key can be had, the app runs live without a
 * cache. Either way the summaries say so (Summary.cache).
 */
import { join } from 'node:path';
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { CacheNotice } from '../../shared/summary';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { moveAside, openCacheDatabase } from './cacheDatabase';
import { createCacheStore, DEFAULT_RETENTION_HOURS, type CacheStore } from './cacheStore';
import type { KeyProvider } from './keyProvider';
import { createPatientKeyer } from './patientKey';
import { startRetention } from './retention';

export const CACHE_FILE = 'cache.db';
export const KEY_FILE = 'cache.key';

export interface CacheHandle {
  /** Absent when the app runs without a cache (see notice.error). */
  store?: CacheStore;
  notice: CacheNotice;
  retentionHours: number;
  path: string;
  close(): void;
}

export interface OpenCacheOptions {
  dir: string;
  keyProvider: KeyProvider;
  clock: Clock;
  logger: Logger;
  retentionHours?: number;
  /** Default one hour. */
  purgeIntervalMs?: number;
}

const SET_ASIDE: ReadonlySet<ErrorCode> = new Set(['CACHE_KEY_INVALID', 'CACHE_CORRUPT']);

const codeOf = (err: unknown): ErrorCode => (err instanceof CodedError ? err.code : 'CACHE_UNAVAILABLE');

export function openCache(options: OpenCacheOptions): CacheHandle {
  const { clock, logger } = options;
  const path = join(options.dir, CACHE_FILE);
  const retentionHours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
  const without = (error: ErrorCode): CacheHandle => {
    logger.warn({ code: error }, 'running without a local cache');
    return { notice: { available: false, error }, retentionHours, path, close: () => undefined };
  };

  let key: Buffer;
  try {
    key = options.keyProvider.getKey();
  } catch (err) {
    // Without a key the file may be perfectly sound: leave it where it is.
    return without(codeOf(err));
  }

  let notice: CacheNotice = { available: true };
  let db;
  try {
    db = openCacheDatabase(path, { key });
  } catch (err) {
    const code = codeOf(err);
    if (!SET_ASIDE.has(code)) return without(code);
    const aside = moveAside(path, code, clock.now());
    logger.warn({ code, file: aside.slice(options.dir.length + 1) }, 'unreadable cache moved aside; starting a new one');
    notice = { available: true, error: code, setAside: true };
    try {
      db = openCacheDatabase(path, { key });
    } catch (again) {
      return without(codeOf(again));
    }
  }

  const store = createCacheStore({
    db,
    patientKey: createPatientKeyer(key),
    clock,
    logger,
    retentionHours,
  });
  const retention = startRetention(store, logger, options.purgeIntervalMs);
  logger.info({ keyProvider: options.keyProvider.kind, retentionHours }, 'cache opened');
  return {
    store,
    notice,
    retentionHours,
    path,
    close() {
      retention.stop();
      store.close();
    },
  };
}
