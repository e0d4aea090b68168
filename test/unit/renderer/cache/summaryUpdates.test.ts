/** The store and pushed fresh summaries: shown only for the selected patient, never replaced by an older answer. */
import { describe, expect, it } from 'vitest';
import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../../../src/shared/api';
import type { Result } from '../../../../src/shared/errors';
import { emptySections } from '../../../../src/shared/summary';
import { createSamsynStore, type SummaryView } from '../../../../src/renderer/store/samsynStore';

const TODAY = new Date('2026-11-25T12:00:00Z');
const TOLVAN = '191212121212';
const OTHER = '199001012385';

function summaryFor(value: string, generatedAt: string, refreshing: boolean): SummaryView {
  return {
    patient: {
      identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value },
      nationalId: { country: 'SE', kind: 'personnummer', value },
    },
    sections: emptySections(),
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: refreshing ? 'cached' : 'ok', itemCount: 0, fetchedAt: generatedAt }],
    generatedAt,
    fromCache: refreshing,
    hiddenSealed: 0,
    ...(refreshing ? { refreshing: true } : {}),
  };
}

/** A bridge whose invoke answers wait for the test, and whose events the test pushes. */
function bridge() {
  const pending: ((r: Result<unknown>) => void)[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const b: SamsynBridge = {
    invoke<C extends CommandName>(_c: C, _r: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      return new Promise((resolve) => pending.push((r) => resolve(r as Result<ResponseOf<C>>)));
    },
    on: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  return { b, pending, push: (summary: SummaryView) => listeners.get('summary.updated')?.({ summary }) };
}

describe('pushed fresh summaries', () => {
  it('replace the cached view of the selected patient', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(TOLVAN);
    pending[0]?.({ ok: true, value: summaryFor(TOLVAN, '2026-11-25T12:00:00.000Z', true) });
    await opened;
    expect(store.getState().summary?.refreshing).toBe(true);
    push(summaryFor(TOLVAN, '2026-11-25T12:00:01.000Z', false));
    expect(store.getState().summary?.fromCache).toBe(false);
  });

  it('are dropped when another patient is selected by then', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(OTHER);
    pending[0]?.({ ok: true, value: summaryFor(OTHER, '2026-11-25T12:00:00.000Z', true) });
    await opened;
    push(summaryFor(TOLVAN, '2026-11-25T12:00:05.000Z', false));
    expect(store.getState().summary?.patient.identifier.value).toBe(OTHER);
    expect(store.getState().summary?.refreshing).toBe(true);
  });

  it('are kept when the cached answer arrives after them (the two travel separately)', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(TOLVAN);
    push(summaryFor(TOLVAN, '2026-11-25T12:00:00.000Z', false));
    pending[0]?.({ ok: true, value: summaryFor(TOLVAN, '2026-11-25T12:00:00.000Z', true) });
    await opened;
    expect(store.getState().loading).toBe(false);
    expect(store.getState().summary?.refreshing).toBeUndefined();
    expect(store.getState().summary?.fromCache).toBe(false);
  });
});

/** A summary of one open (openId) at step seq, with `count` allergies. */
function step(openId: string, seq: number, final: boolean, count: number): SummaryView {
  const base = summaryFor(TOLVAN, `2026-11-25T12:00:0${seq}.000Z`, !final);
  const allergies = Array.from({ length: count }, (_, i) => ({
    section: 'allergies' as const,
    key: `a${i}`,
    codes: [],
    text: `Allergy ${i}`,
    details: {},
    sources: [],
    conflicts: [],
  }));
  return { ...base, sections: { ...base.sections, allergies } as unknown as SummaryView['sections'], progress: { openId, seq, final } };
}

describe('progressive updates (one open, numbered)', () => {
  it('each update of the open shown replaces it whole; an older or repeated one is dropped', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(TOLVAN);
    pending[0]?.({ ok: true, value: step('run-1', 0, false, 0) });
    await opened;
    push(step('run-1', 2, false, 2));
    expect(store.getState().summary?.progress?.seq).toBe(2);
    expect(store.getState().summary?.sections.allergies).toHaveLength(2);
    // Out of order: seq 1 arrives after seq 2.
    push(step('run-1', 1, false, 1));
    expect(store.getState().summary?.progress?.seq).toBe(2);
    push(step('run-1', 3, true, 3));
    expect(store.getState().summary?.progress).toEqual({ openId: 'run-1', seq: 3, final: true });
    expect(store.getState().summary?.sections.allergies).toHaveLength(3);
  });

  it('drops updates of another open of the same patient', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(TOLVAN);
    pending[0]?.({ ok: true, value: step('run-2', 0, false, 0) });
    await opened;
    push(step('run-1', 5, true, 4));
    expect(store.getState().summary?.progress?.openId).toBe('run-2');
    expect(store.getState().summary?.sections.allergies).toHaveLength(0);
  });

  it('keeps updates that overtake the first answer, and shows the newest of its own open once the answer names it', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opened = store.getState().openPatient(TOLVAN);
    push(step('run-3', 2, true, 2));
    push(step('run-old', 7, true, 9));
    push(step('run-3', 1, false, 1));
    expect(store.getState().summary).toBeNull();
    pending[0]?.({ ok: true, value: step('run-3', 0, false, 0) });
    await opened;
    expect(store.getState().summary?.progress).toEqual({ openId: 'run-3', seq: 2, final: true });
    expect(store.getState().summary?.sections.allergies).toHaveLength(2);
    expect(store.getState().loading).toBe(false);
  });

  it('drops updates for a patient no longer selected, and of an open superseded by a new one', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const first = store.getState().openPatient(TOLVAN);
    pending[0]?.({ ok: true, value: step('run-4', 0, false, 0) });
    await first;
    const second = store.getState().openPatient(OTHER);
    pending[1]?.({ ok: true, value: { ...summaryFor(OTHER, '2026-11-25T12:00:00.000Z', true), progress: { openId: 'run-5', seq: 0, final: false } } });
    await second;
    push(step('run-4', 1, true, 3));
    expect(store.getState().summary?.patient.identifier.value).toBe(OTHER);
    expect(store.getState().summary?.progress?.openId).toBe('run-5');
  });
});
