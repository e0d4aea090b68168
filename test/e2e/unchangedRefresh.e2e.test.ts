/**
 * Issue 13: a patient opened from the cache is refreshed; when the fresh
 * answer holds the same records, the rows on screen are not rendered again —
 * the same DOM elements stay, the store replaces no sections (its User Timing
 * mark "samsyn.summary.sections" is not set again) — while each row's "saved,
 * N old" mark goes where its source answered, and stays where it did not.
 * (A changed answer replacing the sections is covered by the store's and the
 * marker's own tests: test/unit/renderer/cache/unchangedUpdates.test.ts,
 * test/unit/main/bridge/unchangedSections.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import type { PreviewServer } from '../../src/main/preview/previewServer';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import type { FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { openPatient, startStack, type Stack } from './stack';

const clock = { now: () => new Date() };
let stack: Stack;
let nord: FhirSandbox;
let syd: FhirSandbox;
let dir: string;
let cache: CacheHandle;
let preview: PreviewServer;
let page: Page;
const TOLVAN = sandboxPatient('tolvan').identifier.value;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-e2e-unchanged-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 9) }, clock, logger: createLogger('e2e') });
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      adapters: [
        createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 10_000, pageSize: 500, clock }),
        createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: syd.url, timeoutMs: 10_000, pageSize: 500, clock }),
      ],
    }),
    cache,
    clock,
  });
  ({ nord, syd, preview, page } = stack);
});

afterAll(async () => {
  await stack?.services.summary.settled();
  await stack?.close();
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Counts, from now on, the store's section replacements and the summary rows removed from the page. */
async function watch(): Promise<void> {
  await page.evaluate(`(() => {
    const w = { replaced: 0, removed: 0, since: performance.now() };
    window.__watch = w;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'samsyn.summary.sections' && e.startTime > w.since) w.replaced++;
    }).observe({ type: 'mark' });
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.removedNodes) {
        if (n.nodeType === 1 && (n.matches('[data-testid="summary-item"]') || n.querySelector('[data-testid="summary-item"]'))) w.removed++;
      }
    }).observe(document.body, { childList: true, subtree: true });
    window.__rows = [...document.querySelectorAll('[data-testid="summary-item"]')];
  })()`);
}

async function watched(): Promise<{ replaced: number; removed: number; rows: number; stillThere: number }> {
  // A pause so the observers' callbacks have run.
  await page.waitForTimeout(300);
  return (await page.evaluate(`({ replaced: window.__watch.replaced, removed: window.__watch.removed,
    rows: window.__rows.length, stillThere: window.__rows.filter((r) => r.isConnected).length })`)) as {
    replaced: number;
    removed: number;
    rows: number;
    stillThere: number;
  };
}

describe('a refresh that changes nothing', () => {
  it('keeps the rows shown, and only their saved-copy marks go', async () => {
    await page.goto(preview.url);
    await openPatient(page, TOLVAN);
    await page.locator('[data-testid="source-status"][data-state="ok"]').nth(1).waitFor();
    await stack.services.summary.settled();

    // The next open answers from the cache at once; the regions answer slowly, with the same records.
    nord.setFault('slow', { slowMs: 1_500 });
    syd.setFault('slow', { slowMs: 1_500 });
    await page.getByTestId('patient-input').fill('');
    await page.getByTestId('patient-input').press('Enter');
    await page.getByTestId('patient-banner').waitFor({ state: 'detached' });
    await openPatient(page, TOLVAN);
    await page.getByTestId('from-cache').waitFor();
    // Every panel painted (the first screenful comes first, the rest a moment later).
    await page.getByTestId('item-age').first().waitFor();
    await page.waitForTimeout(200);
    const agesBefore = await page.getByTestId('item-age').count();
    expect(agesBefore).toBeGreaterThan(0);
    await watch();

    await page.locator('[data-testid="source-status"][data-state="cached"]').first().waitFor({ state: 'detached', timeout: 15_000 });
    await stack.services.summary.settled();
    const seen = await watched();
    expect(seen.rows).toBeGreaterThan(0);
    expect(seen.replaced).toBe(0);
    expect(seen.removed).toBe(0);
    expect(seen.stillThere).toBe(seen.rows);
    // The sources answered: no row says it is a saved copy any more.
    expect(await page.getByTestId('item-age').count()).toBe(0);
    expect(await page.getByTestId('from-cache').count()).toBe(0);
    nord.setFault('none');
    syd.setFault('none');
  });

  it('a region that stays down keeps its saved-copy marks; the one that answered loses them, rows kept', async () => {
    await page.getByTestId('patient-input').fill('');
    await page.getByTestId('patient-input').press('Enter');
    await page.getByTestId('patient-banner').waitFor({ state: 'detached' });
    // Region Syd is down: its cached records stay (marked saved); Region Nord answers the same records fresh.
    syd.setFault('down');
    nord.setFault('slow', { slowMs: 1_500 });
    await openPatient(page, TOLVAN);
    await page.getByTestId('from-cache').waitFor();
    await page.getByTestId('item-age').first().waitFor();
    await page.waitForTimeout(200);
    const nordAges = page.locator('.item-provenance__source[data-source-id="region-nord"] [data-testid="item-age"]');
    const sydAges = page.locator('.item-provenance__source[data-source-id="region-syd"] [data-testid="item-age"]');
    const sydBefore = await sydAges.count();
    expect(await nordAges.count()).toBeGreaterThan(0);
    expect(sydBefore).toBeGreaterThan(0);
    await watch();
    await page.locator('[data-source-id="region-nord"][data-state="ok"]').first().waitFor({ timeout: 15_000 });
    await stack.services.summary.settled();
    const seen = await watched();
    expect(seen.replaced).toBe(0);
    expect(seen.stillThere).toBe(seen.rows);
    expect(await nordAges.count()).toBe(0);
    expect(await sydAges.count()).toBe(sydBefore);
    nord.setFault('none');
    syd.setFault('none');
  });
});
