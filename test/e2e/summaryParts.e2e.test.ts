/**
 * Issue 13, ADR 0032, in Chromium against the real preview: the heavy
 * patient's cached answer comes in two parts. Part 1 (the header, the first
 * panels, every critical item) is painted while the other panels say they are
 * still loading; part 2, asked for after that paint, brings them. A malformed
 * part 2 never shows a row of it; a patient switched between the two parts
 * never gets the first one's part 2. Without a cache, the pushed update comes
 * as part 1 then part 2 on the event stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import type { AnswerHandlers } from '../../src/main/bridge/dispatch';
import { openCache, type CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import { rendererDir } from '../../src/main/platform/paths';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/previewServer';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { materializeSummary, type SummaryAnswer } from '../../src/main/summary/summaryAnswer';
import type { SummaryRest } from '../../src/shared/summaryParts';
import { signInForTest, stateCareFor } from '../fixtures/session';
import { startStack, type Stack } from './stack';

const clock = { now: () => new Date() };
const HEAVY = sandboxPatient('heavy').identifier.value;
const TOLVAN = sandboxPatient('tolvan').identifier.value;
let stack: Stack;
let dir: string;
let cache: CacheHandle;
let preview: PreviewServer;
let page: Page;
let live: Services;
let livePreview: PreviewServer;
/** How part 2 is broken on its way (none: as it is). */
let corrupt: ((rest: SummaryRest) => void) | undefined;
/** Holds part 2 back until released. */
let gate: Promise<void> | undefined;
let restAsked = 0;

const regions = (urls: { nord: string; syd: string }) => [
  createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: urls.nord, timeoutMs: 20_000, pageSize: 500, clock }),
  createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: urls.syd, timeoutMs: 20_000, pageSize: 500, clock }),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-e2e-parts-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 6) }, clock, logger: createLogger('e2e') });
  stack = await startStack({ sources: ({ nord, syd }) => ({ adapters: regions({ nord: nord.url, syd: syd.url }) }), cache, clock });
  const { services } = stack;
  // The purpose stated and both patients in the cache: every open below answers from it at once.
  await stateCareFor(services, HEAVY);
  await stateCareFor(services, TOLVAN);
  const handlers: AnswerHandlers = {
    ...services.handlers,
    'summary.rest': async (request) => {
      restAsked++;
      if (gate) await gate;
      const answer = await services.handlers['summary.rest'](request);
      if (!answer.ok || !corrupt) return answer;
      const rest = materializeSummary(answer.value as SummaryAnswer) as unknown as SummaryRest;
      corrupt(rest);
      return { ok: true, value: rest };
    },
  };
  preview = await startPreviewServer({ handlers, events: services.events, staticDir: rendererDir() });
  page = await stack.page.context().newPage();
  await page.goto(preview.url);
  await page.getByTestId('patient-input').waitFor();

  live = createServices({ config: { sources: [] }, sources: regions({ nord: stack.nord.url, syd: stack.syd.url }), clock, logger: createLogger('e2e'), transport: 'preview', version: 'e2e' });
  await signInForTest(live);
  await stateCareFor(live, HEAVY);
  livePreview = await startPreviewServer({ handlers: live.handlers, events: live.events, staticDir: rendererDir() });
}, 120_000);

