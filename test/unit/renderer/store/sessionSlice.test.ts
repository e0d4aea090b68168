/** The renderer's session slice: a switch, lock or sign-out clears every patient view and ignores answers on their way. */
import { describe, expect, it } from 'vitest';
import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../../../src/shared/api';
import type { Result } from '../../../../src/shared/errors';
import type { SessionView } from '../../../../src/shared/session';
import { emptySections } from '../../../../src/shared/summary';
import { createSamsynStore, type SummaryView } from '../../../../src/renderer/store/samsynStore';

const TODAY = new Date('2025-03-01T12:00:00Z');
const BERTIL = { typed: '19121212-1212', canonical: '191212121212' };

const summary: SummaryView = {
  patient: {
    identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: BERTIL.canonical },
    nationalId: { country: 'SE', kind: 'personnummer', value: BERTIL.canonical },
    name: 'Bertil Provsson',
  },
  sections: emptySections(),
  sources: [],
  generatedAt: '2025-03-01T12:00:00Z',
  fromCache: false,
  hiddenSealed: 0,
};

const user = (userId: string, displayName: string) => ({
  userId,
  displayName,
  role: 'nurse',
  careUnit: { id: 'u', name: 'Unit' },
  organisation: { id: 'o', name: 'Org' },
  provider: 'local',
  signedInAt: '2025-03-01T12:00:00Z',
});
const view = (over: Partial<SessionView>): SessionView => ({
  locked: false,
  provider: { kind: 'local', name: 'local' },
  pending: false,
  idleLockSeconds: 300,
  ...over,
});

function controlledBridge() {
  const pending: { command: CommandName; release(result: Result<unknown>): void }[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge: SamsynBridge = {
    invoke<C extends CommandName>(command: C, _request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      return new Promise((resolve) => pending.push({ command, release: (r) => resolve(r as Result<ResponseOf<C>>) }));
    },
    on: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  return { bridge, pending, push: (event: string, payload: unknown) => listeners.get(event)?.(payload) };
}

describe('session slice', () => {
  it('another user signing in clears the patient, and the answer on its way is ignored', async () => {
    const { bridge, pending, push } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });
    push('session.changed', { session: view({ user: user('anna', 'Anna') }) });
    const open = store.getState().openPatient(BERTIL.typed);
    expect(store.getState().selected).not.toBeNull();
    push('session.changed', { session: view({ user: user('erik', 'Erik') }) });
    expect(store.getState().selected).toBeNull();
    expect(store.getState().input).toBe('');
    pending.find((p) => p.command === 'summary.open')!.release({ ok: true, value: summary });
    await open;
    expect(store.getState().summary).toBeNull();
    expect(store.getState().loading).toBe(false);
  });

  it('a lock clears the patient and the settings caches; the same user staying signed in does not', async () => {
    const { bridge, pending, push } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });
    push('session.changed', { session: view({ user: user('anna', 'Anna') }) });
    const open = store.getState().openPatient(BERTIL.typed);
    pending[0]!.release({ ok: true, value: summary });
    await open;
    store.setState({ settingsOpen: true, cacheStatus: { available: true, retentionHours: 12, patients: 1, snapshots: 2 } });
    // The same user again (e.g. a pushed change without a new user): nothing is cleared.
    push('session.changed', { session: view({ user: user('anna', 'Anna') }) });
    expect(store.getState().summary).not.toBeNull();
    push('session.changed', { session: view({ user: user('anna', 'Anna'), locked: true }) });
    expect(store.getState().summary).toBeNull();
    expect(store.getState().settingsOpen).toBe(false);
    expect(store.getState().cacheStatus).toBeNull();
  });

  it('reports activity at most once per throttle interval, and never while locked', () => {
    const { bridge, pending, push } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });
    push('session.changed', { session: view({ user: user('anna', 'Anna') }) });
    store.getState().reportActivity();
    store.getState().reportActivity();
    store.getState().reportActivity();
    expect(pending.filter((p) => p.command === 'session.activity')).toHaveLength(1);
    push('session.changed', { session: view({ user: user('anna', 'Anna'), locked: true }) });
    expect(pending.filter((p) => p.command === 'session.activity')).toHaveLength(1);
  });
});
