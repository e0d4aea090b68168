/**
 * The app's way in: open the cache or explain why not, never throw. A cache
 * that cannot be read (wrong key, damaged, empty or not ours) is moved aside
 * with a timestamp and a new one is started; when no key can be had, or the
 * disk is full or read-only, the app runs live without a cache. Either way the
 * summaries say so (Summary.cache). Set-aside caches are purged with the same
 * retention, counted, and removed by "Töm cache" (setAside.ts, ADR 0010).
 */
import { join } from 'node:path';
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { CacheNotice } from '../../shared/summary';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { cacheError, moveAside, openCacheDatabase } from './cacheDatabase';
import { createCacheStore, DEFAULT_RETENTION_HOURS, HOUR_MS, type CacheStore } from './cacheStore';
import type { KeyProvider } from './keyProvider';
import { createPatientKeyer } from './patientKey';
import { startRetention } from './retention';
import { deleteSetAside, listSetAside } from './setAside';

export const CACHE_FILE = 'cache.db';
export const KEY_FILE = 'cache.key';

export interface CacheHandle {
  /** Absent when the app runs without a cache (see notice.error). */
  store?: CacheStore;
  /** Changes when a retention purge fails (and back when one succeeds). */
  notice: CacheNotice;
  retentionHours: number;
  path: string;
  /** Caches moved aside in the same folder (patient data too, under the same key). */
  setAside?: {
    count(): number;
    /** Deletes them all ("Töm cache"); returns how many. */
    clear(): number;
  };
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

const SET_ASIDE: ReadonlySet<ErrorCode> = new Set(['CACHE_KEY_INVALID', 'CACHE_CORRUPT', 'CACHE_NOT_A_CACHE']);

const codeOf = (err: unknown): ErrorCode => (err instanceof CodedError ? err.code : cacheError(err).code);

export function openCache(options: OpenCacheOptions): CacheHandle {
  const { clock, logger } = options;
  const path = join(options.dir, CACHE_FILE);
  const retentionHours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
  const setAside = {
    count: () => listSetAside(options.dir, CACHE_FILE).length,
    clear: () => deleteSetAside(options.dir, CACHE_FILE, undefined),
    purgeExpired: () => {
      const removed = deleteSetAside(options.dir, CACHE_FILE, new Date(clock.now().getTime() - retentionHours * HOUR_MS));
      if (removed > 0) logger.info({ removed }, 'set-aside caches past retention deleted');
    },
  };
  const without = (error: ErrorCode): CacheHandle => {
    logger.warn({ code: error }, 'running without a local cache');
    // Set-aside caches are purged even so: they need no key to be deleted.
    const retention = startRetention({ setAside: setAside.purgeExpired }, logger, options.purgeIntervalMs);
    return { notice: { available: false, error }, retentionHours, path, setAside, close: () => retention.stop() };
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
    let aside: string;
    try {
      aside = moveAside(path, code, clock.now());
    } catch (moveErr) {
      return without(codeOf(moveErr));
    }
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
  const opened = notice;
  const handle: CacheHandle = {
    store,
    notice,
    retentionHours,
    path,
    setAside,
    close() {
      retention.stop();
      store.close();
    },
  };
  const retention = startRetention(
    {
      store,
      setAside: setAside.purgeExpired,
      // A purge that fails (read-only file, full disk) is shown with its code until one succeeds.
      onError: (code) => {
        handle.notice = code ? { ...opened, error: code } : opened;
      },
    },
    logger,
    options.purgeIntervalMs,
  );
  logger.info({ keyProvider: options.keyProvider.kind, retentionHours }, 'cache opened');
  return handle;
}
