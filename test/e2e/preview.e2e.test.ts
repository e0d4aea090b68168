/**
 * End to end: the real preview server (the same handlers Electron uses), two
 * sandbox regions, and the built renderer, driven in Debian's Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import type { FhirSandbox } from '../../src/main/sandbox/fhirServer';
import type { PreviewServer } from '../../src/main/preview/previewServer';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

let stack: Stack;
let nord: FhirSandbox;
let syd: FhirSandbox;
let preview: PreviewServer;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
        ],
      },
    }),
  });
  ({ nord, syd, preview, page } = stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('browser preview', () => {
  it('opens with the configured sources and removes the token from the address bar', async () => {
    await page.goto(preview.url);
    await expect.poll(() => page.getByText('Region Nord').count()).toBeGreaterThan(0);
    expect(page.url()).not.toContain(preview.token);
  });

  it('shows an allergy with its source name and date for a Swedish test personnummer', async () => {
    nord.setFault('none');
    await openPatient(page, '19121212-1212');
    const banner = page.getByTestId('patient-banner');
    await banner.waitFor();
    // The banner is there at once (progressive display); the name arrives with the first source's answer.
    await expect.poll(() => banner.innerText(), { timeout: 15_000 }).toContain('Tolvan Tolvansson');

    const allergy = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: /penicillin/i });
    await allergy.first().waitFor();
    expect(await allergy.count()).toBe(1);
    const provenance = await allergy.first().getByTestId('item-provenance').innerText();
    expect(provenance).toContain('Region Nord');
    expect(provenance).toContain('Region Syd');
    expect(provenance).toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2} [a-zåäö]+\.? \d{4}/i);

    // A refuted allergy stays visible, apart and dated by when it was refuted (issue 9 item 4).
    const refuted = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: 'Sulfonamider' });
    expect(await refuted.count()).toBe(1);
    expect(await refuted.getByTestId('status-date').innerText()).toMatch(/^Avskriven (2021-03-02|2 mars 2021)$/);

    const chips = page.getByTestId('source-status');
    expect(await chips.count()).toBe(2);
    expect(await page.locator('[data-testid="source-status"][data-state="ok"]').count()).toBe(2);

    // Sections appear in IPS order: alerts and allergies before medications and results.
    const order = await page.locator('[data-testid^="section-"]').evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-testid')),
    );
    const idx = (k: string) => order.indexOf(`section-${k}`);
    expect(idx('allergies')).toBeGreaterThanOrEqual(0);
    expect(idx('allergies')).toBeLessThan(idx('medications'));
    expect(idx('medications')).toBeLessThan(idx('results'));
    await page.screenshot({ path: join(SCREENSHOTS, 'summary-tolvan.png'), fullPage: true });
  });

  it('names a failed source and still shows the other region', async () => {
    syd.setFault('down');
    try {
      await openPatient(page, sandboxPatient('tolvan').identifier.value);
      const failed = page.locator('[data-testid="source-status"][data-source-id="region-syd"][data-state="failed"]');
      await failed.waitFor();
      expect(await failed.innerText()).toContain('Region Syd');
      await page.getByTestId('section-allergies').getByTestId('summary-item').first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'summary-source-down.png'), fullPage: false });
    } finally {
      syd.setFault('none');
    }
  });

  it('says in words what is wrong with an invalid number and opens nothing', async () => {
    await page.goto(preview.url);
    const input = page.getByTestId('patient-input');
    await input.fill('19121212-1213');
    const error = page.getByTestId('patient-input-error');
    await error.waitFor();
    const text = await error.innerText();
    expect(text).toMatch(/kontrollsiffra/i);
    await input.press('Enter');
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'invalid-id.png') });
  });

  it('switches the interface to English', async () => {
    await page.getByRole('combobox', { name: /språk|language/i }).selectOption('en');
    await openPatient(page, '19121212-1212');
    await page.getByTestId('patient-banner').waitFor();
    expect(await page.getByTestId('section-allergies').innerText()).toMatch(/allerg/i);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });
});
