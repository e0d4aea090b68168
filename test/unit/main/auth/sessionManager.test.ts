/** The shared workstation's session: the idle lock driven by a test clock and test timers, generations, listeners. */
import { describe, expect, it } from 'vitest';
import { createLocalDirectory } from '../../../../src/main/auth/localDirectory';
import { createSessionManager, type Timers } from '../../../../src/main/auth/sessionManager';
import { createLogger } from '../../../../src/main/platform/logger';
import type { SessionView } from '../../../../src/shared/session';

/** Time that moves only when the test says; timers fire when their time has come. */
function manualTime(start = Date.parse('2026-11-30T08:00:00Z')) {
  let now = start;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    clock: { now: () => new Date(now) },
    timers,
    pendingCount: () => pending.size,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

function setup(idleLockSeconds = 300) {
  const time = manualTime();
  const provider = createLocalDirectory({ clock: time.clock });
  const session = createSessionManager({ provider, clock: time.clock, timers: time.timers, logger: createLogger('test'), idleLockSeconds });
  const views: SessionView[] = [];
  session.onChange((v) => views.push(v));
  return { time, session, views };
}

describe('SessionManager', () => {
  it('starts signed out: patients need a sign-in', () => {
    const { session } = setup();
    expect(session.view()).toMatchObject({ locked: false, pending: false, provider: { kind: 'local', name: 'local' }, idleLockSeconds: 300 });
    expect(session.view().user).toBeUndefined();
    expect(session.view().users?.map((u) => u.role)).toEqual(expect.arrayContaining(['nurse', 'municipalCare', 'dental']));
    expect(session.active()).toEqual({ ok: false, code: 'AUTH_REQUIRED' });
  });

  it('locks after the idle time, not before', async () => {
    const { session, time, views } = setup(300);
    await session.signIn({ userId: 'anna.nurse' });
    expect(session.active()).toMatchObject({ ok: true, user: { userId: 'anna.nurse', displayName: 'Anna Lindqvist' } });
    time.advance(299_000);
    expect(session.view().locked).toBe(false);
    time.advance(1_000);
    expect(session.view().locked).toBe(true);
    expect(session.active()).toEqual({ ok: false, code: 'SESSION_LOCKED' });
    // The lock keeps the user (shown on the lock screen) and says so to listeners.
    expect(views.at(-1)).toMatchObject({ locked: true, user: { userId: 'anna.nurse' } });
    expect(time.pendingCount()).toBe(0);
  });

  it('activity restarts the countdown', async () => {
    const { session, time } = setup(300);
    await session.signIn({ userId: 'anna.nurse' });
    time.advance(200_000);
    session.touch();
    time.advance(200_000);
    expect(session.view().locked).toBe(false);
    time.advance(100_000);
    expect(session.view().locked).toBe(true);
  });

  it('activity while locked does not unlock; signing in again does', async () => {
    const { session, time } = setup(60);
    await session.signIn({ userId: 'anna.nurse' });
    time.advance(60_000);
    session.touch();
    expect(session.view().locked).toBe(true);
    await session.signIn({ userId: 'anna.nurse' });
    expect(session.view().locked).toBe(false);
    time.advance(60_000);
    expect(session.view().locked).toBe(true);
  });

  it('every sign-in, switch, lock and sign-out starts a new generation', async () => {
    const { session } = setup();
    const seen = [session.generation()];
    await session.signIn({ userId: 'anna.nurse' });
    seen.push(session.generation());
    await session.signIn({ userId: 'erik.homecare' });
    seen.push(session.generation());
    expect(session.view().user?.role).toBe('municipalCare');
    session.lock();
    seen.push(session.generation());
    session.signOut();
    seen.push(session.generation());
    expect(new Set(seen).size).toBe(seen.length);
    expect(session.view().user).toBeUndefined();
    expect(session.view().locked).toBe(false);
  });

  it('an unknown local user is refused with a code', async () => {
    const { session } = setup();
    await expect(session.signIn({ userId: 'nobody' })).rejects.toMatchObject({ code: 'AUTH_USER_UNKNOWN' });
    expect(session.view().user).toBeUndefined();
  });

  it('sign-out stops the idle timer', async () => {
    const { session, time } = setup();
    await session.signIn({ userId: 'anna.nurse' });
    session.signOut();
    expect(time.pendingCount()).toBe(0);
  });
});
