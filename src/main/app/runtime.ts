/**
 * Starts what a running app needs from a configuration: the encrypted cache
 * and the services. Shared by the Electron shell, the browser preview and the
 * demo. It starts no simulated system: the demo (src/main/demo) does that and
 * hands in the configuration rewritten to reach them; a `sandbox:` source seen
 * here is shown as disabled.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openConfiguredAccessLog, type AccessLogHandle } from '../audit/configuredAccessLog';
import { defaultDataDir, openConfiguredCache } from '../cache/configuredCache';
import { defaultKeyProvider, type KeyProvider } from '../cache/keyProvider';
import { systemClock, type Clock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { projectRoot } from '../platform/paths';
import { type DrugCodeMap, loadDrugCodeMaps } from '../summary/drugCodes';
import { CodedError } from '../../shared/errors';
import { loadConfigFile, type SamsynConfig } from './config';
import { createServices, type Services } from './createServices';

const log = createLogger('app.runtime');

export interface Runtime {
  config: SamsynConfig;
  services: Services;
  /**
   * The access log (src/main/audit), opened beside the cache but never part of
   * it: no retention, not cleared with it. `accessLog.log` is absent when it
   * cannot be opened (`accessLog.error`); accesses must then be refused.
   */
  accessLog: AccessLogHandle;
  close(): Promise<void>;
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where the configuration comes from: a file, or one already loaded (relative paths resolve against configDir). */
export type ConfigSource = { configPath: string } | { config: SamsynConfig; configDir: string };

/**
 * The configured drug-code tables. A table that cannot be read or is broken is
 * left out with its code in the log (no patient data is in it) and the app
 * starts; `samsyn config check` fails on it, so it is never only in a log.
 */
function loadConfiguredDrugCodes(config: SamsynConfig, configDir: string): DrugCodeMap | undefined {
  const paths = config.terminology?.drugCodeMaps ?? [];
  if (paths.length === 0) return undefined;
  try {
    return loadDrugCodeMaps(paths, configDir);
  } catch (err) {
    const coded = err instanceof CodedError ? err.toAppError() : { code: 'TERMINOLOGY_INVALID' };
    log.warn({ error: coded }, 'drug-code table refused; substances are compared by the codes sources send');
    return undefined;
  }
}

export async function startRuntime(
  options: ConfigSource & {
    transport: 'electron' | 'preview';
    clock?: Clock;
    /** Where the cache lives unless the config says (Electron: userData). */
    dataDir?: string;
    /** The cache key's home (Electron: safeStorage); default SAMSYN_CACHE_KEY or a key file. */
    keyProvider?: KeyProvider;
  },
): Promise<Runtime> {
  const config = 'config' in options ? options.config : loadConfigFile(options.configPath);
  const configDir = 'config' in options ? options.configDir : dirname(options.configPath);
  const clock = options.clock ?? systemClock;
  const cache = openConfiguredCache({
    settings: config.cache,
    configDir,
    dataDir: options.dataDir ?? defaultDataDir(projectRoot()),
    ...(options.keyProvider ? { keyProvider: options.keyProvider } : {}),
    clock,
    logger: log.child({ component: 'cache' }),
  });
  const accessLog = openConfiguredAccessLog({
    settings: config.audit,
    configDir,
    dataDir: options.dataDir ?? defaultDataDir(projectRoot()),
    ...(options.keyProvider ? { keyProvider: options.keyProvider } : {}),
    defaultKeyProvider: (keyFile) => defaultKeyProvider(keyFile),
    clock,
    logger: log.child({ component: 'audit' }),
  });
  const drugCodes = loadConfiguredDrugCodes(config, configDir);
  const services = createServices({
    config,
    ...(drugCodes ? { drugCodes } : {}),
    ...(cache ? { cache } : {}),
    clock,
    logger: log,
    transport: options.transport,
    version: appVersion(),
    // Every access is logged; when the log cannot be opened, every patient access is refused.
    accessLog,
  });
  log.info({ sources: config.sources.length }, 'runtime started');
  return {
    config,
    services,
    accessLog,
    close: async () => {
      await services.summary.settled();
      await services.session.close();
      cache?.close();
      accessLog.close();
    },
  };
}
