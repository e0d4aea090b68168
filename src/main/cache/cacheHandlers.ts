/** The cache's commands for the settings view: counts only, never patient data. */
import type { ResponseOf } from '../../shared/api';
import { fail, ok, type Result } from '../../shared/errors';
import type { CacheHandle } from './openCache';

export function cacheStatus(handle: CacheHandle | undefined): Result<ResponseOf<'cache.status'>> {
  if (!handle) return ok({ available: false, error: 'CACHE_UNAVAILABLE', retentionHours: 0, patients: 0, snapshots: 0 });
  const base = {
    available: handle.notice.available && handle.store !== undefined,
    ...(handle.notice.error ? { error: handle.notice.error } : {}),
    ...(handle.notice.setAside ? { setAside: true } : {}),
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

export function clearCache(handle: CacheHandle | undefined): Result<ResponseOf<'cache.clear'>> {
  if (!handle?.store) return fail(handle?.notice.error ?? 'CACHE_UNAVAILABLE');
  return ok({ removed: handle.store.clear() });
}
