/**
 * Where the cache's 256-bit key comes from. One interface, three homes: a key
 * file (0600) for the preview and the CLI, an environment variable for
 * deployments that inject secrets, and Electron's safeStorage (OS keychain) in
 * src/main/electron. The key is random per installation, never derived from a
 * guessable value.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../shared/errors';

export const CACHE_KEY_BYTES = 32;
export const CACHE_KEY_ENV = 'SAMSYN_CACHE_KEY';

export interface KeyProvider {
  /** For logs and `cache verify`: 'file' | 'env' | 'safeStorage'. Never the key. */
  readonly kind: string;
  /** Throws CodedError CACHE_KEY_* when no usable key can be had. */
  getKey(): Buffer;
}

/** 64 hex digits or base64/base64url of exactly 32 bytes; anything else is refused. */
export function parseKeyText(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === CACHE_KEY_BYTES) return key;
  }
  throw new CodedError('CACHE_KEY_INVALID', { reason: 'format' });
}

export function newCacheKey(): Buffer {
  return randomBytes(CACHE_KEY_BYTES);
}

export function envKeyProvider(env: NodeJS.ProcessEnv = process.env, name = CACHE_KEY_ENV): KeyProvider {
  return {
    kind: 'env',
    getKey() {
      const text = env[name];
      if (!text) throw new CodedError('CACHE_KEY_MISSING', { source: 'env' });
      return parseKeyText(text);
    },
  };
}

/** Group or other may read or write the file: someone else could take the key. */
function tooOpen(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}

/**
 * A key file holding the key as hex. Created once (exclusively, mode 0600, so two
 * processes starting together cannot both write one); a file that others can
 * read is refused rather than silently tightened, because the key may already
 * have leaked and the operator must know.
 */
export function fileKeyProvider(path: string, options: { create?: boolean } = {}): KeyProvider {
  const create = options.create ?? true;
  return {
    kind: 'file',
    getKey() {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CodedError('CACHE_KEY_INVALID', { reason: 'unreadable' });
        if (!create) throw new CodedError('CACHE_KEY_MISSING', { source: 'file' });
        return createKeyFile(path) ?? this.getKey();
      }
      try {
        const { mode } = fstatSync(fd);
        if (tooOpen(mode)) throw new CodedError('CACHE_KEY_INSECURE', { mode: (mode & 0o777).toString(8) });
        return parseKeyText(readFileSync(fd, 'utf8'));
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Returns the new key, or undefined when another process created the file first. */
function createKeyFile(path: string): Buffer | undefined {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new CodedError('CACHE_KEY_UNAVAILABLE', { reason: 'create' });
  }
  const key = newCacheKey();
  try {
    writeSync(fd, key.toString('hex') + '\n');
  } finally {
    closeSync(fd);
  }
  return key;
}

/**
 * The environment variable when set (deployments, CI), else the key file.
 * `create: false` for tools that must never make a new key (cache verify/purge).
 */
export function defaultKeyProvider(
  keyFile: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { create?: boolean } = {},
): KeyProvider {
  return env[CACHE_KEY_ENV] ? envKeyProvider(env) : fileKeyProvider(keyFile, options);
}
