import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import { KEY_FILE, openCache } from '../../../src/main/cache/openCache';
import type { CacheCliIo } from '../../../src/main/cli/cacheCommand';
import { runCli } from '../../../src/main/cli/index';
import { createLogger } from '../../../src/main/platform/logger';

const NOW = new Date('2026-11-25T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'samsyn-cli-cache-'));
const ID = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, now = NOW) {
  let out = '';
  let err = '';
  // The cache command reads `env` from the same io object (CacheCliIo extends CliIo).
  const io: CacheCliIo = { out: (t) => (out += t), err: (t) => (err += t), now: () => now, env };
  const code = await runCli(args, io);
  return { code, out, err };
}

function seed(answeredAt: Date): void {
  const handle = openCache({
    dir,
    keyProvider: fileKeyProvider(join(dir, KEY_FILE)),
    clock: { now: () => answeredAt },
    logger: createLogger('test'),
  });
  handle.store?.write(ID, [
    { sourceId: 'region-nord', answeredAt: answeredAt.toISOString(), subjects: [{ identifiers: [ID], name: 'Tolvan Tolvansson' }], items: [] },
  ]);
  handle.close();
}

describe('samsyn cache', () => {
  it('verify prints integrity and counts, never patient data', async () => {
    seed(new Date(NOW.getTime() - 3_600_000));
    const { code, out } = await cli(['cache', 'verify', '--dir', dir]);
    expect(code).toBe(0);
    expect(out).toContain('integrity: ok');
    expect(out).toContain('patients: 1');
    expect(out).toContain('sources: region-nord 1');
    expect(out).not.toContain('Tolvan');
    expect(out).not.toContain(ID.value);
    const json = JSON.parse((await cli(['cache', 'verify', '--dir', dir, '--json'])).out) as { snapshots: number; cipher: string };
    expect(json).toMatchObject({ snapshots: 1, cipher: 'chacha20' });
  });

  it('purge removes what is older than the retention time, --all removes everything', async () => {
    seed(new Date(NOW.getTime() - 13 * 3_600_000));
    const purged = await cli(['cache', 'purge', '--dir', dir]);
    expect(purged).toMatchObject({ code: 0, out: 'removed 1 snapshot(s)\n' });
    seed(new Date(NOW.getTime() - 3_600_000));
    expect((await cli(['cache', 'purge', '--dir', dir])).out).toBe('removed 0 snapshot(s)\n');
    expect((await cli(['cache', 'purge', '--dir', dir, '--all'])).out).toBe('removed 1 snapshot(s)\n');
  });

  it('a wrong key is one coded line and exit 2, and the file is left as it is', async () => {
    const wrong = { SAMSYN_CACHE_KEY: Buffer.alloc(32, 1).toString('hex') };
    const { code, err } = await cli(['cache', 'verify', '--dir', dir], wrong);
    expect(code).toBe(2);
    expect(err).toMatch(/^samsyn: CACHE_KEY_INVALID/);
    expect((await cli(['cache', 'verify', '--dir', dir])).code).toBe(0);
  });

  it('refuses a key file others can read, and a missing cache', async () => {
    chmodSync(join(dir, KEY_FILE), 0o644);
    expect((await cli(['cache', 'verify', '--dir', dir])).err).toMatch(/CACHE_KEY_INSECURE/);
    chmodSync(join(dir, KEY_FILE), 0o600);
    const missing = await cli(['cache', 'verify', '--dir', join(dir, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect((await cli(['cache', 'frobnicate'])).code).toBe(64);
  });
});
