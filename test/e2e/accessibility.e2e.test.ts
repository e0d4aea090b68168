/**
 * Issue 11 item 8: an automated axe-core check (injected into the page;
 * @axe-core/playwright needs Node 22) on the sign-in view, the start page, a
 * summary, the results view, the purpose dialog, the medication
 * reconciliation view and the summary with every section collapsed. Fails on
 * any serious or critical violation (WCAG 2.1 A and AA rules).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nordSydAndVast, startStack, type Stack } from './stack';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let stack: Stack;
let page: Page;

interface Violation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as it is.
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })))`,
  )) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  stack = await startStack({ signedIn: false, mllp: true, sources: nordSydAndVast });
  ({ page } = stack);
  await page.goto(stack.preview.url);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('axe-core: no serious or critical violations', () => {
  it('on the sign-in view', async () => {
    await page.getByTestId('sign-in-view').waitFor();
    expect(await seriousViolations()).toEqual([]);
  });

  it('on the start page and the purpose dialog', async () => {
    await page.getByTestId('sign-in-user-anna.nurse').click();
    await page.getByTestId('patient-input').waitFor();
    expect(await seriousViolations()).toEqual([]);
    await page.getByTestId('patient-input').fill('19121212-1212');
    await page.getByTestId('patient-input').press('Enter');
    await page.getByTestId('purpose-dialog').waitFor();
    expect(await seriousViolations()).toEqual([]);
    await page.getByTestId('purpose-relationship').check();
    await page.getByTestId('purpose-open').click();
  });

  it('on a summary with every source answered, and its results view with a series open', async () => {
    await page.getByTestId('patient-banner').waitFor();
    await expect.poll(() => page.locator('[data-state="pending"]').count(), { timeout: 30_000 }).toBe(0);
    expect(await seriousViolations()).toEqual([]);
    const toggle = page.getByTestId('series-toggle').first();
    await toggle.click();
    await page.getByTestId('series-detail').first().waitFor();
    expect(await seriousViolations()).toEqual([]);
  });

  it('on the medication reconciliation view (Kommun Väst answered: three source columns)', async () => {
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-reconcile').click();
    await medications.getByTestId('reconciliation').waitFor();
    expect(await medications.getByTestId('recon-source').count()).toBe(3);
    expect(await seriousViolations()).toEqual([]);
  });

  it('with every section collapsed, and expanded again', async () => {
    await page.getByTestId('collapse-all').click();
    expect(await page.locator('.section__body[hidden]').count()).toBeGreaterThan(3);
    expect(await seriousViolations()).toEqual([]);
    await page.getByTestId('expand-all').click();
    expect(await page.locator('.section__body[hidden]').count()).toBe(0);
    expect(await seriousViolations()).toEqual([]);
    await page.getByTestId('section-medications').getByTestId('medication-view-list').click();
  });

  it('reaches the patient search from anywhere with Ctrl+K, and the sections by Tab with a visible focus', async () => {
    await page.getByTestId('series-toggle').first().focus();
    await page.keyboard.press('Control+K');
    expect(await page.evaluate(`document.activeElement?.getAttribute('data-testid')`)).toBe('patient-input');
    expect(await page.getByTestId('patient-input').getAttribute('aria-keyshortcuts')).toContain('Control+K');
    // Tab moves on to the next control, and the focused control shows a focus outline.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).boxShadow`);
    expect(outline).not.toBe('none none');
  });
});

