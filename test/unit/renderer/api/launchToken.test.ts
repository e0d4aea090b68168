import { describe, expect, it } from 'vitest';
import { takeLaunchToken } from '../../../../src/renderer/api/launchToken';

function fakeWindow(hash: string) {
  const location = { hash, pathname: '/', search: '?x=1' };
  const replaced: string[] = [];
  const history = {
    state: null,
    replaceState: (_state: unknown, _title: string, url?: string | URL | null) => {
      replaced.push(String(url));
      location.hash = '';
    },
  };
  const session = new Map<string, string>();
  const storage = { getItem: (k: string) => session.get(k) ?? null, setItem: (k: string, v: string) => void session.set(k, v) };
  return { location, history, storage, replaced };
}

describe('takeLaunchToken', () => {
  it('reads the token from the fragment and removes it from the address bar', () => {
    const w = fakeWindow('#token=abc-_123');
    expect(takeLaunchToken(w.location, w.history, w.storage)).toBe('abc-_123');
    expect(w.replaced).toEqual(['/?x=1']);
  });

  it('keeps the token for a reload of the same tab', () => {
    const w = fakeWindow('#token=abc');
    takeLaunchToken(w.location, w.history, w.storage);
    expect(takeLaunchToken(w.location, w.history, w.storage)).toBe('abc');
    expect(w.replaced).toHaveLength(1);
  });

  it('leaves the address alone when there is no token', () => {
    const w = fakeWindow('#section-alerts');
    expect(takeLaunchToken(w.location, w.history, w.storage)).toBeUndefined();
    expect(w.replaced).toEqual([]);
  });
});
