/**
 * The demo's composition: the simulated systems a configuration points at
 * (sandbox registry), then the product's own runtime on the configuration
 * rewritten to reach them. The product never imports the sandbox; the demo
 * composes the two.
 */
import { dirname } from 'node:path';
import { loadConfigFile } from '../app/config';
import { oidcSettingsSchema } from '../auth/oidcProvider';
import { startRuntime, type Runtime } from '../app/runtime';
import type { KeyProvider } from '../cache/keyProvider';
import type { Clock } from '../platform/clock';
import type { IdentitySandbox } from '../sandbox/identityProvider';
import type { BaseSourceSettings } from '../sources/registry';
import type { SandboxPatientListing } from './sandboxListing';

export interface DemoRuntime extends Runtime {
  /** The sources that point at a running sandbox (rewritten to reach it). */
  sandboxes: { source: BaseSourceSettings }[];
  /** With `sandboxes: 'process'`: the sandbox process's id and the patients it holds. */
  sandboxProcess?: { pid: number; patients: SandboxPatientListing[] };
  /** The sandbox OpenID Connect provider, when the demo signs in through it. */
  identityProvider?: IdentitySandbox;
}

export async function startDemoRuntime(options: {
  configPath: string;
  transport: 'electron' | 'preview';
  clock?: Clock;
  dataDir?: string;
  keyProvider?: KeyProvider;
  /** 'oidc': sign in through the sandbox identity provider instead of the local directory (SAMSYN_DEMO_IDENTITY=oidc). */
  identity?: 'local' | 'oidc';
  /**
   * Where the simulated systems run: 'process' (npm run demo) in a child
   * process of their own, as remote systems are never in the app's process;
   * 'in-process' (the default; tests) in this one.
   */
  sandboxes?: 'in-process' | 'process';
}): Promise<DemoRuntime> {
  const { configPath, identity, sandboxes: where, ...rest } = options;
  const loaded = loadConfigFile(configPath);
  // Loaded only where they run: the app's process imports no sandbox module when they have their own.
  const started =
    where === 'process'
      ? await (await import('./sandboxProcess.js')).startSandboxProcess(loaded)
      : await (await import('../sandbox/sandboxRegistry.js')).startSandboxes(loaded);
  // The sandbox identity provider (oidc-provider and its dependencies) is loaded only when the demo signs in through it.
  const sandboxIdp = identity === 'oidc' ? await import('../sandbox/identityProvider.js') : undefined;
  const idp = sandboxIdp ? await sandboxIdp.startIdentitySandbox() : undefined;
  const config =
    idp && sandboxIdp
      ? {
          ...started.config,
          identity: oidcSettingsSchema.parse({ provider: 'oidc', name: 'Sandbox-IdP', issuer: idp.issuer, clientId: idp.clientId, scopes: sandboxIdp.SANDBOX_SCOPES }),
        }
      : started.config;
  try {
    const runtime = await startRuntime({ ...rest, config, configDir: dirname(configPath) });
    return {
      ...runtime,
      sandboxes: started.sandboxes,
      ...('pid' in started ? { sandboxProcess: { pid: started.pid, patients: started.patients } } : {}),
      ...(idp ? { identityProvider: idp } : {}),
      close: async () => {
        await runtime.close();
        await started.close();
        await idp?.close();
      },
    };
  } catch (err) {
    await started.close();
    await idp?.close();
    throw err;
  }
}
