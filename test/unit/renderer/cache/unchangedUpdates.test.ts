/**
 * Updates whose sections are unchanged (issue 13): the head replaces the shown
 * one and the sections stay as they are (the same objects: no row renders
 * again); each source's new fetch time and cached mark are kept beside them.
 * Applied only over sections of the same open and patient received at or after
 * `sameSince`; a malformed one never reaches the store.
 */
import { describe, expect, it } from 'vitest';
import type { CommandName, EventPayload, RequestOf, ResponseOf, SamsynBridge } from '../../../../src/shared/api';
import type { Result } from '../../../../src/shared/errors';
import { emptySections } from '../../../../src/shared/summary';
import { createSamsynStore, type SummaryView } from '../../../../src/renderer/store/samsynStore';
import type { UnchangedUpdate } from '../../../../src/renderer/store/patientSlice';
import { withValidation } from '../../../../src/renderer/api/validatedBridge';

const TODAY = new Date('2026-11-25T12:00:00Z');
const TOLVAN = '191212121212';
const OTHER = '199001012385';
const FRESH = '2026-11-25T12:00:09.000Z';

function step(openId: string, seq: number, final: boolean, count: number, patient = TOLVAN): SummaryView {
  const allergies = Array.from({ length: count }, (_, i) => ({
    section: 'allergies' as const,
    key: `a${i}`,
    codes: [],
    text: `Allergy ${i}`,
    details: {},
    sources: [{ sourceId: 'nord', sourceName: 'Region Nord', recordId: `r${i}`, fetchedAt: '2026-11-25T09:00:00.000Z', cached: true }],
    conflicts: [],
    sealed: false,
  }));
  return {
    patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: patient }, nationalId: { country: 'SE', kind: 'personnummer', value: patient } },
    sections: { ...emptySections(), allergies } as unknown as SummaryView['sections'],
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: final ? 'ok' : 'cached', itemCount: count, fetchedAt: '2026-11-25T09:00:00.000Z' }],
    generatedAt: `2026-11-25T12:00:0${seq}.000Z`,
    fromCache: !final,
    hiddenSealed: 0,
    progress: { openId, seq, final },
  };
}

function unchanged(openId: string, seq: number, sameSince: number, patient = TOLVAN): UnchangedUpdate {
  const { sections: _s, ...head } = step(openId, seq, true, 0, patient);
  return {
    ...head,
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: 'ok', itemCount: 2, fetchedAt: FRESH }],
    fromCache: false,
    progress: { openId, seq, final: true },
    sameSince,
    freshness: { nord: { fetchedAt: FRESH, cached: false } },
  };
}

/** A transport whose invoke answers wait for the test and whose events the test pushes raw, through the validating bridge. */
function bridge() {
  const pending: ((r: Result<unknown>) => void)[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const raw: SamsynBridge = {
    invoke<C extends CommandName>(_c: C, _r: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      return new Promise((resolve) => pending.push((r) => resolve(r as Result<ResponseOf<C>>)));
    },
    on: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  return { b: withValidation(raw), pending, push: (payload: unknown) => listeners.get('summary.updated')?.(payload) };
}

async function opened(answer: SummaryView) {
  const { b, pending, push } = bridge();
  const store = createSamsynStore({ bridge: b, now: () => TODAY });
  const opening = store.getState().openPatient(TOLVAN);
  pending[0]?.({ ok: true, value: answer });
  await opening;
  return { store, push };
}

describe('unchanged updates', () => {
  it('replace the head and keep the sections shown, with each source’s new fetch time', async () => {
    const { store, push } = await opened(step('run-1', 0, false, 2));
    const shown = store.getState().summary?.sections;
    push({ unchanged: unchanged('run-1', 1, 0) } satisfies EventPayload<'summary.updated'>);
    const now = store.getState();
    expect(now.summary?.progress).toEqual({ openId: 'run-1', seq: 1, final: true });
    expect(now.summary?.fromCache).toBe(false);
    expect(now.summary?.sources[0]?.state).toBe('ok');
    expect(now.summary?.sections).toBe(shown);
    expect(now.provenanceFreshness).toEqual({ nord: { fetchedAt: FRESH, cached: false } });
  });

  it('a whole summary afterwards ends the freshness override', async () => {
    const { store, push } = await opened(step('run-1', 0, false, 2));
    push({ unchanged: unchanged('run-1', 1, 0) });
    push({ summary: step('run-1', 2, true, 3) });
    expect(store.getState().summary?.sections.allergies).toHaveLength(3);
    expect(store.getState().provenanceFreshness).toBeNull();
  });

  it('are dropped for another open, an older seq, sections older than sameSince, or another patient', async () => {
    for (const update of [unchanged('run-2', 1, 0), unchanged('run-1', 0, 0), unchanged('run-1', 3, 2), unchanged('run-1', 1, 0, OTHER)]) {
      const { store, push } = await opened(step('run-1', 0, false, 2));
      const before = store.getState().summary;
      expect(before?.progress?.seq).toBe(0);
      push({ unchanged: update });
      expect(store.getState().summary).toBe(before);
      expect(store.getState().provenanceFreshness).toBeNull();
    }
  });

  it('one that overtook the first answer is applied once the answer arrives', async () => {
    const { b, pending, push } = bridge();
    const store = createSamsynStore({ bridge: b, now: () => TODAY });
    const opening = store.getState().openPatient(TOLVAN);
    push({ unchanged: unchanged('run-1', 1, 0) });
    expect(store.getState().summary).toBeNull();
    pending[0]?.({ ok: true, value: step('run-1', 0, false, 2) });
    await opening;
    expect(store.getState().summary?.progress?.seq).toBe(1);
    expect(store.getState().summary?.sections.allergies).toHaveLength(2);
    expect(store.getState().provenanceFreshness).toEqual({ nord: { fetchedAt: FRESH, cached: false } });
  });

  it('a malformed pushed update, whole or unchanged, is refused by the bridge and never shown', async () => {
    const { store, push } = await opened(step('run-1', 0, false, 2));
    const before = store.getState().summary;
    expect(before?.progress?.seq).toBe(0);
    push({ unchanged: { ...unchanged('run-1', 1, 0), sameSince: -1 } });
    push({ unchanged: { ...unchanged('run-1', 1, 0), freshness: { nord: { fetchedAt: 7 } } } });
    push({ unchanged: { ...unchanged('run-1', 1, 0), progress: undefined } });
    push({ summary: { ...step('run-1', 1, true, 1), fromCache: 'no' } });
    expect(store.getState().summary).toBe(before);
    expect(store.getState().provenanceFreshness).toBeNull();
    // The same update well formed is taken: the refusals above were for the defects.
    push({ unchanged: unchanged('run-1', 1, 0) });
    expect(store.getState().summary?.progress?.seq).toBe(1);
  });
});
