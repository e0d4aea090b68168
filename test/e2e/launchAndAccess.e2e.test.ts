/**
 * In the preview (issues 10 and 12): a launch in patient context waits for a
 * sign-in, then opens the patient as if typed — purpose asked; the dental
 * view shows only what changes dental treatment, marked; an emergency open
 * needs a reason.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLaunchUrl } from '../../src/main/app/launchContext';
import { SCREENSHOTS, startStack, type Stack } from './stack';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    signedIn: false,
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
        ],
      },
    }),
  });
  ({ page } = stack);
  await page.goto(stack.preview.url);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('launch in patient context, purpose and the dental view', () => {
  it('a launch while signed out waits; after sign-in the patient opens with the purpose question', async () => {
    await page.getByTestId('sign-in-view').waitFor();
    const launch = parseLaunchUrl('samsyn://patient/19121212-1212', new Date());
    if (!launch?.ok) throw new Error('launch not parsed');
    stack.services.launch(launch.value);
    // Nothing opens for nobody.
    await page.waitForTimeout(300);
    expect(await page.getByTestId('purpose-dialog').count()).toBe(0);
    await page.getByTestId('sign-in-user-maria.dental').click();
    const dialog = page.getByTestId('purpose-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('19121212-1212');
    expect(await page.getByTestId('patient-input').inputValue()).toBe('19121212-1212');
    // Ordinary care cannot be chosen without confirming the care relationship.
    expect(await page.getByTestId('purpose-open').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'access-purpose-dialog.png') });
    await page.getByTestId('purpose-relationship').check();
    await page.getByTestId('purpose-open').click();
    await page.getByTestId('patient-banner').waitFor();
  });

  it('the dental view: its sections only, a note saying so, the anticoagulant marked, no other drug', async () => {
    await page.getByTestId('role-note').waitFor();
    expect(await page.getByTestId('role-note').innerText()).toMatch(/Tandvård/);
    await expect.poll(() => page.getByTestId('item-relevance').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const marks = await page.getByTestId('item-relevance').allInnerTexts();
    expect(marks).toContain('Blodförtunnande');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Eliquis');
    expect(text).not.toContain('Metoprolol');
    expect(text).not.toContain('Zopiklon');
    expect(await page.getByTestId('section-immunizations').count()).toBe(0);
    // The index lists the role's sections in the role's order.
    const index = await page.locator('.section-index a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(index).toEqual(['#section-alerts', '#section-allergies', '#section-medications', '#section-problems', '#section-procedures', '#section-results']);
    await page.screenshot({ path: join(SCREENSHOTS, 'access-dental-view.png'), fullPage: true });
  });

  it('prints exactly what is shown, every row, with who printed it and when', async () => {
    // Chromium's print dialog is replaced by a probe that records what the page holds at print time.
    await page.evaluate(`(() => {
      window.__printed = [];
      window.print = () => window.__printed.push({
        virtual: document.querySelectorAll('[data-virtual="true"]').length,
        header: document.querySelector('[data-testid="print-header"]').textContent,
      });
    })()`);
    await page.getByTestId('print').click();
    await expect.poll(() => page.evaluate('window.__printed.length')).toBe(1);
    const printed = (await page.evaluate('window.__printed[0]')) as { virtual: number; header: string };
    expect(printed.virtual).toBe(0);
    expect(printed.header).toMatch(/Utskrift av Maria Berg, Folktandvården Syd/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('print-header').isVisible()).toBe(true);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'access-print-media.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it('an emergency open needs a reason before it can be sent', async () => {
    await page.getByTestId('patient-input').fill('198112189876');
    await page.getByTestId('patient-input').press('Enter');
    await page.getByTestId('purpose-dialog').waitFor();
    await page.getByTestId('purpose-emergency').check();
    expect(await page.getByTestId('purpose-open').isDisabled()).toBe(true);
    await page.getByTestId('purpose-reason').fill('Medvetslös vid ankomst');
    expect(await page.getByTestId('purpose-open').isDisabled()).toBe(false);
    await page.getByTestId('purpose-open').click();
    await expect.poll(() => page.getByTestId('purpose-dialog').count()).toBe(0);
  });
});
