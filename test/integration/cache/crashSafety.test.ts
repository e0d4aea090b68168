/**
 * A process killed during a write loses at most that write. A child writes
 * summaries in a loop and reports each commit; it is killed with SIGKILL at
 * random moments, 100 times; then the cache must open cleanly (integrity_check)
 * and hold every summary the child reported as committed, intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWriter, runAndKill as runWriterAndKill } from '../../fixtures/killableWriter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../../src/main/cache/cacheDatabase';
import { createCacheStore } from '../../../src/main/cache/cacheStore';
import { createPatientKeyer } from '../../../src/main/cache/patientKey';
import { createLogger } from '../../../src/main/platform/logger';
import { crashIdentifier, crashSnapshot } from '../../fixtures/cache/crashData';

const KEY = Buffer.alloc(32, 0x42);
// Issue 14 asks for at least 100 kills of each writer.
const ROUNDS = 100;
const dir = mkdtempSync(join(tmpdir(), 'samsyn-crash-'));
const root = join(__dirname, '..', '..', '..');
const writer = join(dir, 'crashWriter.cjs');

// Bundled once (tsx would spend a second per start on 20 starts); the native
// driver and the logger stay external and load from the project's node_modules.
beforeAll(() => {
  bundleWriter(join(root, 'test', 'fixtures', 'cache', 'crashWriter.ts'), writer);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has committed at least `minCommits`, then a random few ms more, then SIGKILL. */
async function runAndKill(start: number, minCommits: number): Promise<number[]> {
  return (await runWriterAndKill(writer, [dir, KEY.toString('hex'), String(start)], minCommits)).map((fields) => Number(fields[0]));
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
  }, 900_000);
});
