/**
 * A large summary is checked in two steps (issue 13, ADR 0031): the head, the
 * first panels' sections and the critical items at once; the other sections
 * after the first paint, before their panels render. Together the steps accept
 * and reject exactly what the whole check does, and no section's data reaches
 * the store before its own check passed: a malformed section ends as the coded
 * error with no summary on screen.
 */
import { describe, expect, it } from 'vitest';
import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../../../src/shared/api';
import type { Result } from '../../../../src/shared/errors';
import { emptySections, summarySchema } from '../../../../src/shared/summary';
import { deferredRest, splitCheck, SPLIT_ABOVE_ITEMS } from '../../../../src/renderer/api/splitCheck';
import { withValidation } from '../../../../src/renderer/api/validatedBridge';
import { createSamsynStore, type SummaryView } from '../../../../src/renderer/store/samsynStore';
import { mergedItemFixture } from '../../../fixtures/items';

const TODAY = new Date('2026-11-25T12:00:00Z');
const TOLVAN = '191212121212';

const item = mergedItemFixture;

/** A summary with `problems` items after the first panels (alerts, allergies, medications in IPS order). */
function summary(problems: number, patch: (s: Record<string, unknown[]>) => void = () => undefined): SummaryView {
  const sections = {
    ...emptySections(),
    alerts: [item('alerts', 0)],
    allergies: [item('allergies', 0), item('allergies', 1)],
    problems: Array.from({ length: problems }, (_, i) => item('problems', i)),
  } as unknown as Record<string, unknown[]>;
  patch(sections);
  return {
    patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TOLVAN }, nationalId: { country: 'SE', kind: 'personnummer', value: TOLVAN } },
    sections: sections as unknown as SummaryView['sections'],
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: 'cached', itemCount: problems + 3, fetchedAt: '2026-11-25T09:00:00.000Z' }],
    generatedAt: '2026-11-25T12:00:00.000Z',
    fromCache: true,
    hiddenSealed: 0,
    progress: { openId: 'run-1', seq: 0, final: false },
  };
}

const LARGE = SPLIT_ABOVE_ITEMS + 50;

/** Frames and timers: the store runs the rest of the check after the next paint. */
const afterPaint = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Answers `value`, checked by the real validating bridge; `push` sends a raw 'summary.updated' payload through it. */
let push: (payload: unknown) => void = () => undefined;
function bridgeAnswering(value: unknown): SamsynBridge {
  return withValidation({
    invoke<C extends CommandName>(_c: C, _r: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      return Promise.resolve({ ok: true, value } as Result<ResponseOf<C>>);
    },
    on: (event, listener) => {
      if (event === 'summary.updated') push = listener;
      return () => undefined;
    },
  });
}

