/**
 * A large summary delivered in two parts (issue 13, ADR 0032), through the
 * real validating bridge and store, the parts made by main's own splitter:
 * part 1 is shown at once with the other panels waiting; part 2 joins it only
 * when it belongs to it (id, open, seq, patient) and brings what part 1
 * announced; a missing or malformed part 2 takes the summary off the screen
 * for the coded error; a patient switched between the parts never gets the
 * first patient's part 2; a print waits for part 2.
 */
import { describe, expect, it } from 'vitest';
import { splitSummary } from '../../src/main/bridge/summaryParts';
import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../src/shared/api';
import type { Result } from '../../src/shared/errors';
import { emptySections } from '../../src/shared/summary';
import { SPLIT_ABOVE_ITEMS } from '../../src/shared/summaryParts';
import { withValidation } from '../../src/renderer/api/validatedBridge';
import { createSamsynStore, type SamsynStore, type SummaryView } from '../../src/renderer/store/samsynStore';
import { mergedItemFixture } from '../fixtures/items';

const TODAY = new Date('2026-11-25T12:00:00Z');
const TOLVAN = '191212121212';
const ALICE = '199001012385';
const LARGE = SPLIT_ABOVE_ITEMS + 50;

const item = mergedItemFixture;

function summary(problems: number, options: { patient?: string; seq?: number; openId?: string } = {}): SummaryView {
  const patient = options.patient ?? TOLVAN;
  const sections = {
    ...emptySections(),
    alerts: [item('alerts', 0)],
    allergies: [item('allergies', 0), item('allergies', 1)],
    problems: Array.from({ length: problems }, (_, i) => item('problems', i, i === 3 ? { critical: true } : {})),
  } as unknown as SummaryView['sections'];
  return {
    patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: patient }, nationalId: { country: 'SE', kind: 'personnummer', value: patient } },
    sections,
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: 'cached', itemCount: problems + 3, fetchedAt: '2026-11-25T09:00:00.000Z' }],
    generatedAt: '2026-11-25T12:00:00.000Z',
    fromCache: true,
    hiddenSealed: 0,
    progress: { openId: options.openId ?? `run-${patient}`, seq: options.seq ?? 0, final: false },
  };
}

/** Part 1 and part 2 of a summary, as main makes them. */
function parts(s: SummaryView) {
  const split = splitSummary(s);
  if (!split) throw new Error('expected two parts');
  return split;
}

/**
 * Frames and timers: the store asks for (or applies) part 2 after part 1's
 * paint, the bridge checks a pushed part 2 after it. Ten turns of the timer
 * queue (no frames here): each deferral is one, however loaded the machine.
 */
const afterPaint = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

interface Transport {
  bridge: SamsynBridge;
  /** What summary.open answers per patient; what summary.rest answers per id (a function may wait). */
  opens: Map<string, unknown>;
  rests: Map<string, () => Promise<unknown>>;
  asked: Array<{ command: string; request: unknown }>;
  push(event: string, payload: unknown): void;
}

/** The transport (what main sends) under the real validating bridge. */
function transport(): Transport {
  const listeners = new Map<string, (payload: unknown) => void>();
  const t: Transport = {
    opens: new Map(),
    rests: new Map(),
    asked: [],
    push: (event, payload) => listeners.get(event)?.(payload),
    bridge: withValidation({
      async invoke<C extends CommandName>(command: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
        t.asked.push({ command, request });
        const r = request as { patient: string; id?: string };
        if (command === 'summary.open') return { ok: true, value: t.opens.get(r.patient.replace(/\D/g, '')) } as Result<ResponseOf<C>>;
        if (command === 'summary.rest') {
          const answer = t.rests.get(r.id ?? '');
          return (answer ? { ok: true, value: await answer() } : { ok: false, error: { code: 'SUMMARY_PART_MISSING' } }) as Result<ResponseOf<C>>;
        }
        return { ok: false, error: { code: 'INTERNAL' } } as Result<ResponseOf<C>>;
      },
      on: (event, listener) => {
        listeners.set(event, listener);
        return () => undefined;
      },
    }),
  };
  return t;
}

