/**
 * What the user chose to see, kept for the signed-in session (in memory only):
 * which sections are collapsed, whether medications show as a list or as the
 * reconciliation. Kept per user, so on a shared workstation the next user
 * starts from the defaults; kept across patients, because it is a way of
 * working (a dental receptionist who folds away care contacts wants them
 * folded for the next patient too). Collapsed sections still show their count
 * and critical marks, and printing expands every section.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { useSamsyn } from '../store/StoreProvider';

const byUser = new Map<string, Map<string, string>>();
const listeners = new Set<() => void>();
let version = 0;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  version += 1;
  for (const l of listeners) l();
}

/** Sets several keys at once (expand all, collapse all). */
export function setViewStates(user: string, entries: readonly (readonly [string, string])[]): void {
  let map = byUser.get(user);
  if (!map) {
    map = new Map();
    byUser.set(user, map);
  }
  for (const [k, v] of entries) map.set(k, v);
  changed();
}

/** The signed-in user's id ('' when none): the key the states are kept under. */
export function useViewUser(): string {
  return useSamsyn((s) => s.session?.user?.userId ?? '');
}

/** One remembered choice, with its default until the user makes it. */
export function useViewState<T extends string>(key: string, fallback: T): [T, (value: T) => void] {
  const user = useViewUser();
  useSyncExternalStore(subscribe, () => version);
  const value = (byUser.get(user)?.get(key) as T | undefined) ?? fallback;
  const set = useCallback((next: T) => setViewStates(user, [[key, next]]), [user, key]);
  return [value, set];
}
