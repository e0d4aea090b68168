import { describe, expect, it } from 'vitest';
import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../../../src/shared/api';
import type { Result } from '../../../../src/shared/errors';
import { emptySections } from '../../../../src/shared/summary';
import { createSamsynStore, type SummaryView } from '../../../../src/renderer/store/samsynStore';

const TODAY = new Date('2025-03-01T12:00:00Z');

/** Two synthetic patients with valid Swedish personnummer. */
const ALICE = { typed: '19900101-2385', canonical: '199001012385', name: 'Alice Testsson' };
const BERTIL = { typed: '19121212-1212', canonical: '191212121212', name: 'Bertil Provsson' };

function summaryFor(canonical: string, name: string): SummaryView {
  return {
    patient: {
      identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: canonical },
      nationalId: { country: 'SE', kind: 'personnummer', value: canonical },
      name,
    },
    sections: emptySections(),
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: 'ok', itemCount: 0, fetchedAt: '2025-03-01T12:00:00Z', ms: 12 }],
    generatedAt: '2025-03-01T12:00:00Z',
    fromCache: false,
    hiddenSealed: 0,
  };
}

interface Pending {
  command: CommandName;
  request: unknown;
  release(result: Result<unknown>): void;
}

/** A bridge whose answers wait until the test releases them, in any order it likes. */
function controlledBridge() {
  const pending: Pending[] = [];
  const bridge: SamsynBridge = {
    invoke<C extends CommandName>(command: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      return new Promise((resolve) => {
        pending.push({ command, request, release: (result) => resolve(result as Result<ResponseOf<C>>) });
      });
    },
    on: () => () => undefined,
  };
  return { bridge, pending };
}

describe('samsynStore.openPatient', () => {
  it('drops an answer that arrives after another patient was selected (answers released in reverse order)', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const openAlice = store.getState().openPatient(ALICE.typed);
    const openBertil = store.getState().openPatient(BERTIL.typed);
    expect(pending.map((p) => p.request)).toEqual([{ patient: ALICE.typed, parts: true }, { patient: BERTIL.typed, parts: true }]);
    expect(store.getState().selected?.nationalId?.value).toBe(BERTIL.canonical);

    // Bertil's answer comes first, then Alice's late one.
    pending[1]!.release({ ok: true, value: summaryFor(BERTIL.canonical, BERTIL.name) });
    await openBertil;
    expect(store.getState().summary?.patient.name).toBe(BERTIL.name);
    expect(store.getState().loading).toBe(false);

    pending[0]!.release({ ok: true, value: summaryFor(ALICE.canonical, ALICE.name) });
    await openAlice;
    const state = store.getState();
    expect(state.selected?.nationalId?.value).toBe(BERTIL.canonical);
    expect(state.summary?.patient.name).toBe(BERTIL.name);
    expect(state.summary?.patient.nationalId?.value).toBe(BERTIL.canonical);
    expect(state.error).toBeNull();
  });

  it('drops a late failure for the previous patient too', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const openAlice = store.getState().openPatient(ALICE.typed);
    const openBertil = store.getState().openPatient(BERTIL.typed);
    pending[1]!.release({ ok: true, value: summaryFor(BERTIL.canonical, BERTIL.name) });
    pending[0]!.release({ ok: false, error: { code: 'SOURCE_TIMEOUT' } });
    await Promise.all([openAlice, openBertil]);

    expect(store.getState().error).toBeNull();
    expect(store.getState().summary?.patient.name).toBe(BERTIL.name);
  });

  it('clears the previous summary as soon as another patient is asked for', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const first = store.getState().openPatient(ALICE.typed);
    pending[0]!.release({ ok: true, value: summaryFor(ALICE.canonical, ALICE.name) });
    await first;
    expect(store.getState().summary?.patient.name).toBe(ALICE.name);

    void store.getState().openPatient(BERTIL.typed);
    expect(store.getState().summary).toBeNull();
    expect(store.getState().loading).toBe(true);
    expect(store.getState().selected?.display).toBe('19121212-1212');
  });

  it('never shows a summary whose national id is not the one asked for', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const open = store.getState().openPatient(BERTIL.typed);
    pending[0]!.release({ ok: true, value: summaryFor(ALICE.canonical, ALICE.name) });
    await open;

    expect(store.getState().summary).toBeNull();
    expect(store.getState().error).toEqual({ code: 'PATIENT_MISMATCH' });
  });

  it('validates locally and sends nothing for an invalid number', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    await store.getState().openPatient('19121212-1213');
    expect(pending).toHaveLength(0);
    const { check } = store.getState();
    expect(check.state === 'invalid' && check.error.code).toBe('ID_BAD_CHECKSUM');

    await store.getState().openPatient('   ');
    expect(pending).toHaveLength(0);
    const empty = store.getState().check;
    expect(empty.state === 'invalid' && empty.error.code).toBe('ID_EMPTY');
  });

  it('takes the previous patient off the screen and drops its pending answer when an invalid number is entered', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const first = store.getState().openPatient(ALICE.typed);
    pending[0]!.release({ ok: true, value: summaryFor(ALICE.canonical, ALICE.name) });
    await first;
    const second = store.getState().openPatient(BERTIL.typed);

    await store.getState().openPatient('19121212-1213');
    expect(store.getState().selected).toBeNull();
    expect(store.getState().summary).toBeNull();
    expect(store.getState().loading).toBe(false);

    pending[1]!.release({ ok: true, value: summaryFor(BERTIL.canonical, BERTIL.name) });
    await second;
    expect(store.getState().summary).toBeNull();
    expect(pending).toHaveLength(2);
  });

  it('shows the error code when the services answer with a failure', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const open = store.getState().openPatient(BERTIL.typed);
    pending[0]!.release({ ok: false, error: { code: 'BRIDGE_UNREACHABLE' } });
    await open;

    expect(store.getState().loading).toBe(false);
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error?.code).toBe('BRIDGE_UNREACHABLE');
  });
});

describe('samsynStore input checking', () => {
  it('marks typed text unchecked until checkInput runs, then reports the verdict', () => {
    const { bridge } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    store.getState().setInput('19121212-121');
    expect(store.getState().check.state).toBe('unchecked');
    const verdict = store.getState().checkInput();
    expect(verdict.state).toBe('invalid');

    store.getState().setInput('19121212-1212');
    expect(store.getState().checkInput()).toMatchObject({ state: 'valid', patient: { display: '19121212-1212' } });

    store.getState().setInput('');
    expect(store.getState().checkInput().state).toBe('empty');
  });
});

describe('samsynStore.loadAppInfo', () => {
  it('keeps the configured sources for the start screen', async () => {
    const { bridge, pending } = controlledBridge();
    const store = createSamsynStore({ bridge, now: () => TODAY });

    const load = store.getState().loadAppInfo();
    expect(pending[0]?.command).toBe('app.info');
    pending[0]!.release({
      ok: true,
      value: { version: '0.1.0', transport: 'preview', sources: [{ id: 'nord', name: 'Region Nord', kind: 'fhir-r4' }] },
    });
    await load;
    expect(store.getState().appInfo?.sources.map((s) => s.name)).toEqual(['Region Nord']);
  });
});