function storeOver(t: Transport, partWaitMs?: number): SamsynStore {
  return createSamsynStore({ bridge: t.bridge, now: () => TODAY, ...(partWaitMs !== undefined ? { partWaitMs } : {}) });
}

describe('a summary in two parts', () => {
  it('a cached answer: part 1 shown at once, part 2 asked for after the paint and joined, the first panels’ arrays kept', async () => {
    const t = transport();
    const whole = summary(LARGE);
    const { part1, rest } = parts(whole);
    t.opens.set(TOLVAN, part1);
    t.rests.set(part1.parts.id, async () => rest);
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    const first = store.getState();
    expect(t.asked[0]?.request).toMatchObject({ parts: true });
    expect(first.pendingSections).toContain('problems');
    // Only the critical item of a later section, for the header; its panel waits.
    expect(first.summary?.sections.problems.map((i) => i.key)).toEqual(['problems-3']);
    expect(first.summary?.sections.allergies).toHaveLength(2);
    await afterPaint();
    const done = store.getState();
    expect(t.asked.map((a) => a.command)).toEqual(['summary.open', 'summary.rest']);
    expect(t.asked[1]?.request).toEqual({ patient: TOLVAN, id: part1.parts.id });
    expect(done.pendingSections).toBeNull();
    expect(done.error).toBeNull();
    expect(done.summary?.sections).toEqual(whole.sections);
    expect(done.summary?.sections.allergies).toBe(first.summary?.sections.allergies);
  });

  it('a small summary travels whole: nothing pending, nothing asked for', async () => {
    const t = transport();
    t.opens.set(TOLVAN, summary(10));
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    await afterPaint();
    expect(store.getState().pendingSections).toBeNull();
    expect(t.asked.map((a) => a.command)).toEqual(['summary.open']);
  });

  it('part 2 no longer kept in main: the summary gives way to SUMMARY_PART_MISSING', async () => {
    const t = transport();
    t.opens.set(TOLVAN, parts(summary(LARGE)).part1);
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    expect(store.getState().summary).not.toBeNull();
    await afterPaint();
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error).toEqual({ code: 'SUMMARY_PART_MISSING' });
  });

  it('a malformed part 2, or one without the items part 1 announced, is never shown: the coded error instead', async () => {
    for (const spoil of [
      (rest: { sections: Record<string, unknown[]> }) => (rest.sections.problems![7] = { ...item('problems', 7), text: 42 }),
      (rest: { sections: Record<string, unknown[]> }) => rest.sections.problems!.pop(),
      (rest: { sections: Record<string, unknown[]> }) => delete rest.sections.results,
    ]) {
      const t = transport();
      const { part1, rest } = parts(summary(LARGE));
      const spoiled = structuredClone(rest) as unknown as { sections: Record<string, unknown[]> };
      spoil(spoiled);
      t.opens.set(TOLVAN, part1);
      t.rests.set(part1.parts.id, async () => spoiled);
      const store = storeOver(t);
      await store.getState().openPatient(TOLVAN);
      await afterPaint();
      expect(store.getState().summary).toBeNull();
      expect(store.getState().error).toEqual({ code: 'INTERNAL' });
    }
  });

  it('a patient switched between part 1 and part 2 never gets the first patient’s part 2', async () => {
    const t = transport();
    const a = parts(summary(LARGE));
    const b = parts(summary(LARGE + 5, { patient: ALICE }));
    let releaseA: () => void = () => undefined;
    t.opens.set(TOLVAN, a.part1);
    t.opens.set(ALICE, b.part1);
    t.rests.set(a.part1.parts.id, () => new Promise((resolve) => (releaseA = () => resolve(a.rest))));
    let releaseB: () => void = () => undefined;
    t.rests.set(b.part1.parts.id, () => new Promise((resolve) => (releaseB = () => resolve(b.rest))));
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    await afterPaint();
    // A's part 2 is on its way; the clinician opens B.
    await store.getState().openPatient(ALICE);
    expect(store.getState().summary?.patient.identifier.value).toBe(ALICE);
    releaseA();
    // A's part 2 pushed as an event too, with its own id: neither reaches B.
    t.push('summary.rest', a.rest);
    t.push('summary.rest', { ...a.rest, id: b.part1.parts.id });
    await afterPaint();
    const state = store.getState();
    expect(state.summary?.patient.identifier.value).toBe(ALICE);
    expect(state.pendingSections).toContain('problems');
    expect(state.summary?.sections.problems.map((i) => i.key)).toEqual(['problems-3']);
    releaseB();
    await afterPaint();
    expect(store.getState().pendingSections).toBeNull();
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE + 5);
    expect(store.getState().error).toBeNull();
  });

  it('a pushed update: part 1 then part 2 on the event stream, joined; one for another seq never is', async () => {
    const t = transport();
    t.opens.set(TOLVAN, summary(0));
    const store = storeOver(t, 200);
    await store.getState().openPatient(TOLVAN);
    const one = parts(summary(LARGE, { seq: 1 }));
    t.push('summary.updated', { summary: one.part1 });
    expect(store.getState().summary?.progress?.seq).toBe(1);
    expect(store.getState().pendingSections).toContain('problems');
    t.push('summary.rest', one.rest);
    await afterPaint();
    expect(store.getState().pendingSections).toBeNull();
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE);
    // Events never ask main for anything.
    expect(t.asked.map((a) => a.command)).toEqual(['summary.open']);

    const two = parts(summary(LARGE + 1, { seq: 2 }));
    t.push('summary.updated', { summary: two.part1 });
    // Rows shown now would go: part 1 is held until its part 2 makes it whole.
    expect(store.getState().summary?.progress?.seq).toBe(1);
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE);
    t.push('summary.rest', { ...two.rest, seq: 1 });
    await afterPaint();
    expect(store.getState().summary?.progress?.seq).toBe(1);
    t.push('summary.rest', two.rest);
    await afterPaint();
    expect(store.getState().summary?.progress?.seq).toBe(2);
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE + 1);
    expect(store.getState().pendingSections).toBeNull();
  });

  it('a pushed part 1 whose part 2 never comes gives way to SUMMARY_PART_MISSING after the wait', async () => {
    const t = transport();
    t.opens.set(TOLVAN, summary(0));
    const store = storeOver(t, 400);
    await store.getState().openPatient(TOLVAN);
    const one = parts(summary(LARGE, { seq: 1 }));
    t.push('summary.updated', { summary: one.part1 });
    // Another part 2, and this one's naming another patient: neither is this one's.
    t.push('summary.rest', { ...one.rest, id: 'another-split-id-0000000' });
    t.push('summary.rest', { ...one.rest, patient: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: ALICE } });
    // Had either been joined, nothing would be awaited and the summary would stay: it gives way only because none was.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error).toEqual({ code: 'SUMMARY_PART_MISSING' });
  });

  it('a part 2 with part 1’s id but another open is refused at once: the coded error, nothing joined', async () => {
    const t = transport();
    t.opens.set(TOLVAN, summary(0));
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    const one = parts(summary(LARGE, { seq: 1 }));
    t.push('summary.updated', { summary: one.part1 });
    t.push('summary.rest', { ...one.rest, openId: 'run-other' });
    await afterPaint();
    await afterPaint();
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error).toEqual({ code: 'INTERNAL' });
  });

  it('a print waits for part 2, and refuses when it does not come', async () => {
    const t = transport();
    const { part1, rest } = parts(summary(LARGE));
    t.opens.set(TOLVAN, part1);
    let release: (ok: boolean) => void = () => undefined;
    t.rests.set(part1.parts.id, () => new Promise((resolve) => (release = (ok) => resolve(ok ? rest : { ...rest, sections: {} }))));
    const store = storeOver(t);
    await store.getState().openPatient(TOLVAN);
    const printing = store.getState().print();
    let settled = false;
    void printing.then(() => (settled = true));
    await afterPaint();
    expect(settled).toBe(false);
    expect(store.getState().printing).toBe(false);
    release(false);
    expect(await printing).toEqual({ code: 'INTERNAL' });
    expect(store.getState().summary).toBeNull();
  });
});
