/**
 * The demo's composition: the simulated systems a configuration points at
 * (sandbox registry), then the product's own runtime on the configuration
 * rewritten to reach them. The product never imports the sandbox; the demo
 * composes the two.
 */
import { dirname } from 'node:path';
import { loadConfigFile } from '../app/config';
import { startRuntime, type Runtime } from '../app/runtime';
import type { KeyProvider } from '../cache/keyProvider';
import type { Clock } from '../platform/clock';
import { startSandboxes, type StartedSandbox } from '../sandbox/sandboxRegistry';

export interface DemoRuntime extends Runtime {
  sandboxes: StartedSandbox[];
}

export async function startDemoRuntime(options: {
  configPath: string;
  transport: 'electron' | 'preview';
  clock?: Clock;
  dataDir?: string;
  keyProvider?: KeyProvider;
}): Promise<DemoRuntime> {
  const { configPath, ...rest } = options;
  const started = await startSandboxes(loadConfigFile(configPath));
  try {
    const runtime = await startRuntime({ ...rest, config: started.config, configDir: dirname(configPath) });
    return {
      ...runtime,
      sandboxes: started.sandboxes,
      close: async () => {
        await runtime.close();
        await started.close();
      },
    };
  } catch (err) {
    await started.close();
    throw err;
  }
}
