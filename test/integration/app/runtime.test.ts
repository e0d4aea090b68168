/**
 * The composition root as the demo and Electron use it: the demo configuration
 * starts every sandbox it names, and one summary combines FHIR and HL7 v2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../../src/main/platform/paths';
import { startRuntime, type Runtime } from '../../../src/main/app/runtime';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';

let runtime: Runtime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'samsyn-runtime-'));
  runtime = await startRuntime({
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
      const where = 'baseUrl' in source ? source.baseUrl : 'host' in source ? source.host : source.folder;
      expect(String(where)).not.toMatch(/^sandbox:/);
    }
  });

  it('opens one summary from FHIR regions and HL7 v2 sources together', async () => {
    const answer = await runtime.services.handlers['summary.open']({ patient: '19121212-1212' });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const states = Object.fromEntries(answer.value.sources.map((s) => [s.sourceId, s.state]));
    expect(states).toEqual({ 'region-nord': 'ok', 'region-syd': 'ok', 'kommun-vast': 'ok', 'lab-ost-files': 'ok' });
    const kinds = new Set(Object.values(answer.value.sections).flat().flatMap((i) => i.sources.map((p) => p.sourceId)));
    expect(kinds.has('kommun-vast')).toBe(true);
    expect(kinds.has('region-nord')).toBe(true);
  });
});
