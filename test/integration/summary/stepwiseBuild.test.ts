/**
 * A large update built in bounded steps (ADR 0037): a real summary service
 * whose first source answers with many records at once, a second source
 * answering while the build of the first is under way, and a sandbox FHIR
 * region on 127.0.0.1. The build under way when the second source ends is
 * given up, never delivered; every update delivered after that ending holds
 * the second source; the sequence rises; the last update is final and holds
 * every source. An open that joins during the build gets the summary handed
 * out before and the same final one. A failing final build fails the open as
 * a build at once does. The final summary equals the one built at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { materializeSummary, type SummaryAnswer } from '../../../src/main/summary/summaryAnswer';
import { createSummaryService, HIDE_SEALED, type ItemPolicy } from '../../../src/main/summary/summaryService';
import { CodedError } from '../../../src/shared/errors';
import type { ClinicalItem, Summary } from '../../../src/shared/summary';
import { minimalDetails } from '../../fixtures/items';
import { sandboxQuery } from '../../fixtures/patientQuery';

const NOW = new Date('2026-11-25T10:00:00Z');
const clock = { now: () => NOW };
const LOINC = ['718-7', '2160-0', '4548-4', '2823-3', '1988-5'];
/** Records of the large source: past the lowered stepwise bound many times over, so its build pauses many times. */
const LARGE = 20_000;

let nord: FhirSandbox;

beforeAll(async () => {
  nord = await startFhirSandbox({ region: 'nord' });
});

afterAll(async () => {
  await nord.close();
});

const query = () => sandboxQuery('tolvan', NOW);

/** `n` results from `sourceId`, some sharing a code and a time (so groups are merged), each its own record. */
function results(sourceId: string, n: number): ClinicalItem[] {
  return Array.from({ length: n }, (_, i) => ({
    section: 'results',
    codes: [{ system: 'http://loinc.org', code: LOINC[i % LOINC.length] as string }],
    text: 'Analys',
    date: new Date(Date.UTC(2015, 0, 1) + Math.floor(i / 2) * 3_600_000).toISOString(),
    value: { value: i % 37, unit: 'mmol/L' },
    status: i % 41 === 0 ? 'corrected' : 'final',
    details: minimalDetails('results'),
    sealed: false,
    provenance: { sourceId, sourceName: sourceId, recordId: `R/${i}`, fetchedAt: NOW.toISOString() },
  })) as ClinicalItem[];
}

/** A source in this process: answers with `items` about the asked patient when `answer` resolves. */
function inProcess(id: string, items: ClinicalItem[], answer: Promise<void> = Promise.resolve()): SourceAdapter {
  return {
    id,
    name: id,
    kind: 'test',
    timeoutMs: 60_000,
    fetchPatient: async (q) => {
      await answer;
      return { subjects: [{ identifiers: [q.identifier] }], items, fetchedAt: NOW.toISOString() };
    },
  };
}

function sandboxSource(): SourceAdapter[] {
  return createSourceAdapters({
    sources: [{ id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000, enabled: true }],
  } as Parameters<typeof createSourceAdapters>[0], { clock, logger: createLogger('test') });
}

