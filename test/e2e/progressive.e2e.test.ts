/**
 * Progressive display and the sticky patient header, in Debian's Chromium
 * against the real preview: two sandbox regions that answer and one real HTTP
 * server that never does. The regions' items are on screen while the hung
 * source still shows its spinner; its deadline then ends it, said in words.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { HEAVY_PATIENT_PERSONNUMMER } from '../../src/main/sandbox/heavyPatient';
import { startHungServer, type HungServer } from './hungServer';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

/** Long enough to look at the screen while the hung source is pending, even on a loaded machine. */
const HUNG_DEADLINE_MS = 10_000;

let stack: Stack;
let hung: HungServer;
let page: Page;

beforeAll(async () => {
  hung = await startHungServer();
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000, pageSize: 500, enabled: true },
          { id: 'region-hung', name: 'Region Tyst', kind: 'fhir-r4', baseUrl: hung.url, timeoutMs: HUNG_DEADLINE_MS, pageSize: 500, enabled: true },
        ],
      },
    }),
  });
  page = stack.page;
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await hung?.close();
});

const chip = (id: string) => page.locator(`[data-testid="source-status"][data-source-id="${id}"]`);

describe('progressive display', () => {
  it("shows the answering regions' items while the hung source still shows its spinner, then its deadline in words", async () => {
    await page.goto(stack.preview.url);
    await openPatient(page, sandboxPatient('tolvan').identifier.value);

    const allergy = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: /penicillin/i });
    await allergy.first().waitFor({ timeout: HUNG_DEADLINE_MS });
    // The regions have answered; the hung source is still being asked, with a spinner and the seconds waited.
    expect(await chip('region-nord').getAttribute('data-state')).toBe('ok');
    expect(await chip('region-hung').getAttribute('data-state')).toBe('pending');
    expect(await chip('region-hung').getByTestId('source-waiting-time').innerText()).toMatch(/Väntat \d+ s/);
    expect(await chip('region-hung').innerText()).toContain('Väntar på svar');
    expect(hung.requests).toBeGreaterThan(0);
    expect(await page.getByTestId('patient-loading').count()).toBe(0);
    expect(await page.getByTestId('patient-banner').innerText()).toContain('Tolvan Tolvansson');
    await page.screenshot({ path: join(SCREENSHOTS, 'progressive-hung-pending.png') });

    // Its deadline ends it, in words, and everything the regions said stays.
    const timedOut = page.locator('[data-testid="source-status"][data-source-id="region-hung"][data-state="timeout"]');
    await timedOut.waitFor({ timeout: HUNG_DEADLINE_MS + 10_000 });
    expect(await timedOut.getByTestId('source-error').innerText()).toBe(`Tidsgränsen (${HUNG_DEADLINE_MS / 1000} s) passerade utan svar`);
    expect(await timedOut.getByTestId('source-waiting-time').count()).toBe(0);
    expect(await allergy.count()).toBe(1);
    expect(await page.getByTestId('summary-refreshing').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'progressive-hung-deadline.png') });
  }, 60_000);

  it('keeps the patient header in view while scrolling the heavy patient, and the scroll position as updates arrive', async () => {
    await page.goto(stack.preview.url);
    await openPatient(page, HEAVY_PATIENT_PERSONNUMMER);
    const header = page.getByTestId('patient-header');
    await header.waitFor();
    // Wait for the regions' items (the hung source is still pending) so the page is long.
    await page.getByTestId('section-results').getByTestId('summary-item').first().waitFor({ timeout: HUNG_DEADLINE_MS });
    expect(await chip('region-hung').getAttribute('data-state')).toBe('pending');

    await page.evaluate(() => window.scrollTo(0, 2_500));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(2_000);
    const box = await header.boundingBox();
    const viewport = page.viewportSize();
    expect(box).not.toBeNull();
    expect(viewport).not.toBeNull();
    const appHeader = await page.locator('.app-header').boundingBox();
    // Just below the app header, fully on screen.
    expect(Math.round(box?.y ?? -1)).toBeGreaterThanOrEqual(Math.floor((appHeader?.y ?? 0) + (appHeader?.height ?? 0)) - 1);
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(viewport?.height ?? 0);
    expect(await header.getByTestId('patient-id').innerText()).toBe('19820421-2396');
    expect(await header.getByTestId('patient-age').innerText()).toMatch(/^\d+ år$/);
    expect(await header.getByTestId('header-allergies').isVisible()).toBe(true);
    // The header is what is seen at its place: not covered by the rows scrolled under it.
    const onTop = await page.evaluate(() => {
      const h = document.querySelector('[data-testid="patient-id"]')?.getBoundingClientRect();
      if (!h) return false;
      const at = document.elementFromPoint(h.x + h.width / 2, h.y + h.height / 2);
      return at?.closest('[data-testid="patient-header"]') !== null;
    });
    expect(onTop).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'sticky-header-scrolled.png') });

    // The hung source's deadline brings one more update (the source bar above changes height):
    // what the reader is looking at stays where it is on screen.
    const before = await page.evaluate(() => {
      const at = document.elementFromPoint(window.innerWidth / 2, window.innerHeight * 0.75);
      const row = at?.closest('tr, li, [data-testid="summary-item"]') ?? at;
      (window as unknown as { reading?: Element | null }).reading = row;
      return { top: row?.getBoundingClientRect().top ?? NaN, text: row?.textContent ?? '' };
    });
    expect(before.text).not.toBe('');
    await chip('region-hung').and(page.locator('[data-state="timeout"]')).waitFor({ timeout: HUNG_DEADLINE_MS + 10_000 });
    const after = await page.evaluate(() => {
      const row = (window as unknown as { reading?: Element | null }).reading;
      return { connected: row?.isConnected ?? false, top: row?.getBoundingClientRect().top ?? NaN };
    });
    expect(after.connected).toBe(true);
    expect(Math.abs(after.top - before.top)).toBeLessThan(2);
  }, 60_000);
});
