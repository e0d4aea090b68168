/**
 * Live memory of a pushed update (ADR 0037): while the summary service builds
 * the next summary of an open, it no longer holds the one it handed out
 * before, so the two are not alive together unless a listener keeps the old
 * one. Two sandbox regions, one slowed so that its answer makes a second
 * update; during that update's build (the item policy runs inside it) a full
 * GC finds the first update's summary collectable. Another open that joins the
 * run between the updates still gets the latest summary.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { materializeSummary } from '../../../src/main/summary/summaryAnswer';
import { createSummaryService, HIDE_SEALED, type ItemPolicy } from '../../../src/main/summary/summaryService';
import type { Summary } from '../../../src/shared/summary';
import { sandboxQuery } from '../../fixtures/patientQuery';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const NOW = new Date('2026-11-25T10:00:00Z');
let nord: FhirSandbox;
let syd: FhirSandbox;

beforeAll(async () => {
  [nord, syd] = await Promise.all([startFhirSandbox({ region: 'nord' }), startFhirSandbox({ region: 'syd' })]);
});

afterAll(async () => {
  await Promise.all([nord.close(), syd.close()]);
});

describe('the summary handed out before', () => {
  it('is not held by the service while the next update is built', async () => {
    syd.setFault('slow', { slowMs: 1_500 });
    const sources = createSourceAdapters({
      sources: [
        { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000, enabled: true },
        { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000, enabled: true },
      ],
    });
    /** The last update handed out, held only weakly here. */
    let handedOut: WeakRef<Summary> | undefined;
    const updates: boolean[] = [];
    /** Per build after the first update: whether the update before it was still alive after a full GC. */
    const heldDuringBuild: boolean[] = [];
    const policy: ItemPolicy = {
      neutral: true,
      apply(items) {
        if (handedOut) {
          gc();
          heldDuringBuild.push(handedOut.deref() !== undefined);
        }
        return HIDE_SEALED.apply(items);
      },
    };
    /** What the joining open got (not the summary itself: held here, it would stay alive). */
    let joined: { seq?: number; states: string[] } | undefined;
    const service = createSummaryService({
      sources,
      clock: { now: () => NOW },
      logger: createLogger('test'),
      policy: () => policy,
      onUpdate: (summary) => {
        updates.push(summary.progress?.final ?? false);
        handedOut = new WeakRef(summary);
        if (!summary.progress?.final) {
          // An open joining the run between the updates gets this one.
          void service.openWithRefresh(sandboxQuery('tolvan', NOW)).then(({ answer }) => {
            const got = materializeSummary(answer);
            joined = { seq: got.progress?.seq, states: got.sources.map((s) => s.state) };
          });
        }
      },
    });
    try {
      const { fresh } = await service.openWithRefresh(sandboxQuery('tolvan', NOW));
      const final = await fresh;
      expect(updates).toEqual([false, true]);
      expect(final?.sources.map((s) => s.state)).toEqual(['ok', 'ok']);
      expect(heldDuringBuild).toEqual([false]);
      expect(joined).toEqual({ seq: 1, states: ['ok', 'pending'] });
    } finally {
      syd.setFault('none');
      await service.settled();
    }
  });
});