afterAll(async () => {
  await stack?.services.summary.settled();
  await live?.summary.settled();
  await livePreview?.close();
  await preview?.close();
  await stack?.close();
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens a patient, recording what was ever in the page: a first-panel row, a result row, the "still loading" note, a result row under Tolvan. */
async function openWatched(on: Page, patient: string): Promise<void> {
  await on.getByTestId('patient-input').fill('');
  await on.getByTestId('patient-input').press('Enter');
  await on.getByTestId('patient-banner').waitFor({ state: 'detached' });
  await on.evaluate(`(() => {
    const w = { firstRow: false, resultRow: false, loading: false, loadingWithFirstRow: false, resultsWhileLoading: false };
    window.__w = w;
    new MutationObserver(() => {
      const first = document.querySelector('#section-medications [data-testid="summary-item"]') !== null;
      const result = document.querySelector('#section-results [data-testid="summary-item"]') !== null;
      const loading = document.querySelector('[data-testid="sections-loading"]') !== null;
      w.firstRow ||= first;
      w.resultRow ||= result;
      w.loading ||= loading;
      w.loadingWithFirstRow ||= loading && first;
      w.resultsWhileLoading ||= loading && result;
    }).observe(document.body, { childList: true, subtree: true });
  })()`);
  await on.getByTestId('patient-input').fill(patient);
  await on.getByTestId('patient-input').press('Enter');
}

interface Watched {
  firstRow: boolean;
  resultRow: boolean;
  loading: boolean;
  loadingWithFirstRow: boolean;
  resultsWhileLoading: boolean;
}
const seen = (on: Page) => on.evaluate('window.__w') as Promise<Watched>;

describe('a large summary in two parts, in Chromium', () => {
  it('a cached open: the header and first panels painted with the rest marked loading, then every section', async () => {
    corrupt = undefined;
    await stack.services.summary.settled();
    const asked = restAsked;
    await openWatched(page, HEAVY);
    await page.locator('#section-results [data-testid="summary-item"]').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('sections-loading').waitFor({ state: 'detached' });
    expect(restAsked).toBe(asked + 1);
    await expect(page.getByTestId('summary-error').count()).resolves.toBe(0);
    const counts = await page.locator('.section-index__count').allTextContents();
    expect(counts.every((c) => /^\d+$/.test(c))).toBe(true);
    // Part 1 painted alone first, saying the rest is on its way; no result before part 2.
    expect(await seen(page)).toMatchObject({ firstRow: true, loadingWithFirstRow: true, resultsWhileLoading: false });
    // Part 2 checked once, after the paint; no whole-answer check in steps any more.
    await expect(page.evaluate(`performance.getEntriesByName('samsyn.validate summary.rest').length`)).resolves.toBe(1);
    await expect(page.evaluate(`performance.getEntriesByName('samsyn.validate summary.open rest').length`)).resolves.toBe(0);
  }, 60_000);

  it('a malformed part 2: the coded error, no row of it ever shown', async () => {
    corrupt = (rest) => {
      (rest.sections.results?.[100] as unknown as Record<string, unknown>).sealed = 'no';
    };
    await stack.services.summary.settled();
    await openWatched(page, HEAVY);
    await page.getByTestId('summary-error').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid="summary-item"]').count()).resolves.toBe(0);
    expect(await seen(page)).toMatchObject({ firstRow: true, resultRow: false });
    corrupt = undefined;
  }, 60_000);

  it('another patient opened between the two parts never gets the first one’s part 2', async () => {
    let release: () => void = () => undefined;
    gate = new Promise((resolve) => (release = resolve));
    const asked = restAsked;
    await stack.services.summary.settled();
    await openWatched(page, HEAVY);
    await page.locator('#section-medications [data-testid="summary-item"]').first().waitFor({ timeout: 20_000 });
    // Part 2 asked for and held in main; the clinician opens Tolvan.
    await expect.poll(() => restAsked, { timeout: 10_000 }).toBe(asked + 1);
    await page.getByTestId('patient-input').fill(TOLVAN);
    await page.getByTestId('patient-input').press('Enter');
    await page.locator('[data-testid="patient-banner"]').waitFor();
    await stack.services.summary.settled();
    await page.waitForTimeout(300);
    const tolvanItems = await page.locator('[data-testid="summary-item"]').count();
    gate = undefined;
    release();
    // The heavy patient's part 2 arrives now: nothing of it may appear.
    await page.waitForTimeout(500);
    await expect(page.locator('[data-testid="summary-item"]').count()).resolves.toBe(tolvanItems);
    await expect(page.getByTestId('summary-error').count()).resolves.toBe(0);
    await expect(page.getByTestId('sections-loading').count()).resolves.toBe(0);
  }, 60_000);

  it('without a cache: the pushed update comes as part 1, then part 2 on the event stream', async () => {
    const livePage = await stack.page.context().newPage();
    try {
      await livePage.goto(livePreview.url);
      await livePage.getByTestId('patient-input').waitFor();
      await openWatched(livePage, HEAVY);
      await live.summary.settled();
      await livePage.locator('#section-results [data-testid="summary-item"]').first().waitFor({ timeout: 30_000 });
      await livePage.getByTestId('sections-loading').waitFor({ state: 'detached' });
      await expect(livePage.getByTestId('summary-error').count()).resolves.toBe(0);
      expect(await seen(livePage)).toMatchObject({ firstRow: true, loadingWithFirstRow: true, resultsWhileLoading: false });
      await expect(livePage.evaluate(`performance.getEntriesByName('samsyn.validate summary.rest').length`)).resolves.toBeGreaterThan(0);
    } finally {
      await livePage.close();
    }
  }, 90_000);
});
