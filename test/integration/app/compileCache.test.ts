/**
 * The V8 code cache for CommonJS modules (docs/adr/0030), in fresh processes:
 * the first load of node-hl7-client compiles from source and writes its
 * entry (zod's files are below the size and compile as usual); the next loads them from the cache and the library works; a
 * damaged entry is rejected by V8, the library still loads from source and the
 * entry is written again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/main/platform/paths';

const dir = mkdtempSync(join(tmpdir(), 'samsyn-compile-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads node-hl7-client with the cache on in a fresh process; what it reports. */
type Loaded = { mode: string; fromCache: number; fromSource: number; parsed: string; compilerPeak: number };

function load(cacheDir: string): Loaded {
  const script = `
    const { enableCompileCache, compileCacheStats } = require('./src/main/platform/compileCache.ts');
    const mode = enableCompileCache(${JSON.stringify(cacheDir)});
    require('zod');
    const { Message } = require('node-hl7-client');
    const parsed = new Message({ text: 'MSH|^~\\\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5' }).get('MSH.9.1').toString();
    // V8's own allocations at their peak: the parser's and compiler's memory.
    const compilerPeak = require('node:v8').getHeapStatistics().peak_malloced_memory;
    process.stdout.write(JSON.stringify({ mode, ...compileCacheStats, parsed, compilerPeak }));
  `;
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: projectRoot(), encoding: 'utf8', env: { ...process.env, VITEST: undefined } });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Loaded;
}

describe('code cache for CommonJS modules', () => {
  it('compiles node-hl7-client from source once, then loads it from the cache; the library works both times', () => {
    const cache = join(dir, 'a');
    const first = load(cache);
    expect(first.mode).toBe('hook'); // Node 20 has no module.enableCompileCache
    expect(first).toMatchObject({ fromCache: 0, parsed: 'ADT' });
    expect(first.fromSource).toBe(1); // node-hl7-client's bundle only
    const entries = readdirSync(cache);
    expect(entries).toHaveLength(1);
    for (const entry of entries) expect(statSync(join(cache, entry)).mode & 0o077).toBe(0);
    expect(statSync(cache).mode & 0o077).toBe(0);
    const second = load(cache);
    expect(second).toMatchObject({ fromCache: first.fromSource, fromSource: 0, parsed: 'ADT' });
    // The point of it: no parse of the 4 MB bundle, so no compiler memory peak (measured ~75 MB → ~7 MB).
    expect(second.compilerPeak).toBeLessThan(first.compilerPeak / 3);
  }, 120_000);

  it('rejects a damaged entry, compiles from source and writes the entry again', () => {
    const cache = join(dir, 'b');
    const first = load(cache);
    // The largest entry is node-hl7-client's bundle.
    const [largest] = readdirSync(cache).sort((a, b) => statSync(join(cache, b)).size - statSync(join(cache, a)).size);
    writeFileSync(join(cache, largest!), Buffer.alloc(4096, 7));
    const damaged = load(cache);
    expect(damaged).toMatchObject({ fromCache: first.fromSource - 1, fromSource: 1, parsed: 'ADT' });
    expect(load(cache)).toMatchObject({ fromCache: first.fromSource, fromSource: 0, parsed: 'ADT' });
  }, 120_000);
});
