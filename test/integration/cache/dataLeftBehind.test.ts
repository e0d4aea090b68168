/**
 * No patient data left behind (issue 14, item 4, and the cache's rows of the
 * fault matrix): caches moved aside are counted, purged with the retention
 * period and by "Töm cache"; an empty or foreign cache.db is refused like a
 * damaged one; a full disk and a read-only cache say so in their own codes and
 * the app goes on live.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/app/createServices';
import { cacheStatus, clearCache } from '../../../src/main/cache/cacheHandlers';
import { openCacheDatabase } from '../../../src/main/cache/cacheDatabase';
import { createCacheStore, HOUR_MS } from '../../../src/main/cache/cacheStore';
import { CACHE_FILE, KEY_FILE, openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import { fileKeyProvider, type KeyProvider } from '../../../src/main/cache/keyProvider';
import { createPatientKeyer } from '../../../src/main/cache/patientKey';
import { startRetention } from '../../../src/main/cache/retention';
import type { CacheCliIo } from '../../../src/main/cli/cacheCommand';
import { runCli } from '../../../src/main/cli/index';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import type { ErrorCode } from '../../../src/shared/errors';
import { sandboxQuery } from '../../fixtures/patientQuery';
import { faultyDisk, type FaultyDisk } from '../hl7v2/faultyDisk';

const START = Date.parse('2026-11-25T08:00:00Z');
const ID = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };
const KEY_A: KeyProvider = { kind: 'test', getKey: () => Buffer.alloc(32, 1) };
const KEY_B: KeyProvider = { kind: 'test', getKey: () => Buffer.alloc(32, 2) };
const logger = createLogger('test.cache');
const snapshot = (at: number) => ({
  sourceId: 'region-nord',
  answeredAt: new Date(at).toISOString(),
  subjects: [{ identifiers: [ID], name: 'Tolvan Tolvansson' }],
  items: [],
});

async function cli(args: string[], env: NodeJS.ProcessEnv, now: Date) {
  let out = '';
  let err = '';
  const io: CacheCliIo = { out: (t) => (out += t), err: (t) => (err += t), now: () => now, env };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('caches moved aside', () => {
  let dir: string;
  let time: number;
  const clock = { now: () => new Date(time) };
  const handles: CacheHandle[] = [];
  const open = (keyProvider: KeyProvider) => {
    const handle = openCache({ dir, keyProvider, clock, logger, retentionHours: 12 });
    handles.push(handle);
    return handle;
  };
  const files = () => readdirSync(dir).sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samsyn-left-behind-'));
    time = START;
  });
  afterEach(() => {
    for (const h of handles.splice(0)) h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are counted in cache.status, kept through the retention period, then deleted with their companions', async () => {
    const first = open(KEY_A);
    first.store?.write(ID, [snapshot(time)]);
    first.close();
    // The key changes (a new installation key): the old cache is moved aside, still readable with key A.
    time = START + HOUR_MS;
    const second = open(KEY_B);
    expect(second.notice).toEqual({ available: true, error: 'CACHE_KEY_INVALID', setAside: true });
    expect(cacheStatus(second)).toMatchObject({ ok: true, value: { setAsideFiles: 1 } });
    expect(files().filter((f) => f.includes('CACHE_KEY_INVALID'))).toEqual([
      expect.stringMatching(/^cache\.db\.CACHE_KEY_INVALID-\d{8}T\d{6}Z$/),
      expect.stringMatching(/\.keyid$/),
    ]);
    second.close();

    // Just inside the retention period after it was moved aside: kept.
    time = START + HOUR_MS + 12 * HOUR_MS - 1;
    open(KEY_B).close();
    expect(files().some((f) => f.includes('CACHE_KEY_INVALID'))).toBe(true);
    // Past it: the purge at start deletes it and its companions.
    time = START + HOUR_MS + 12 * HOUR_MS + 1;
    const later = open(KEY_B);
    expect(files().some((f) => f.includes('CACHE_KEY_INVALID'))).toBe(false);
    expect(cacheStatus(later)).toMatchObject({ ok: true, value: { setAsideFiles: 0 } });
  });

  it('"Töm cache" deletes them too, even when the app runs without a cache', async () => {
    open(KEY_A).close();
    writeFileSync(join(dir, CACHE_FILE), 'not a database at all, and certainly not encrypted');
    const handle = open(KEY_A);
    expect(handle.notice).toMatchObject({ error: 'CACHE_CORRUPT', setAside: true });
    handle.store?.write(ID, [snapshot(time)]);
    expect(clearCache(handle)).toEqual({ ok: true, value: { removed: 1 } });
    expect(files().filter((f) => f.startsWith(`${CACHE_FILE}.`) && !['cache.db.keyid'].includes(f) && !f.endsWith('-wal') && !f.endsWith('-shm'))).toEqual([]);
    expect(cacheStatus(handle)).toMatchObject({ ok: true, value: { setAsideFiles: 0 } });

    // Without a key the live cache cannot be opened, but what was moved aside can still be deleted.
    handle.close();
    writeFileSync(join(dir, CACHE_FILE), 'damaged again');
    open(KEY_A).close();
    const keyless = open({ kind: 'test', getKey: () => { throw Object.assign(new Error('x'), { code: 'x' }); } });
    expect(cacheStatus(keyless)).toMatchObject({ ok: true, value: { available: false, setAsideFiles: 1 } });
    expect(clearCache(keyless)).toMatchObject({ ok: false });
    expect(cacheStatus(keyless)).toMatchObject({ ok: true, value: { setAsideFiles: 0 } });
  });

  it('samsyn cache verify counts them; purge removes them past retention, purge --all at once', async () => {
    const provider = fileKeyProvider(join(dir, KEY_FILE));
    open(provider).store?.write(ID, [snapshot(time)]);
    for (const h of handles.splice(0)) h.close();
    writeFileSync(join(dir, CACHE_FILE), Buffer.alloc(0));
    open(provider).close();
    const env = { SAMSYN_DATA_DIR: dir };
    const verify = await cli(['cache', 'verify', '--dir', dir], env, new Date(time));
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('set-aside caches: 1');
    expect(JSON.parse((await cli(['cache', 'verify', '--dir', dir, '--json'], env, new Date(time))).out)).toMatchObject({ setAsideFiles: 1 });
    expect((await cli(['cache', 'purge', '--dir', dir], env, new Date(time))).out).toBe('removed 0 snapshot(s)\n');
    expect((await cli(['cache', 'purge', '--dir', dir, '--all'], env, new Date(time))).out).toBe('removed 0 snapshot(s)\nremoved 1 set-aside cache(s)\n');
    expect((await cli(['cache', 'verify', '--dir', dir], env, new Date(time))).out).toContain('set-aside caches: 0');
  });
});

describe('a cache.db that is not ours', () => {
  let dir: string;
  const clock = { now: () => new Date(START) };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samsyn-not-ours-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusedAs = (make: () => void, reason: string) => {
    make();
    expect(() => openCacheDatabase(join(dir, CACHE_FILE), { key: KEY_A.getKey(), create: false })).toThrow(
      expect.objectContaining({ code: 'CACHE_NOT_A_CACHE', params: { reason } }),
    );
    const handle = openCache({ dir, keyProvider: KEY_A, clock, logger });
    try {
      expect(handle.notice).toEqual({ available: true, error: 'CACHE_NOT_A_CACHE', setAside: true });
      expect(handle.store).toBeDefined();
      expect(readdirSync(dir).some((f) => /^cache\.db\.CACHE_NOT_A_CACHE-/.test(f))).toBe(true);
    } finally {
      handle.close();
    }
  };

  it('an empty (0-byte) file is refused, set aside and replaced; cache verify says so with exit 2', async () => {
    writeFileSync(join(dir, CACHE_FILE), Buffer.alloc(0));
    const verify = await cli(['cache', 'verify', '--dir', dir], { SAMSYN_CACHE_KEY: Buffer.alloc(32, 1).toString('hex') }, new Date(START));
    expect(verify).toMatchObject({ code: 2, out: '' });
    expect(verify.err).toMatch(/^samsyn: CACHE_NOT_A_CACHE/);
    refusedAs(() => undefined, 'empty');
  });

  it('an unencrypted SQLite file is refused', () => {
    refusedAs(() => {
      const db = new Database(join(dir, CACHE_FILE));
      db.exec('CREATE TABLE notes (text TEXT)');
      db.close();
    }, 'unencrypted');
  });

  it('a database under our key with tables that are not ours is refused', () => {
    refusedAs(() => {
      const db = new Database(join(dir, CACHE_FILE));
      db.pragma("cipher = 'chacha20'");
      db.key(KEY_A.getKey());
      db.exec('CREATE TABLE notes (text TEXT)');
      db.close();
    }, 'foreign');
  });
});

describe('a full disk and a read-only cache', () => {
  let disk: FaultyDisk;
  beforeEach(() => {
    disk = faultyDisk(2_048);
  });
  afterEach(() => disk.cleanup());

  it(`a full disk: writes fail as CACHE_DISK_FULL, the summary is answered live and says so`, async () => {
    const sandbox = await startFhirSandbox({ region: 'nord' });
    const clock = { now: () => new Date(START) };
    const cache = openCache({ dir: disk.dir, keyProvider: KEY_A, clock, logger });
    try {
      expect(cache.store).toBeDefined();
      // A really full disk where a tmpfs can be mounted (root); otherwise only the direct check below runs.
      if (disk.mounted) disk.fill();
      const services = createServices({
        config: { sources: [] },
        sources: [createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: sandbox.url, timeoutMs: 3_000, pageSize: 500, clock })],
        cache,
        clock,
        logger,
        transport: 'preview',
        version: 'test',
      });
      const summary = await services.summary.open(sandboxQuery('tolvan', clock.now()));
      expect(summary.sources.map((s) => s.state)).toEqual(['ok']);
      if (disk.mounted) expect(summary.cache).toMatchObject({ error: 'CACHE_DISK_FULL' });
      if (disk.mounted) {
        // A new cache on the full disk: refused with the code, the app runs live.
        const fresh = openCache({ dir: join(disk.dir, 'second'), keyProvider: KEY_A, clock, logger });
        expect(fresh.store).toBeUndefined();
        expect(fresh.notice).toEqual({ available: false, error: 'CACHE_DISK_FULL' });
        fresh.close();
      } else {
        // Without tmpfs, SQLite's page limit gives the same SQLITE_FULL: a write on a full database is coded.
        const db = openCacheDatabase(join(disk.dir, 'limited.db'), { key: KEY_A.getKey() });
        db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
        const limited = createCacheStore({ db, patientKey: createPatientKeyer(KEY_A.getKey()), clock, logger });
        const big = { ...snapshot(START), subjects: [{ identifiers: [ID], name: 'x'.repeat(4 * 1024 * 1024) }] };
        expect(() => limited.write(ID, [big])).toThrow(expect.objectContaining({ code: 'CACHE_DISK_FULL' }));
        limited.close();
      }
      await services.summary.settled();
    } finally {
      cache.close();
      await sandbox.close();
    }
  });

  it('a read-only cache: the retention purge fails with CACHE_READ_ONLY and is shown, not only logged', () => {
    const clock = { now: () => new Date(START) };
    const path = join(disk.dir, CACHE_FILE);
    openCacheDatabase(path, { key: KEY_A.getKey() }).close();
    // A real read-only SQLite handle: the purge's DELETE is refused by SQLite itself.
    const db = openCacheDatabase(path, { key: KEY_A.getKey(), readonly: true });
    const store = createCacheStore({ db, patientKey: createPatientKeyer(KEY_A.getKey()), clock, logger });
    const codes: (ErrorCode | undefined)[] = [];
    const retention = startRetention({ store, onError: (code) => codes.push(code) }, logger);
    retention.stop();
    store.close();
    expect(codes).toEqual(['CACHE_READ_ONLY']);
  });

  it('a read-only folder at open: CACHE_READ_ONLY in cache.status, and the app runs live', () => {
    const clock = { now: () => new Date(START) };
    openCache({ dir: disk.dir, keyProvider: KEY_A, clock, logger }).close();
    disk.readOnly();
    if (!disk.mounted) {
      // No tmpfs to remount (not root): a cache folder that is a file gives the file system's own refusal instead.
      rmSync(disk.dir, { recursive: true, force: true });
      writeFileSync(disk.dir, '');
    }
    const handle = openCache({ dir: disk.mounted ? disk.dir : join(disk.dir, 'cache'), keyProvider: KEY_A, clock, logger });
    try {
      expect(handle.store).toBeUndefined();
      expect(cacheStatus(handle)).toMatchObject({ ok: true, value: { available: false, error: disk.mounted ? 'CACHE_READ_ONLY' : expect.any(String) } });
      expect(existsSync(disk.dir)).toBe(true);
    } finally {
      handle.close();
    }
  });
});
