/**
 * The composition root as the demo uses it: the demo configuration starts
 * every sandbox it names, and one summary combines FHIR and HL7 v2. The
 * product's runtime alone starts no sandbox and shows such sources as disabled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../../src/main/platform/paths';
import { startRuntime } from '../../../src/main/app/runtime';
import { startDemoRuntime, type DemoRuntime } from '../../../src/main/demo/demoRuntime';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';

let runtime: DemoRuntime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'samsyn-runtime-'));
  runtime = await startDemoRuntime({
    configPath: defaultConfigPath(),
    transport: 'preview',
    dataDir,
    keyProvider: fileKeyProvider(join(dataDir, 'cache.key'), { create: true }),
  });
});

afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runtime on the demo configuration', () => {
  it('points every sandbox source at a running sandbox on 127.0.0.1', () => {
    expect(runtime.sandboxes).toHaveLength(runtime.config.sources.length);
    for (const source of runtime.config.sources) {
      const where = 'baseUrl' in source ? source.baseUrl : 'host' in source ? source.host : (source as { folder?: unknown }).folder;
      expect(String(where)).not.toMatch(/^sandbox:/);
    }
  });

  it('opens one summary from FHIR regions and HL7 v2 sources together', async () => {
    const answer = await runtime.services.handlers['summary.open']({ patient: '19121212-1212' });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const summary = materializeSummary(answer.value);
    const states = Object.fromEntries(summary.sources.map((s) => [s.sourceId, s.state]));
    expect(states).toEqual({ 'region-nord': 'ok', 'region-syd': 'ok', 'nll-se': 'ok', hemmonitorering: 'ok', 'mvc-syd': 'ok', 'kommun-vast': 'ok', 'lab-ost-files': 'ok' });
    const kinds = new Set(Object.values(summary.sections).flat().flatMap((i) => i.sources.map((p) => p.sourceId)));
    expect(kinds.has('kommun-vast')).toBe(true);
    expect(kinds.has('region-nord')).toBe(true);
  });
});

describe('the product runtime on the demo configuration, without the demo', () => {
  it('starts no simulated system and shows every sandbox source as disabled, with the reason', async () => {
    const productDir = mkdtempSync(join(tmpdir(), 'samsyn-product-'));
    const product = await startRuntime({
      configPath: defaultConfigPath(),
      transport: 'preview',
      dataDir: productDir,
      keyProvider: fileKeyProvider(join(productDir, 'cache.key'), { create: true }),
    });
    try {
      const answer = await product.services.handlers['summary.open']({ patient: '19121212-1212' });
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      const summary = materializeSummary(answer.value);
      expect(summary.sources.length).toBeGreaterThan(0);
      for (const source of summary.sources) {
        expect(source).toMatchObject({ state: 'disabled', error: 'SOURCE_DISABLED', itemCount: 0 });
      }
    } finally {
      await product.close();
      rmSync(productDir, { recursive: true, force: true });
    }
  });
});
