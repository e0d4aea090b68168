/**
 * For sandboxProcess.test.ts: the demo runtime in a fresh process, the
 * sandboxes where argv[2] says ('process' | 'in-process'), Tolvan opened to
 * the end; prints the product's own sandbox modules this process loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import { startDemoRuntime } from '../../../src/main/demo/demoRuntime';
import { defaultConfigPath } from '../../../src/main/platform/paths';
import { signInForTest, stateCareFor } from '../../fixtures/session';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-demo-modules-'));
  const runtime = await startDemoRuntime({
    configPath: defaultConfigPath(),
    transport: 'preview',
    dataDir: dir,
    keyProvider: fileKeyProvider(join(dir, 'cache.key'), { create: true }),
    sandboxes: process.argv[2] === 'process' ? 'process' : 'in-process',
  });
  try {
    await signInForTest(runtime.services);
    await stateCareFor(runtime.services, '191212121212');
    const sandboxDir = `${sep}src${sep}main${sep}sandbox${sep}`;
    const modules = Object.keys(require.cache).filter((f) => f.includes(sandboxDir)).map((f) => f.slice(f.indexOf(sandboxDir) + 1));
    process.stdout.write(`${JSON.stringify({ sandboxModules: modules, ownModules: Object.keys(require.cache).filter((f) => f.includes(`${sep}src${sep}main${sep}`)).length })}\n`);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
