/**
 * The cache as the configuration asks for it: where it lives, which key, how
 * long data is kept. Returns undefined when the configuration turns it off.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { defaultKeyProvider, type KeyProvider } from './keyProvider';
import { KEY_FILE, openCache, type CacheHandle } from './openCache';

/** The preview's and CLI's data folder: SAMSYN_DATA_DIR, else `.samsyn/` in the project (git-ignored). */
export function defaultDataDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.SAMSYN_DATA_DIR ? resolve(env.SAMSYN_DATA_DIR) : join(projectRoot, '.samsyn');
}

/** The configuration's `cache` entry. */
export interface CacheSettings {
  enabled: boolean;
  retentionHours: number;
  dir?: string | undefined;
}

export function openConfiguredCache(options: {
  settings: CacheSettings | undefined;
  /** Where a relative `cache.dir` is resolved (the config file's folder). */
  configDir: string;
  dataDir: string;
  /** Electron passes its safeStorage provider; otherwise SAMSYN_CACHE_KEY or a key file beside the cache. */
  keyProvider?: KeyProvider;
  clock: Clock;
  logger: Logger;
}): CacheHandle | undefined {
  const settings = options.settings;
  if (settings && !settings.enabled) return undefined;
  const dir = settings?.dir
    ? isAbsolute(settings.dir)
      ? settings.dir
      : resolve(options.configDir, settings.dir)
    : options.dataDir;
  return openCache({
    dir,
    keyProvider: options.keyProvider ?? defaultKeyProvider(join(dir, KEY_FILE)),
    clock: options.clock,
    logger: options.logger,
    ...(settings?.retentionHours ? { retentionHours: settings.retentionHours } : {}),
  });
}
