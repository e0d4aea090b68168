/** The settings panel: the local cache's status and "Töm cache". */
import type { ResponseOf, SamsynBridge } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { safeInvoke } from './safeInvoke';
import type { SliceCreator } from './sliceTypes';

export type CacheStatus = ResponseOf<'cache.status'>;

export interface SettingsSlice {
  settingsOpen: boolean;
  cacheStatus: CacheStatus | null;
  cacheError: AppError | null;
  /** How many snapshots the last "Töm cache" removed. */
  cacheCleared: number | null;
  openSettings(): void;
  closeSettings(): void;
  loadCacheStatus(): Promise<void>;
  clearCache(): Promise<void>;
}

export function createSettingsSlice(bridge: SamsynBridge): SliceCreator<SettingsSlice> {
  return (set, get) => ({
    settingsOpen: false,
    cacheStatus: null,
    cacheError: null,
    cacheCleared: null,

    openSettings() {
      set({ settingsOpen: true, cacheCleared: null });
      void get().loadCacheStatus();
    },

    closeSettings() {
      set({ settingsOpen: false });
    },

    async loadCacheStatus() {
      const answer = await safeInvoke(bridge, 'cache.status', {});
      if (answer.ok) set({ cacheStatus: answer.value, cacheError: null });
      else set({ cacheError: answer.error });
    },

    async clearCache() {
      const answer = await safeInvoke(bridge, 'cache.clear', {});
      if (answer.ok) set({ cacheCleared: answer.value.removed, cacheError: null });
      else set({ cacheError: answer.error, cacheCleared: null });
      await get().loadCacheStatus();
    },
  });
}
