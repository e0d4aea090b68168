/**
 * End to end: the national services beside the regions in Chromium — the
 * national medication list labelled and reconciled, home measurements against
 * the care plan, and the pregnant patient's card with gestational age today.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import type { PreviewServer } from '../../src/main/preview/previewServer';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

let stack: Stack;
let preview: PreviewServer;
let page: Page;
let national: FhirSandbox[] = [];

beforeAll(async () => {
  national = await Promise.all(['nll', 'hemma', 'mvc'].map((region) => startFhirSandbox({ region })));
  const [nll, hemma, mvc] = national as [FhirSandbox, FhirSandbox, FhirSandbox];
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
          { id: 'nll-se', name: 'Nationella läkemedelslistan', kind: 'fhir-r4', baseUrl: nll.url, timeoutMs: 5_000, enabled: true, role: 'nationalMedicationList', country: 'SE' },
          { id: 'hem', name: 'Digital hemmonitorering', kind: 'fhir-r4', baseUrl: hemma.url, timeoutMs: 5_000, pageSize: 500, enabled: true, role: 'homeMonitoring' },
          { id: 'mvc', name: 'Barnmorskemottagningen Syd', kind: 'fhir-r4', baseUrl: mvc.url, timeoutMs: 5_000, enabled: true, role: 'maternityCare' },
        ],
      } as never,
    }),
  });
  ({ preview, page } = stack);
  await page.setViewportSize({ width: 1280, height: 900 });
});

afterAll(async () => {
  await stack?.close();
  await Promise.all(national.map((s) => s.close()));
});

describe('national services in the browser preview', () => {
  it('labels the national medication list and places it beside the regions’ lists', async () => {
    await page.goto(preview.url);
    await openPatient(page, sandboxPatient('tolvan').identifier.value);
    await page.getByTestId('patient-banner').waitFor();
    const meds = page.getByTestId('section-medications');
    await meds.getByTestId('national-list').first().waitFor();
    expect(await meds.getByTestId('national-list').first().innerText()).toContain('Nationella läkemedelslistan');
    expect(await meds.getByTestId('last-dispensed').count()).toBeGreaterThan(0);
    expect(await meds.getByTestId('multi-dose').count()).toBeGreaterThan(0);
    // Region items say what the list holds for them; furosemide is not current there.
    const furosemide = meds.getByTestId('summary-item').filter({ hasText: 'Furosemid' }).filter({ has: page.getByTestId('national-match') });
    expect(await furosemide.first().getByTestId('national-match').getAttribute('data-match')).toBe('none');
    await meds.screenshot({ path: join(SCREENSHOTS, 'national-medication-list.png') });
    // The national services appear beside the regions, each with its own status.
    await expect.poll(() => page.locator('[data-testid="source-status"][data-state="ok"]').count()).toBe(5);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'national-sources-tolvan.png') });
  }, 90_000);

  it('shows the home measurements with the latest values and the ones outside the care plan', async () => {
    const home = page.getByTestId('section-homeMeasurements');
    await home.getByTestId('home-latest').waitFor();
    expect(await home.getByTestId('latest-value').count()).toBe(6);
    expect(await home.getByTestId('measured-by-patient').count()).toBe(1);
    expect(await home.getByTestId('home-latest').getByTestId('outside-threshold').count()).toBeGreaterThan(0);
    await home.getByTestId('home-measurements-summary').screenshot({ path: join(SCREENSHOTS, 'home-measurements.png') });
  });

  it('opens a discharge summary in a sandboxed frame, and names a refused document in words', async () => {
    const docs = page.getByTestId('section-documents');
    const discharge = docs.getByTestId('summary-item').filter({ hasText: 'Epikris' });
    await discharge.first().waitFor();
    expect(await discharge.first().getByTestId('document-type').innerText()).toBe('Epikris');
    expect(await discharge.first().innerText()).toContain('Medicinkliniken, Sydkustens sjukhus');
    await discharge.first().getByTestId('document-open').click();
    const frame = discharge.first().getByTestId('document-frame');
    await frame.waitFor();
    // No script, no remote load: the frame is sandboxed and carries a default-src 'none' policy.
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = page.frameLocator('[data-testid="document-frame"]').locator('body');
    await expect.poll(() => body.innerText()).toContain('Hjärtsvikt, försämring');
    expect(await page.frameLocator('[data-testid="document-frame"]').locator('#signed').innerText()).toContain('Dr. Johan Ek');
    await discharge.first().screenshot({ path: join(SCREENSHOTS, 'discharge-summary.png') });

    const radiology = docs.getByTestId('summary-item').filter({ hasText: 'Röntgenutlåtande' });
    await radiology.first().getByTestId('document-open').click();
    const refused = radiology.first().getByTestId('document-error');
    await refused.waitFor();
    expect(await refused.getAttribute('data-code')).toBe('DOCUMENT_URL_REFUSED');

    // A PDF report opens in the platform's viewer from a blob: URL the page made, never the source's address.
    const pdf = docs.getByTestId('summary-item').filter({ hasText: 'Bilddiagnostik' });
    await pdf.first().getByTestId('document-open').click();
    const pdfFrame = pdf.first().getByTestId('document-pdf');
    await pdfFrame.waitFor();
    expect(await pdfFrame.getAttribute('src')).toMatch(/^blob:/);
  });

  it('opens the pregnant patient and shows gestational age today and the check-up trends', async () => {
    await openPatient(page, sandboxPatient('stina').identifier.value);
    await expect.poll(async () => page.getByTestId('patient-banner').innerText()).toContain('Stina Testsson');
    const card = page.getByTestId('pregnancy-card');
    await card.waitFor();
    const ga = card.getByTestId('gestational-age');
    expect(await ga.innerText()).toMatch(/v \d+\+\d/);
    expect(Number(await ga.getAttribute('data-weeks'))).toBeGreaterThanOrEqual(0);
    expect(await card.getByTestId('blood-group').innerText()).toContain('RhD negativ');
    expect(await card.getByTestId('pregnancy-checkups').getByTestId('latest-value').count()).toBe(6);
    expect(await card.getByTestId('pregnancy-history').innerText()).toContain('Missfall');
    // The check-ups as series with a trend (sparkline) each, in the pregnancy section.
    const series = page.getByTestId('section-pregnancy').getByTestId('result-series');
    expect(await series.count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('section-pregnancy').locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await card.screenshot({ path: join(SCREENSHOTS, 'pregnancy-card.png') });
  });
});
