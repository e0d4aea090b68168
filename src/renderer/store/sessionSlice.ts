/**
 * Who is signed in (issue 10). On sign-out, a switch of user or a lock, every
 * patient view and every cached setting leaves the store at once, and an answer
 * still on its way is ignored (the patient slice's request counter moves on).
 */
import type { SamsynBridge } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { SessionView } from '../../shared/session';
import { safeInvoke } from './safeInvoke';
import type { SliceCreator } from './sliceTypes';

export interface SessionSlice {
  session: SessionView | null;
  sessionError: AppError | null;
  /** An OpenID Connect sign-in waits for the browser; its URL, to open again if the window was lost. */
  signInUrl: string | null;
  loadSession(): Promise<void>;
  signIn(userId?: string): Promise<void>;
  signOut(): Promise<void>;
  lockSession(): Promise<void>;
  /** The user did something: told to the services at most once per throttle interval. */
  reportActivity(): void;
  /** A session as the services tell it (answer or pushed 'session.changed'). */
  receiveSession(view: SessionView): void;
}

/** Whether the screen must forget the patient: nobody signed in, locked, or another user. */
function mustClear(previous: SessionView | null, next: SessionView): boolean {
  if (!next.user || next.locked) return true;
  return previous?.user?.userId !== next.user.userId || previous.user.provider !== next.user.provider;
}

export function createSessionSlice(
  bridge: SamsynBridge,
  options: { now?: () => number; openUrl?: (url: string) => void } = {},
): SliceCreator<SessionSlice> {
  const now = options.now ?? (() => Date.now());
  let lastReported = Number.NEGATIVE_INFINITY;
  return (set, get) => {
    /** Every patient view and settings cache goes; in-flight patient answers are ignored. */
    function clearUserData(): void {
      get().clearPatient();
      set({ settingsOpen: false, cacheStatus: null, cacheError: null, cacheCleared: null });
    }
    return {
      session: null,
      sessionError: null,
      signInUrl: null,

      receiveSession(view) {
        if (mustClear(get().session, view)) clearUserData();
        set({ session: view, ...(view.pending ? {} : { signInUrl: null }) });
      },

      async loadSession() {
        const answer = await safeInvoke(bridge, 'session.get', {});
        if (answer.ok) get().receiveSession(answer.value);
        else set({ sessionError: answer.error });
      },

      async signIn(userId) {
        set({ sessionError: null });
        const answer = await safeInvoke(bridge, 'session.signIn', userId ? { userId } : {});
        if (!answer.ok) {
          set({ sessionError: answer.error });
          return;
        }
        get().receiveSession(answer.value.session);
        if (answer.value.authorizationUrl) {
          set({ signInUrl: answer.value.authorizationUrl });
          options.openUrl?.(answer.value.authorizationUrl);
        }
      },

      async signOut() {
        clearUserData();
        const answer = await safeInvoke(bridge, 'session.signOut', {});
        if (answer.ok) get().receiveSession(answer.value);
        else set({ sessionError: answer.error });
      },

      async lockSession() {
        clearUserData();
        const answer = await safeInvoke(bridge, 'session.lock', {});
        if (answer.ok) get().receiveSession(answer.value);
        else set({ sessionError: answer.error });
      },

      reportActivity() {
        const view = get().session;
        if (!view?.user || view.locked) return;
        const interval = Math.min(15_000, (view.idleLockSeconds * 1000) / 4);
        const at = now();
        if (at - lastReported < interval) return;
        lastReported = at;
        void safeInvoke(bridge, 'session.activity', {});
      },
    };
  };
}