describe('two-step check of a large summary', () => {
  it('checks a small summary whole (no split)', () => {
    expect(splitCheck(summary(SPLIT_ABOVE_ITEMS))).toBeUndefined();
  });

  it('accepts exactly what the whole check accepts, the first panels’ arrays the same objects in both steps', () => {
    const raw = summary(LARGE);
    const split = splitCheck(raw);
    if (split === undefined || split === 'failed') throw new Error('expected a split');
    expect(split.pending).not.toContain('allergies');
    expect(split.pending).toContain('problems');
    expect(split.partial.sections.allergies).toHaveLength(2);
    // Not checked yet: held back.
    expect(split.partial.sections.problems).toEqual([]);
    const whole = split.rest();
    expect(whole).toEqual(summarySchema.parse(raw));
    expect(whole?.sections.allergies).toBe(split.partial.sections.allergies);
  });

  it('follows the role’s order for the first panels', () => {
    // Problems among the role's first panels: checked at once, and what follows is small, so the whole is checked at once.
    const raw = { ...summary(LARGE), view: { role: 'doctor', sections: ['problems', 'alerts', 'allergies', 'medications'], filtered: [] } };
    expect(splitCheck(raw)).toBeUndefined();
    const ips = splitCheck({ ...raw, view: { ...raw.view, sections: ['alerts', 'allergies', 'medications', 'problems'] } });
    expect(ips !== undefined && ips !== 'failed' && ips.pending).toContain('problems');
  });

  it('checks the critical items of the other sections at once, for the sticky header', () => {
    const raw = summary(LARGE, (s) => s.problems!.push(item('problems', 9999, { critical: true })));
    const split = splitCheck(raw);
    if (split === undefined || split === 'failed') throw new Error('expected a split');
    expect(split.partial.sections.problems.map((i) => i.key)).toEqual(['problems-9999']);
    // A malformed critical item fails the first step.
    expect(splitCheck(summary(LARGE, (s) => s.problems!.push(item('problems', 9999, { critical: true, text: 42 }))))).toBe('failed');
  });

  it('fails the first step for a bad head or first panel, the rest for a bad later section', () => {
    expect(splitCheck({ ...summary(LARGE), fromCache: 'yes' })).toBe('failed');
    expect(splitCheck(summary(LARGE, (s) => (s.allergies![0] = { ...item('allergies', 0), sources: 'x' })))).toBe('failed');
    const late = splitCheck(summary(LARGE, (s) => (s.problems![7] = { ...item('problems', 7), conflicts: [{}] })));
    if (late === undefined || late === 'failed') throw new Error('expected a split');
    expect(late.rest()).toBeUndefined();
    expect(summarySchema.safeParse(summary(LARGE, (s) => (s.problems![7] = { ...item('problems', 7), conflicts: [{}] }))).success).toBe(false);
  });

  it('through the store: the first panels at once, the other sections after their check, the same arrays kept', async () => {
    const store = createSamsynStore({ bridge: bridgeAnswering(summary(LARGE)), now: () => TODAY });
    await store.getState().openPatient(TOLVAN);
    const first = store.getState();
    expect(first.summary?.sections.allergies).toHaveLength(2);
    expect(first.summary?.sections.problems).toEqual([]);
    expect(first.pendingSections).toContain('problems');
    expect(first.summary && deferredRest(first.summary)).toBeDefined();
    await afterPaint();
    const done = store.getState();
    expect(done.pendingSections).toBeNull();
    expect(done.summary?.sections.problems).toHaveLength(LARGE);
    expect(done.summary?.sections.allergies).toBe(first.summary?.sections.allergies);
    expect(done.error).toBeNull();
  });

  it('through the store: a malformed later section takes the summary off the screen for the coded error', async () => {
    const bad = summary(LARGE, (s) => (s.problems![LARGE - 1] = { ...item('problems', 0), sealed: 'no' }));
    const store = createSamsynStore({ bridge: bridgeAnswering(bad), now: () => TODAY });
    await store.getState().openPatient(TOLVAN);
    // Only checked sections are held: the malformed one is not among them.
    expect(store.getState().summary?.sections.problems).toEqual([]);
    await afterPaint();
    expect(store.getState().summary).toBeNull();
    expect(store.getState().pendingSections).toBeNull();
    expect(store.getState().error).toEqual({ code: 'INTERNAL' });
  });

  it('through the store: a malformed first panel is refused at once, nothing shown', async () => {
    const bad = summary(LARGE, (s) => (s.alerts![0] = { ...item('alerts', 0), key: 7 }));
    const store = createSamsynStore({ bridge: bridgeAnswering(bad), now: () => TODAY });
    await store.getState().openPatient(TOLVAN);
    expect(store.getState().summary).toBeNull();
    expect(store.getState().error?.code).toBe('INTERNAL');
  });

  it('a print checks the pending sections first', async () => {
    const bad = summary(LARGE, (s) => (s.problems![3] = { ...item('problems', 3), codes: 'x' }));
    const store = createSamsynStore({ bridge: bridgeAnswering(bad), now: () => TODAY });
    await store.getState().openPatient(TOLVAN);
    expect(store.getState().pendingSections).not.toBeNull();
    const problem = await store.getState().print();
    expect(problem).toEqual({ code: 'INTERNAL' });
    expect(store.getState().summary).toBeNull();
  });

  it('a pushed large update that would empty panels showing rows is checked whole first, and dropped if it fails', async () => {
    const store = createSamsynStore({ bridge: bridgeAnswering(summary(LARGE)), now: () => TODAY });
    await store.getState().openPatient(TOLVAN);
    await afterPaint();
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE);
    const next = (seq: number, problems: number, patch?: (s: Record<string, unknown[]>) => void) => ({
      summary: { ...summary(problems, patch), progress: { openId: 'run-1', seq, final: false } },
    });
    push(next(1, LARGE + 1));
    // At once, whole: no panel emptied for the check.
    expect(store.getState().pendingSections).toBeNull();
    expect(store.getState().summary?.sections.problems).toHaveLength(LARGE + 1);
    push(next(2, LARGE + 2, (s) => (s.problems![5] = { ...item('problems', 5), text: null })));
    expect(store.getState().summary?.progress?.seq).toBe(1);
    expect(store.getState().error).toBeNull();
  });
});
