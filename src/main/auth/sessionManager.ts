/**
 * The shared workstation's session (issue 10 item 2): who is signed in, whether
 * the screen is locked, and the idle lock. Every change of user, sign-out and
 * lock starts a new generation: an answer or pushed summary that began in an
 * older generation is dropped in the main process, never shown to whoever sits
 * at the screen now. The clock and timers are injected so tests drive time.
 */
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { SessionView, SignedInUser } from '../../shared/session';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { IdentityProvider } from './identityProvider';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const DEFAULT_IDLE_LOCK_SECONDS = 5 * 60;

export interface SessionManager {
  view(): SessionView;
  /** The signed-in, unlocked user, or the code why there is none (AUTH_REQUIRED, SESSION_LOCKED). */
  active(): { ok: true; user: SignedInUser; generation: number } | { ok: false; code: ErrorCode };
  /** Bumped by every sign-in, sign-out and lock. */
  generation(): number;
  signIn(request: { userId?: string }): Promise<{ authorizationUrl?: string }>;
  signOut(): void;
  lock(): void;
  /** The user did something: the idle countdown starts again. */
  touch(): void;
  /** Called after every change, with the new view. Returns the unsubscribe function. */
  onChange(listener: (view: SessionView) => void): () => void;
  close(): Promise<void>;
}

export function createSessionManager(deps: {
  provider: IdentityProvider;
  clock: Clock;
  logger: Logger;
  idleLockSeconds?: number;
  timers?: Timers;
}): SessionManager {
  const { provider, clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const idleMs = (deps.idleLockSeconds ?? DEFAULT_IDLE_LOCK_SECONDS) * 1000;
  const log = deps.logger.child({ component: 'session' });
  const listeners = new Set<(view: SessionView) => void>();
  let user: SignedInUser | undefined;
  let locked = false;
  let generation = 0;
  let pending = 0;
  let lastActivity = 0;
  let idleTimer: unknown;

  function view(): SessionView {
    const users = provider.users();
    return {
      ...(user ? { user } : {}),
      locked,
      provider: { kind: provider.kind, name: provider.name },
      ...(users ? { users } : {}),
      pending: pending > 0,
      idleLockSeconds: idleMs / 1000,
    };
  }

  function changed(): void {
    const current = view();
    for (const listener of listeners) {
      try {
        listener(current);
      } catch (err) {
        log.warn({ err: (err as Error)?.name ?? typeof err }, 'session listener failed');
      }
    }
  }

  function stopIdleTimer(): void {
    if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
    idleTimer = undefined;
  }

  /** One timer at a time: when it fires it locks, or waits out what is left since the last activity. */
  function armIdleTimer(afterMs: number): void {
    stopIdleTimer();
    idleTimer = timers.setTimeout(() => {
      idleTimer = undefined;
      if (!user || locked) return;
      const idle = clock.now().getTime() - lastActivity;
      if (idle >= idleMs) {
        log.info({ idleSeconds: Math.round(idle / 1000) }, 'idle lock');
        lock();
      } else armIdleTimer(idleMs - idle);
    }, afterMs);
  }

  function signedIn(next: SignedInUser): void {
    user = next;
    locked = false;
    generation += 1;
    lastActivity = clock.now().getTime();
    armIdleTimer(idleMs);
    log.info({ provider: next.provider, role: next.role }, 'signed in');
    changed();
  }

  function lock(): void {
    if (!user || locked) return;
    locked = true;
    generation += 1;
    stopIdleTimer();
    changed();
  }

  return {
    view,
    active() {
      if (!user) return { ok: false, code: 'AUTH_REQUIRED' };
      if (locked) return { ok: false, code: 'SESSION_LOCKED' };
      return { ok: true, user, generation };
    },
    generation: () => generation,
    async signIn(request) {
      const start = await provider.begin(request);
      if (start.kind === 'done') {
        signedIn(start.user);
        return {};
      }
      pending += 1;
      changed();
      start.completion.then(
        (next) => {
          pending -= 1;
          signedIn(next);
        },
        (err: unknown) => {
          pending -= 1;
          log.info({ code: err instanceof CodedError ? err.code : 'INTERNAL' }, 'sign-in did not complete');
          changed();
        },
      );
      return { authorizationUrl: start.authorizationUrl };
    },
    signOut() {
      provider.signOut();
      const had = user !== undefined;
      user = undefined;
      locked = false;
      generation += 1;
      stopIdleTimer();
      if (had) log.info('signed out');
      changed();
    },
    lock,
    touch() {
      if (!user || locked) return;
      lastActivity = clock.now().getTime();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      stopIdleTimer();
      listeners.clear();
      await provider.close();
    },
  };
}
