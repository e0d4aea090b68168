/**
 * Run from the demo's bundle (scripts/bundle-demo.mjs with this file as an
 * extra entry; sandboxProcess.test.ts): the demo runtime as `npm run demo`
 * starts it, Tolvan opened to the end; prints which sources gave items and
 * whether node-hl7-client was loaded from node_modules (it must not be: the
 * bundle carries its tree-shaken copy, docs/adr/0035).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import { startDemoRuntime } from '../../../src/main/demo/demoRuntime';
import { defaultConfigPath } from '../../../src/main/platform/paths';
import { openFinal } from '../../fixtures/openFinal';
import { signInForTest } from '../../fixtures/session';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'samsyn-bundled-open-'));
  const runtime = await startDemoRuntime({
    configPath: defaultConfigPath(),
    transport: 'preview',
    dataDir,
    keyProvider: fileKeyProvider(join(dataDir, 'cache.key'), { create: true }),
    sandboxes: 'process',
  });
  try {
    await signInForTest(runtime.services);
    const answer = await openFinal(runtime.services, '19121212-1212');
    if (!answer.ok) throw new Error(`open failed: ${answer.error.code}`);
    const from = [...new Set(Object.values(answer.final.sections).flat().flatMap((i) => i.sources.map((p) => p.sourceId)))].sort();
    const states = answer.final.sources.map((s) => s.state);
    const hl7FromNodeModules = Object.keys(require.cache).some((f) => f.includes(join('node_modules', 'node-hl7-client')));
    process.stdout.write(`${JSON.stringify({ from, states, hl7FromNodeModules })}\n`);
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
