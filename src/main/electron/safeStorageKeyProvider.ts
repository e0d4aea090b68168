/**
 * The desktop app's cache key: 32 random bytes, stored only wrapped by
 * Electron's safeStorage (DPAPI on Windows, Keychain on macOS, libsecret or
 * kwallet on Linux), in a file beside the cache. Unwrapping needs the same OS
 * user on the same machine, so a copied disk yields an unreadable cache.
 */
import { safeStorage } from 'electron';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../shared/errors';
import { newCacheKey, parseKeyText, type KeyProvider } from '../cache/keyProvider';

export const WRAPPED_KEY_FILE = 'cache.key.safestorage';

export function safeStorageKeyProvider(path: string): KeyProvider {
  return {
    kind: 'safeStorage',
    getKey() {
      if (!safeStorage.isEncryptionAvailable()) throw new CodedError('CACHE_KEY_UNAVAILABLE', { store: 'safeStorage' });
      // On Linux without a keyring Electron falls back to a hard-coded password: not a secret.
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        throw new CodedError('CACHE_KEY_UNAVAILABLE', { store: 'basic_text' });
      }
      if (existsSync(path)) {
        let text: string;
        try {
          text = safeStorage.decryptString(readFileSync(path));
        } catch {
          throw new CodedError('CACHE_KEY_INVALID', { store: 'safeStorage' });
        }
        return parseKeyText(text);
      }
      const key = newCacheKey();
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, safeStorage.encryptString(key.toString('hex')));
      } finally {
        closeSync(fd);
      }
      return key;
    },
  };
}
