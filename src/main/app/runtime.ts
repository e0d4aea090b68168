/**
 * Starts what a running app needs from a configuration file: the simulated
 * regions the configuration points at (`sandbox:REGION`), then the services.
 * Shared by the Electron shell and the browser-preview demo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFhirSandbox, type FhirSandbox } from '../sandbox/fhirServer';
import { createLogger } from '../log/logger';
import { systemClock, type Clock } from './clock';
import { loadConfigFile, type SamsynConfig } from './config';
import { createServices, type Services } from './createServices';
import { projectRoot } from './paths';

const log = createLogger('app.runtime');

export interface Runtime {
  config: SamsynConfig;
  services: Services;
  sandboxes: FhirSandbox[];
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
}): Promise<Runtime> {
  const config = loadConfigFile(options.configPath);
  const sandboxes: FhirSandbox[] = [];
  const sources = [];
  for (const source of config.sources) {
    const region = /^sandbox:([a-z0-9-]+)$/.exec(source.baseUrl)?.[1];
    if (region && source.enabled) {
      const sandbox = await startFhirSandbox({ region });
      sandboxes.push(sandbox);
      sources.push({ ...source, baseUrl: sandbox.url });
    } else {
      sources.push(source);
    }
  }
  const resolved: SamsynConfig = { ...config, sources };
  const services = createServices({
    config: resolved,
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
      await Promise.all(sandboxes.map((s) => s.close()));
    },
  };
}
