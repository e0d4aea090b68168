/** The cache's commands for the settings view: counts only, never patient data. */
import type { ResponseOf } from '../../shared/api';
import { type ErrorCode, fail, ok, type Result } from '../../shared/errors';
import { cacheError } from './cacheDatabase';
import type { CacheHandle } from './openCache';

/** How many set-aside caches there are; undefined when the folder cannot be listed. */
function setAsideCount(handle: CacheHandle): number | undefined {
  try {
    return handle.setAside?.count();
  } catch {
    return undefined;
  }
}

export function cacheStatus(handle: CacheHandle | undefined): Result<ResponseOf<'cache.status'>> {
  if (!handle) return ok({ available: false, error: 'CACHE_UNAVAILABLE', retentionHours: 0, patients: 0, snapshots: 0 });
  const setAsideFiles = setAsideCount(handle);
  const base = {
    available: handle.notice.available && handle.store !== undefined,
    ...(handle.notice.error ? { error: handle.notice.error } : {}),
    ...(handle.notice.setAside ? { setAside: true } : {}),
    ...(setAsideFiles !== undefined ? { setAsideFiles } : {}),
    retentionHours: handle.retentionHours,
  };
  if (!handle.store) return ok({ ...base, patients: 0, snapshots: 0 });
  const stats = handle.store.stats();
  return ok({
    ...base,
    patients: stats.patients,
    snapshots: stats.snapshots,
    ...(stats.oldestAt ? { oldestAt: stats.oldestAt } : {}),
  });
}

/** "Töm cache": every snapshot, and every set-aside cache (patient data too) — even when the cache itself is unavailable. */
export function clearCache(handle: CacheHandle | undefined): Result<ResponseOf<'cache.clear'>> {
  let setAsideError: ErrorCode | undefined;
  try {
    handle?.setAside?.clear();
  } catch (err) {
    setAsideError = cacheError(err).code;
  }
  if (!handle?.store) return fail(handle?.notice.error ?? 'CACHE_UNAVAILABLE');
  let removed: number;
  try {
    removed = handle.store.clear();
  } catch (err) {
    return fail(cacheError(err).code);
  }
  return setAsideError ? fail(setAsideError) : ok({ removed });
}
