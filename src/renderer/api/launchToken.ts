const SESSION_KEY = 'samsyn.previewToken';

type LocationLike = Pick<Location, 'hash' | 'pathname' | 'search'>;
type HistoryLike = Pick<History, 'replaceState' | 'state'>;
type SessionStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Reads the preview's per-launch token from `#token=...` and removes it from
 * the address bar at once, so it is not left in view, in history or in a
 * bookmark. It is kept for this tab only (sessionStorage) so a reload still works.
 */
export function takeLaunchToken(location: LocationLike, history: HistoryLike, session?: SessionStore): string | undefined {
  const fragment = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  const token = new URLSearchParams(fragment).get('token') ?? undefined;
  if (token) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    try {
      session?.setItem(SESSION_KEY, token);
    } catch {
      // Without sessionStorage a reload needs a fresh link; the current page still works.
    }
    return token;
  }
  try {
    return session?.getItem(SESSION_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
