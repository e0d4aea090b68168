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
import { startSandboxes, type StartedSandbox } from '../sandbox/sandboxRegistry';

export interface DemoRuntime extends Runtime {
  sandboxes: StartedSandbox[];
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
}): Promise<DemoRuntime> {
  const { configPath, identity, ...rest } = options;
  const started = await startSandboxes(loadConfigFile(configPath));
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
