import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CACHE_KEY_ENV,
  defaultKeyProvider,
  envKeyProvider,
  fileKeyProvider,
  parseKeyText,
} from '../../../../src/main/cache/keyProvider';
import { codeOf } from '../../../fixtures/codeOf';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('file key provider', () => {
  it('creates a random 256-bit key once, mode 0600, and returns the same key afterwards', () => {
    const path = join(tempDir(), 'sub', 'cache.key');
    const first = fileKeyProvider(path).getKey();
    expect(first).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(fileKeyProvider(path).getKey().equals(first)).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.toString('hex'));
  });

  it('gives different installations different keys', () => {
    const a = fileKeyProvider(join(tempDir(), 'cache.key')).getKey();
    const b = fileKeyProvider(join(tempDir(), 'cache.key')).getKey();
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a key file that others can read, without changing it', () => {
    const path = join(tempDir(), 'cache.key');
    fileKeyProvider(path).getKey();
    chmodSync(path, 0o644);
    expect(codeOf(() => fileKeyProvider(path).getKey())).toBe('CACHE_KEY_INSECURE');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('refuses a key file with the wrong content, and does not create one when told not to', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not a key\n', { mode: 0o600 });
    expect(codeOf(() => fileKeyProvider(bad).getKey())).toBe('CACHE_KEY_INVALID');
    expect(codeOf(() => fileKeyProvider(join(dir, 'none.key'), { create: false }).getKey())).toBe('CACHE_KEY_MISSING');
  });
});

describe('environment key provider', () => {
  const key = Buffer.alloc(32, 0xab);

  it('accepts 64 hex digits and base64 of 32 bytes', () => {
    expect(envKeyProvider({ [CACHE_KEY_ENV]: key.toString('hex') }).getKey().equals(key)).toBe(true);
    expect(envKeyProvider({ [CACHE_KEY_ENV]: key.toString('base64') }).getKey().equals(key)).toBe(true);
    expect(envKeyProvider({ [CACHE_KEY_ENV]: key.toString('base64url') }).getKey().equals(key)).toBe(true);
  });

  it('says which is wrong: missing or malformed (short keys are refused)', () => {
    expect(codeOf(() => envKeyProvider({}).getKey())).toBe('CACHE_KEY_MISSING');
    expect(codeOf(() => envKeyProvider({ [CACHE_KEY_ENV]: 'abcd' }).getKey())).toBe('CACHE_KEY_INVALID');
    expect(codeOf(() => parseKeyText(Buffer.alloc(16).toString('base64')))).toBe('CACHE_KEY_INVALID');
  });

  it('is preferred over the key file when set', () => {
    const path = join(tempDir(), 'cache.key');
    expect(defaultKeyProvider(path, { [CACHE_KEY_ENV]: key.toString('hex') }).kind).toBe('env');
    expect(defaultKeyProvider(path, {}).kind).toBe('file');
  });
});
