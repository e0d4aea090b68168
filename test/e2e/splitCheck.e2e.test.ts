/**
 * Issue 13, ADR 0031: the heavy patient's answer is checked in two steps in
 * Chromium — the head, the first panels and the critical items before the
 * first paint, the other sections after it and before their panels render.
 * A malformed section never reaches the screen: one in a first panel refuses
 * the answer before anything is shown; one in a later section (results)
 * takes the summary off the screen for the coded error, its rows never shown.
 * The answer is the real cached one, corrupted on its way by a wrapped handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerHandlers } from '../../src/main/bridge/dispatch';
import { openCache, type CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import { rendererDir } from '../../src/main/platform/paths';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/previewServer';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { materializeSummary, type SummaryAnswer } from '../../src/main/summary/summaryAnswer';
import type { Summary } from '../../src/shared/summary';
import { stateCareFor } from '../fixtures/session';
import { startStack, type Stack } from './stack';

const clock = { now: () => new Date() };
const HEAVY = sandboxPatient('heavy').identifier.value;
let stack: Stack;
let dir: string;
let cache: CacheHandle;
let preview: PreviewServer;
let page: Page;
/** How the next answer is broken on its way to the page (none: passed as it is). */
let corrupt: ((summary: Summary) => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-e2e-split-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 5) }, clock, logger: createLogger('e2e') });
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      adapters: [
        createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 20_000, pageSize: 500, clock }),
        createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: syd.url, timeoutMs: 20_000, pageSize: 500, clock }),
      ],
    }),
    cache,
    clock,
  });
  const { services } = stack;
  // The purpose stated and the heavy patient in the cache: every open below answers from it at once.
  await stateCareFor(services, HEAVY);
  const handlers: AnswerHandlers = {
    ...services.handlers,
    // The answer whole, as a reveal answers (a large open comes in two parts: summaryParts.e2e.test.ts, ADR 0032).
    'summary.open': async (request) => {
      const answer = await services.handlers['summary.open']({ ...request, parts: false });
      if (!answer.ok || !corrupt) return answer;
      const summary = materializeSummary(answer.value as SummaryAnswer);
      corrupt(summary);
      return { ok: true, value: summary };
    },
  };
  preview = await startPreviewServer({ handlers, events: services.events, staticDir: rendererDir() });
  page = await stack.page.context().newPage();
  await page.goto(preview.url);
  await page.getByTestId('patient-input').waitFor();
}, 120_000);

afterAll(async () => {
  await stack?.services.summary.settled();
  await preview?.close();
  await stack?.close();
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the heavy patient, recording whether any row of a first panel, or any result row, was ever in the page. */
async function openWatched(): Promise<void> {
  await stack.services.summary.settled();
  await page.getByTestId('patient-input').fill('');
  await page.getByTestId('patient-input').press('Enter');
  await page.getByTestId('patient-banner').waitFor({ state: 'detached' });
  await page.evaluate(`(() => {
    const w = { firstRow: false, resultRow: false };
    window.__w = w;
    new MutationObserver(() => {
      if (document.querySelector('#section-medications [data-testid="summary-item"]')) w.firstRow = true;
      if (document.querySelector('#section-results [data-testid="summary-item"]')) w.resultRow = true;
    }).observe(document.body, { childList: true, subtree: true });
  })()`);
  await page.getByTestId('patient-input').fill(HEAVY);
  await page.getByTestId('patient-input').press('Enter');
}

const seen = () => page.evaluate('window.__w') as Promise<{ firstRow: boolean; resultRow: boolean }>;

describe('the two-step check of a large answer, in Chromium', () => {
  it('shows the first panels, then every section once checked', async () => {
    corrupt = undefined;
    await openWatched();
    await page.locator('#section-results [data-testid="summary-item"]').first().waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('summary-error').count()).resolves.toBe(0);
    const counts = await page.locator('.section-index__count').allTextContents();
    expect(counts.every((c) => /^\d+$/.test(c))).toBe(true);
    // It was checked in two steps: the rest after the first paint.
    await expect(page.evaluate(`performance.getEntriesByName('samsyn.validate summary.open rest').length`)).resolves.toBe(1);
  }, 60_000);

  it('a malformed result: the coded error, no result row ever shown, the checked panels gone', async () => {
    corrupt = (summary) => {
      (summary.sections.results[100] as unknown as Record<string, unknown>).sealed = 'no';
    };
    await openWatched();
    await page.getByTestId('summary-error').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="summary-item"]').count()).resolves.toBe(0);
    // The checked first panels were painted, the malformed section never.
    expect(await seen()).toEqual({ firstRow: true, resultRow: false });
  }, 60_000);

  it('a malformed first panel: the coded error before anything is shown', async () => {
    corrupt = (summary) => {
      (summary.sections.medications[0] as unknown as Record<string, unknown>).sources = 'x';
    };
    await openWatched();
    await page.getByTestId('summary-error').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid="summary-item"]').count()).resolves.toBe(0);
    expect(await seen()).toEqual({ firstRow: false, resultRow: false });
  }, 60_000);
});
