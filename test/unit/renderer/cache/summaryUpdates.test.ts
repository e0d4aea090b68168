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
