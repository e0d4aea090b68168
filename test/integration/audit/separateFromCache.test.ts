/**
 * The access log is kept apart from the clinical cache: its own file, opened
 * by the runtime beside the cache, and neither "Töm cache" (cache.clear), the
 * CLI's purge of everything, nor the cache's retention touches it.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/main/app/config';
import { startRuntime } from '../../../src/main/app/runtime';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import type { CacheCliIo } from '../../../src/main/cli/cacheCommand';
import { runCli } from '../../../src/main/cli/index';
import { SIX, tempDir } from './auditFixtures';

let dir: string;
let time = Date.parse('2026-11-25T08:00:00Z');
const clock = { now: () => new Date(time) };

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the access log beside the cache', () => {
  it('is opened by the runtime in its own file and survives cache.clear, purge --all and the retention time', async () => {
    const keyProvider = fileKeyProvider(join(dir, 'cache.key'));
    const runtime = await startRuntime({
      config: { sources: [], cache: { enabled: true, retentionHours: 1 } },
      configDir: dir,
      transport: 'preview',
      dataDir: dir,
      keyProvider,
      clock,
    });
    try {
      const log = runtime.accessLog.log!;
      expect(runtime.accessLog.error).toBeUndefined();
      expect(log.path).toBe(join(dir, 'audit.db'));
      for (const entry of SIX) log.append(entry);
      // A cache moved aside, so "Töm cache" has files to delete.
      writeFileSync(join(dir, 'cache.db.CACHE_CORRUPT-20261125T070000Z'), 'old');

      const cleared = await runtime.services.handlers['cache.clear']({});
      expect(cleared.ok).toBe(true);
      expect(readdirSync(dir).filter((f) => f.startsWith('cache.db.CACHE_CORRUPT'))).toEqual([]);
      expect(log.verify()).toMatchObject({ intact: true, records: 6 });
    } finally {
      await runtime.close();
    }

    time += 48 * 3600 * 1000;
    let out = '';
    const io: CacheCliIo = { out: (t) => (out += t), err: (t) => (out += t), now: () => new Date(time), env: {} };
    expect(await runCli(['cache', 'purge', '--all', '--dir', dir], io)).toBe(0);
    expect(existsSync(join(dir, 'audit.db'))).toBe(true);

    const again = await startRuntime({ config: { sources: [] }, configDir: dir, transport: 'preview', dataDir: dir, keyProvider, clock });
    try {
      expect(again.accessLog.log!.verify()).toMatchObject({ intact: true, records: 6 });
      expect(again.accessLog.log!.forPatient(SIX[1]!.patient!)).toHaveLength(3);
    } finally {
      await again.close();
    }
  });

  it('lives where `audit.dir` says (relative to the configuration file), under the installation key', async () => {
    const config = readConfig({ sources: [], cache: { enabled: false }, audit: { dir: 'records/access' } });
    expect(config.audit).toEqual({ dir: 'records/access' });
    const runtime = await startRuntime({ config, configDir: dir, transport: 'preview', dataDir: join(dir, 'data'), keyProvider: fileKeyProvider(join(dir, 'k')), clock });
    try {
      expect(runtime.accessLog.path).toBe(join(dir, 'records', 'access', 'audit.db'));
      expect(runtime.accessLog.log!.append(SIX[0]!).seq).toBe(1);
    } finally {
      await runtime.close();
    }
    expect(existsSync(join(dir, 'records', 'access', 'audit.db'))).toBe(true);
    expect(existsSync(join(dir, 'data', 'audit.db'))).toBe(false);
  });

  it('without a key the app still starts; the log is absent with the code, so accesses can be refused', async () => {
    const noKey = { kind: 'test', getKey: (): Buffer => fileKeyProvider(join(dir, 'missing.key'), { create: false }).getKey() };
    const runtime = await startRuntime({ config: { sources: [] }, configDir: dir, transport: 'preview', dataDir: dir, keyProvider: noKey, clock });
    try {
      expect(runtime.accessLog).toMatchObject({ error: 'CACHE_KEY_MISSING', path: join(dir, 'audit.db') });
      expect(runtime.accessLog.log).toBeUndefined();
    } finally {
      await runtime.close();
    }
  });
});
