/**
 * The access log as the configuration asks for it: where it lives (`audit.dir`,
 * default the app's data folder, the same as the cache's) and the installation
 * key. It cannot be turned off. Opening never throws: a log that cannot be
 * opened comes back with its code, and whoever logs accesses must refuse them
 * while it is missing.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { AUDIT_FILE, AUDIT_KEY_FILE, openAccessLog, type AccessLog, type AuditKeyProvider } from './accessLog';

/** The configuration's `audit` entry. */
export interface AuditSettings {
  dir?: string | undefined;
}

export interface AccessLogHandle {
  /** Absent when the log cannot be opened (see error). */
  log?: AccessLog;
  error?: ErrorCode;
  path: string;
  close(): void;
}

export function openConfiguredAccessLog(options: {
  settings: AuditSettings | undefined;
  /** Where a relative `audit.dir` is resolved (the config file's folder). */
  configDir: string;
  dataDir: string;
  /** Electron's safeStorage provider; otherwise `defaultKeyProvider(DIR/cache.key)`. */
  keyProvider?: AuditKeyProvider;
  /** The key file provider for a folder (the cache's: SAMSYN_CACHE_KEY, else the key file). */
  defaultKeyProvider: (keyFile: string) => AuditKeyProvider;
  clock: Clock;
  logger: Logger;
}): AccessLogHandle {
  const configured = options.settings?.dir;
  const dir = configured ? (isAbsolute(configured) ? configured : resolve(options.configDir, configured)) : options.dataDir;
  const path = join(dir, AUDIT_FILE);
  try {
    const log = openAccessLog({
      dir,
      keyProvider: options.keyProvider ?? options.defaultKeyProvider(join(dir, AUDIT_KEY_FILE)),
      clock: options.clock,
      logger: options.logger,
    });
    return { log, path, close: () => log.close() };
  } catch (err) {
    const error: ErrorCode = err instanceof CodedError ? err.code : 'AUDIT_UNAVAILABLE';
    options.logger.error({ code: error, params: err instanceof CodedError ? err.params : undefined }, 'access log cannot be opened');
    return { error, path, close: () => undefined };
  }
}