describe('an update built in bounded steps', () => {
  it('is given up when a later source ends during it; what is delivered rises in sequence and ends final with every source', async () => {
    let answerLate: () => void = () => undefined;
    const late = new Promise<void>((resolve) => (answerLate = resolve));
    const updates: Summary[] = [];
    let applied = 0;
    let updatesAtLateEnding = -1;
    let joined: Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }> | undefined;
    // The item policy runs inside every build: the first build holding the large source's records
    // lets the late source answer (its ending is known at the build's next pause) and opens the patient again.
    const policy: ItemPolicy = {
      neutral: true,
      apply(items) {
        applied++;
        if (updatesAtLateEnding < 0 && items.some((i) => i.provenance.sourceId === 'region-large')) {
          updatesAtLateEnding = updates.length;
          answerLate();
          joined = service.openWithRefresh(query());
        }
        return HIDE_SEALED.apply(items);
      },
    };
    const service = createSummaryService({
      sources: [inProcess('region-large', results('region-large', LARGE)), inProcess('region-late', results('region-late', 50), late), ...sandboxSource()],
      clock,
      logger: createLogger('test'),
      policy: () => policy,
      stepwiseFromRecords: 1_000,
      onUpdate: (summary) => updates.push(summary),
    });
    const { answer, fresh } = await service.openWithRefresh(query());
    const final = await fresh;
    await service.settled();

    const openId = materializeSummary(answer).progress?.openId;
    expect(updates.length).toBeGreaterThan(0);
    // One open, its sequence rising by one from the first answer (seq 0), the final last and only once.
    expect(updates.map((u) => u.progress?.openId)).toEqual(updates.map(() => openId));
    expect(updates.map((u) => u.progress?.seq)).toEqual(updates.map((_, k) => k + 1));
    expect(updates.map((u) => u.progress?.final)).toEqual(updates.map((_, k) => k === updates.length - 1));
    expect(final).toBe(updates[updates.length - 1]);
    // The late source ended during a build that held the large source's records: that build was given up
    // (more builds than updates), and every update delivered after the ending holds the late source.
    expect(updatesAtLateEnding).toBeGreaterThanOrEqual(0);
    expect(applied).toBeGreaterThan(updates.length);
    for (const update of updates.slice(updatesAtLateEnding)) {
      expect(update.sources.find((s) => s.sourceId === 'region-late')?.state).toBe('ok');
    }
    // The final summary holds every source.
    const states = Object.fromEntries((final?.sources ?? []).map((s) => [s.sourceId, [s.state, s.itemCount]]));
    expect(states['region-large']).toEqual(['ok', LARGE]);
    expect(states['region-late']).toEqual(['ok', 50]);
    expect(states['region-nord']?.[0]).toBe('ok');
    const recordsShown = (final?.sections.results ?? []).reduce((n, item) => n + item.sources.length + (item.history?.length ?? 0), 0);
    expect(recordsShown).toBeGreaterThanOrEqual(LARGE + 50);
    // The open that joined during the build got the summary handed out before (the first answer) and the same final one.
    const join = await (joined as Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }>);
    expect(materializeSummary(join.answer).progress).toEqual({ openId, seq: 0, final: false });
    expect(await join.fresh).toBe(final);
  });

  it('gives the same final summary as a build at once', async () => {
    const finalOf = async (stepwiseFromRecords: number): Promise<Summary> => {
      const service = createSummaryService({
        sources: [inProcess('region-large', results('region-large', 6_000)), inProcess('region-late', results('region-late', 50)), ...sandboxSource()],
        clock,
        logger: createLogger('test'),
        stepwiseFromRecords,
      });
      return await service.open(query());
    };
    const stepwise = await finalOf(1);
    const atOnce = await finalOf(Number.MAX_SAFE_INTEGER);
    const { progress: p1, ...a } = stepwise;
    const { progress: p2, ...b } = atOnce;
    expect(p1?.final).toBe(true);
    expect(p2?.final).toBe(true);
    // Everything but how long each source took to answer (its status's ms).
    const untimed = (summary: object) => JSON.stringify(summary, (key, value: unknown) => (key === 'ms' ? undefined : value), 1);
    expect(untimed(a)).toBe(untimed(b));
    expect(a.sections.results.length).toBeGreaterThan(0);
  });

  it('fails the open as a build at once does when the final stepwise build fails', async () => {
    const failing: ItemPolicy = {
      neutral: true,
      apply(items) {
        if (items.some((i) => i.provenance.sourceId === 'region-late')) throw new CodedError('CACHE_UNAVAILABLE');
        return HIDE_SEALED.apply(items);
      },
    };
    const service = createSummaryService({
      sources: [inProcess('region-large', results('region-large', 5_000)), inProcess('region-late', results('region-late', 50))],
      clock,
      logger: createLogger('test'),
      policy: () => failing,
      stepwiseFromRecords: 1_000,
    });
    await expect(service.open(query())).rejects.toMatchObject({ name: 'CodedError', code: 'CACHE_UNAVAILABLE' });
  });
});
