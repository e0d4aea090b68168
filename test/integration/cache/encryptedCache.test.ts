/**
 * The cache file on disk: unreadable without the key, a wrong key or a damaged
 * file moved aside (kept) with a coded reason, and the app carrying on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../../src/main/cache/cacheDatabase';
import { fileKeyProvider, type KeyProvider } from '../../../src/main/cache/keyProvider';
import { CACHE_FILE, openCache, type CacheHandle } from '../../../src/main/cache/openCache';
import type { SourceSnapshot } from '../../../src/main/cache/cacheStore';
import { createLogger } from '../../../src/main/platform/logger';
import type { ClinicalItem } from '../../../src/shared/summary';

const NAME = 'Tolvan Tolvansson';
const ID = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };
const NOW = new Date('2026-11-25T10:00:00Z');
const clock = { now: () => NOW };
const logger = createLogger('test.cache');

const dirs: string[] = [];
const handles: CacheHandle[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-cache-'));
  dirs.push(dir);
  return dir;
}
function open(dir: string, keyProvider: KeyProvider = fileKeyProvider(join(dir, 'cache.key'))): CacheHandle {
  const handle = openCache({ dir, keyProvider, clock, logger });
  handles.push(handle);
  return handle;
}
afterEach(() => {
  for (const h of handles.splice(0)) h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function item(text: string): ClinicalItem {
  return {
    section: 'allergies',
    codes: [{ system: 'http://snomed.info/sct', code: '764146007', display: text }],
    text,
    details: {},
    sealed: false,
    provenance: { sourceId: 'region-nord', sourceName: 'Region Nord', recordId: 'a1', fetchedAt: NOW.toISOString() },
  };
}

function snapshot(): SourceSnapshot {
  return {
    sourceId: 'region-nord',
    answeredAt: NOW.toISOString(),
    subjects: [{ identifiers: [ID], name: NAME }],
    items: [item('Penicillinallergi hos Tolvan Tolvansson')],
  };
}

const fixedKey = (byte: number): KeyProvider => ({ kind: 'test', getKey: () => Buffer.alloc(32, byte) });

describe('encrypted cache file', () => {
  it('holds no readable patient text, neither in the database nor in its WAL', () => {
    const dir = tempDir();
    const handle = open(dir);
    handle.store?.write(ID, [snapshot()]);
    expect(handle.store?.read(ID)[0]?.subjects[0]?.name).toBe(NAME);
    // Before the checkpoint the data sits in the WAL; check both, then the checkpointed file.
    const wal = readFileSync(join(dir, `${CACHE_FILE}-wal`));
    expect(wal.length).toBeGreaterThan(0);
    for (const needle of [NAME, 'Tolvan', ID.value, 'Penicillin', 'snapshot', 'SQLite format 3']) {
      expect(wal.includes(needle), needle).toBe(false);
      expect(readFileSync(join(dir, CACHE_FILE)).includes(needle), needle).toBe(false);
    }
    handle.close();
    const db = readFileSync(join(dir, CACHE_FILE));
    expect(db.length).toBeGreaterThan(4096);
    for (const needle of [NAME, 'Tolvan', ID.value, 'Penicillin']) expect(db.includes(needle), needle).toBe(false);
  });

  it('creates an encrypted cache with 16 KiB pages (fewer pages to encrypt per summary)', () => {
    const dir = tempDir();
    const db = openCacheDatabase(join(dir, 'pages.db'), { key: Buffer.alloc(32, 7) });
    try {
      expect(db.pragma('page_size', { simple: true })).toBe(16384);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    const again = openCacheDatabase(join(dir, 'pages.db'), { key: Buffer.alloc(32, 7), create: false });
    try {
      expect(again.pragma('page_size', { simple: true })).toBe(16384);
    } finally {
      again.close();
    }
  });

  it('keys rows by an HMAC of the identifier, never the identifier itself', () => {
    const dir = tempDir();
    const handle = open(dir, fixedKey(1));
    handle.store?.write(ID, [snapshot()]);
    handle.close();
    // Opened with the key, the table itself must not name the patient.
    const again = open(dir, fixedKey(1));
    expect(again.store?.read(ID)).toHaveLength(1);
    expect(again.store?.read({ ...ID, value: '199001012385' })).toHaveLength(0);
    const stats = again.store?.stats();
    expect(stats?.patients).toBe(1);
    expect(JSON.stringify(stats)).not.toContain(ID.value);
  });

  it('a wrong key: CACHE_KEY_INVALID, the old file moved aside and kept, a new cache started', () => {
    const dir = tempDir();
    const first = open(dir, fixedKey(1));
    first.store?.write(ID, [snapshot()]);
    first.close();
    const before = readFileSync(join(dir, CACHE_FILE));

    const second = open(dir, fixedKey(2));
    expect(second.notice).toEqual({ available: true, error: 'CACHE_KEY_INVALID', setAside: true });
    expect(second.store?.read(ID)).toEqual([]);
    const aside = readdirSync(dir).find((f) => /^cache\.db\.CACHE_KEY_INVALID-\d{8}T\d{6}Z$/.test(f));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside ?? '')).equals(before)).toBe(true);
    second.close();

    // The file set aside still opens with the right key: nothing was lost.
    const kept = openCacheDatabase(join(dir, aside ?? ''), { key: Buffer.alloc(32, 1), create: false });
    expect((kept.prepare('SELECT count(*) AS n FROM snapshot').get() as { n: number }).n).toBe(1);
    kept.close();
  });

  it('a damaged file: CACHE_CORRUPT, moved aside byte for byte, and the app still caches', () => {
    const dir = tempDir();
    const first = open(dir, fixedKey(1));
    first.store?.write(ID, [snapshot()]);
    first.close();
    const path = join(dir, CACHE_FILE);
    const damaged = Buffer.from(readFileSync(path));
    damaged.fill(0x5a, 0, 512);
    writeFileSync(path, damaged);

    const second = open(dir, fixedKey(1));
    expect(second.notice).toEqual({ available: true, error: 'CACHE_CORRUPT', setAside: true });
    const aside = readdirSync(dir).filter((f) => f.startsWith('cache.db.CACHE_CORRUPT-'));
    expect(aside.some((f) => readFileSync(join(dir, f)).equals(damaged))).toBe(true);
    second.store?.write(ID, [snapshot()]);
    expect(second.store?.read(ID)).toHaveLength(1);
  });

  it('never replaces an earlier file set aside at the same second', () => {
    const dir = tempDir();
    for (const byte of [1, 2, 3]) {
      const h = open(dir, fixedKey(byte));
      h.store?.write(ID, [snapshot()]);
      h.close();
    }
    expect(readdirSync(dir).filter((f) => /^cache\.db\.CACHE_KEY_INVALID-[0-9TZ-]+$/.test(f))).toHaveLength(2);
  });

  it('without a usable key the app runs without a cache and leaves the file alone', () => {
    const dir = tempDir();
    const first = open(dir, fixedKey(1));
    first.store?.write(ID, [snapshot()]);
    first.close();
    const handle = open(dir, { kind: 'test', getKey: () => fileKeyProvider(join(dir, 'nope'), { create: false }).getKey() });
    expect(handle.store).toBeUndefined();
    expect(handle.notice).toEqual({ available: false, error: 'CACHE_KEY_MISSING' });
    expect(existsSync(join(dir, CACHE_FILE))).toBe(true);
    expect(readdirSync(dir).some((f) => f.includes('CACHE_'))).toBe(false);
  });
});
