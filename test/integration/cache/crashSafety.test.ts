/**
 * A process killed during a write loses at most that write. A child writes
 * summaries in a loop and reports each commit; it is killed with SIGKILL at
 * random moments, 20 times; then the cache must open cleanly (integrity_check)
 * and hold every summary the child reported as committed, intact.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../../src/main/cache/cacheDatabase';
import { createCacheStore } from '../../../src/main/cache/cacheStore';
import { createPatientKeyer } from '../../../src/main/cache/patientKey';
import { createLogger } from '../../../src/main/platform/logger';
import { crashIdentifier, crashSnapshot } from '../../fixtures/cache/crashData';

const KEY = Buffer.alloc(32, 0x42);
const ROUNDS = 20;
const dir = mkdtempSync(join(tmpdir(), 'samsyn-crash-'));
const root = join(__dirname, '..', '..', '..');
const writer = join(dir, 'crashWriter.cjs');

// Bundled once (tsx would spend a second per start on 20 starts); the native
// driver and the logger stay external and load from the project's node_modules.
beforeAll(() => {
  buildSync({
    entryPoints: [join(root, 'test', 'fixtures', 'cache', 'crashWriter.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3-multiple-ciphers', 'pino'],
    outfile: writer,
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has committed at least `minCommits`, then a random few ms more, then SIGKILL. */
function runAndKill(start: number, minCommits: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, KEY.toString('hex'), String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    });
    const committed: number[] = [];
    let buffer = '';
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) committed.push(Number(m[1]));
      }
      if (!killing && committed.length >= minCommits) {
        killing = true;
        // Somewhere inside a later write, not on a boundary we chose.
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    // 'close', not 'exit': every line the child wrote before dying is read first.
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve(committed);
    });
  });
}

describe('crash safety', () => {
  it(`keeps every committed summary intact across ${ROUNDS} SIGKILLs mid-write`, async () => {
    const committed: number[] = [];
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const got = await runAndKill(next, 1 + Math.floor(Math.random() * 5));
      committed.push(...got);
      next = Math.max(next, ...got) + 1;
    }
    expect(committed.length).toBeGreaterThanOrEqual(ROUNDS);

    const db = openCacheDatabase(join(dir, 'cache.db'), { key: KEY, create: false });
    const store = createCacheStore({
      db,
      patientKey: createPatientKeyer(KEY),
      clock: { now: () => new Date() },
      logger: createLogger('test'),
      retentionHours: 24 * 365,
    });
    try {
      expect(store.integrityCheck()).toEqual(['ok']);
      for (const n of committed) {
        expect(store.read(crashIdentifier(n)), `summary ${n}`).toEqual(crashSnapshot(n));
      }
      // At most the write in flight at each kill may have landed beyond the reported ones; none half-written.
      const stats = store.stats();
      expect(stats.snapshots % 2).toBe(0);
      expect(stats.patients - committed.length).toBeLessThanOrEqual(ROUNDS);
    } finally {
      store.close();
    }
  }, 120_000);
});
