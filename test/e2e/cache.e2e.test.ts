/**
 * End to end with the encrypted cache: a patient is opened while both regions
 * answer; then every source is stopped, and the patient still opens, from the
 * cache, with each source's true age ("3 h 12 min gammal") and the failed
 * refresh spelled out. Then "Töm cache" in the settings empties it.
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
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

const AGE_MS = (3 * 60 + 12) * 60_000 + 20_000;

// The services' clock runs 3 h 12 min behind while the patient is first
// fetched, so the snapshot is that old when the browser (real time) shows it.
let offset = -AGE_MS;
const clock = { now: () => new Date(Date.now() + offset) };

let stack: Stack;
let nord: FhirSandbox;
let syd: FhirSandbox;
let stopped = false;
let dir: string;
let cache: CacheHandle;
let preview: PreviewServer;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-e2e-cache-'));
  cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 5) }, clock, logger: createLogger('e2e') });
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      adapters: [
        createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 3_000, pageSize: 500, clock }),
        createFhirSource({ id: 'region-syd', name: 'Region Syd', baseUrl: syd.url, timeoutMs: 3_000, pageSize: 500, clock }),
      ],
    }),
    cache,
    clock,
  });
  ({ nord, syd, preview, page } = stack);
});

afterAll(async () => {
  await stack?.close({ regionsStopped: stopped });
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chip = (id: string) => page.locator(`[data-testid="source-status"][data-source-id="${id}"]`);

describe('browser preview with the encrypted cache', () => {
  it('opens a patient live while the regions answer', async () => {
    await page.goto(preview.url);
    await openPatient(page, sandboxPatient('tolvan').identifier.value);
    await page.locator('[data-testid="source-status"][data-state="ok"]').nth(1).waitFor();
    expect(await page.getByTestId('from-cache').count()).toBe(0);
  });

  it('with every source stopped, opens the patient from the cache with correct ages', async () => {
    offset = 0;
    stopped = true;
    await Promise.all([nord.close(), syd.close()]);
    await page.goto(preview.url);
    await openPatient(page, sandboxPatient('tolvan').identifier.value);

    const banner = page.getByTestId('patient-banner');
    await banner.waitFor();
    // The banner is there at once (progressive display); the name arrives with the first source's answer.
    await expect.poll(() => banner.innerText(), { timeout: 15_000 }).toContain('Tolvan Tolvansson');
    await page.getByTestId('from-cache').waitFor();
    expect(await page.getByTestId('from-cache').innerText()).toContain('3 h 12 min gammal');

    // The pushed refresh lands: both sources failed now, cached data from 3 h 12 min ago.
    for (const id of ['region-nord', 'region-syd']) {
      await chip(id).getByTestId('source-error').waitFor();
      expect(await chip(id).getAttribute('data-state')).toBe('cached');
      expect(await chip(id).getByTestId('source-age').innerText()).toBe('3 h 12 min gammal');
      expect(await chip(id).getByTestId('source-error').innerText()).toMatch(/Uppdatering misslyckades/);
    }
    expect(await page.getByTestId('summary-refreshing').count()).toBe(0);

    const allergy = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: /penicillin/i });
    await allergy.first().waitFor();
    expect(await allergy.first().getByTestId('item-age').first().innerText()).toContain('sparad, 3 h 12 min gammal');
    // No item anywhere is shown without its cached age.
    const items = await page.getByTestId('item-provenance').count();
    expect(await page.locator('[data-testid="item-provenance"]:has([data-testid="item-age"])').count()).toBe(items);
    await page.screenshot({ path: join(SCREENSHOTS, 'summary-from-cache.png'), fullPage: true });
  });

  it('"Töm cache" in the settings empties the cache', async () => {
    await page.getByTestId('settings-open').click();
    await page.getByTestId('cache-info').waitFor();
    expect(await page.getByTestId('cache-info').innerText()).toMatch(/Patienter i cachen: 1\./);
    await page.getByTestId('cache-clear').click();
    await page.getByTestId('cache-clear-result').waitFor();
    expect(await page.getByTestId('cache-clear-result').innerText()).toMatch(/Cachen är tömd \(2 /);
    await expect.poll(() => page.getByTestId('cache-info').innerText()).toMatch(/Patienter i cachen: 0\./);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-cache-cleared.png') });

    // Now nothing is cached: with every source stopped the summary says so, and shows no data.
    await openPatient(page, sandboxPatient('tolvan').identifier.value);
    await page.locator('[data-testid="source-status"][data-state="failed"]').nth(1).waitFor();
    expect(await page.getByTestId('from-cache').count()).toBe(0);
  });
});
