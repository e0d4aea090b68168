/**
 * Starts what a running app needs from a configuration file: the simulated
 * regions the configuration points at (`sandbox:REGION`), then the services.
 * Shared by the Electron shell and the browser-preview demo.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultDataDir, openConfiguredCache } from '../cache/configuredCache';
import type { KeyProvider } from '../cache/keyProvider';
import { startSandboxFor, type StartedSandbox } from '../sandbox/sandboxRegistry';
import { createLogger } from '../platform/logger';
import { systemClock, type Clock } from '../platform/clock';
import { loadConfigFile, type SamsynConfig } from './config';
import { createServices, type Services } from './createServices';
import { projectRoot } from '../platform/paths';

const log = createLogger('app.runtime');

export interface Runtime {
  config: SamsynConfig;
  services: Services;
  sandboxes: StartedSandbox[];
  close(): Promise<void>;
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function startRuntime(options: {
  configPath: string;
  transport: 'electron' | 'preview';
  clock?: Clock;
  /** Where the cache lives unless the config says (Electron: userData). */
  dataDir?: string;
  /** The cache key's home (Electron: safeStorage); default SAMSYN_CACHE_KEY or a key file. */
  keyProvider?: KeyProvider;
}): Promise<Runtime> {
  const config = loadConfigFile(options.configPath);
  const started = await Promise.all(config.sources.map((source) => startSandboxFor(source)));
  const sources = config.sources.map((source, i) => started[i]?.source ?? source);
  const sandboxes = started.filter((s): s is StartedSandbox => s !== undefined);
  const resolved: SamsynConfig = { ...config, sources };
  const cache = openConfiguredCache({
    config: resolved,
    configDir: dirname(options.configPath),
    dataDir: options.dataDir ?? defaultDataDir(projectRoot()),
    ...(options.keyProvider ? { keyProvider: options.keyProvider } : {}),
    clock: options.clock ?? systemClock,
    logger: log.child({ component: 'cache' }),
  });
  const services = createServices({
    config: resolved,
    ...(cache ? { cache } : {}),
    clock: options.clock ?? systemClock,
    logger: log,
    transport: options.transport,
    version: appVersion(),
  });
  log.info({ sources: sources.length, sandboxes: sandboxes.length }, 'runtime started');
  return {
    config: resolved,
    services,
    sandboxes,
    close: async () => {
      await services.summary.settled();
      cache?.close();
      await Promise.all(sandboxes.map((s) => s.close()));
    },
  };
}
