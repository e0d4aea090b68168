/**
 * Issue 11 items 3, 4 and 9 in Chromium: the medication reconciliation across
 * Region Nord, Region Syd (FHIR) and Kommun Väst (HL7 v2) for Tolvan — Eliquis
 * 5 mg in Kommun Väst against 2.5 mg in the regions, a possible double
 * medication; collapsible sections that keep their count and marks; print
 * opens every section and prints the view shown.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAVY_PATIENT_PERSONNUMMER } from '../../src/main/sandbox/heavyPatient';
import { openPatient, SCREENSHOTS, nordSydAndVast, startStack, type Stack } from './stack';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ signedIn: false, mllp: true, sources: nordSydAndVast });
  ({ page } = stack);
  await page.goto(stack.preview.url);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

async function signInAndOpen(user: string): Promise<void> {
  await page.getByTestId(`sign-in-user-${user}`).click();
  await openPatient(page, '19121212-1212');
  await page.getByTestId('patient-banner').waitFor();
  await expect.poll(() => page.locator('[data-state="pending"]').count(), { timeout: 30_000 }).toBe(0);
}

async function signOut(): Promise<void> {
  await page.getByTestId('session-sign-out').click();
  await page.getByTestId('sign-in-view').waitFor();
}

const row = (text: string) => page.getByTestId('recon-row').filter({ hasText: text });

describe('medication reconciliation (nurse)', () => {
  it('shows a column per source and a row per substance, Eliquis marked as differing in strength, in words and a sign', async () => {
    await page.getByTestId('sign-in-view').waitFor();
    await signInAndOpen('anna.nurse');
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-reconcile').click();
    expect(await medications.getByTestId('medication-view-reconcile').getAttribute('aria-pressed')).toBe('true');
    const table = medications.getByTestId('reconciliation');
    await table.waitFor();
    expect(await table.getByTestId('recon-source').allInnerTexts()).toEqual(['Region Nord', 'Region Syd', 'Kommun Väst']);
    // Real table semantics: a caption, column headers and row headers with scope.
    expect(await table.locator('table caption').count()).toBe(1);
    expect(await table.locator('thead th[scope="col"]').count()).toBe(4);
    expect(await table.locator('tbody th[scope="row"]').count()).toBe(await table.getByTestId('recon-row').count());

    const eliquis = row('Eliquis');
    expect(await eliquis.getAttribute('data-class')).toBe('similar');
    expect(await eliquis.getAttribute('data-double')).toBe('true');
    expect(await eliquis.getByTestId('recon-double').innerText()).toMatch(/dubbelmedicinering/);
    expect(await eliquis.getByTestId('recon-class').innerText()).toMatch(/Skiljer sig: styrka/);
    const vast = eliquis.locator('[data-source="kommun-vast"]');
    expect(await vast.getAttribute('data-differs')).toContain('strength');
    expect(await vast.locator('[data-field="strength"] dd').innerText()).toMatch(/≠\s*5 mg/);
    // Not by colour alone: a screen reader hears that it differs.
    expect(await vast.locator('[data-field="strength"] .visually-hidden').innerText()).toMatch(/skiljer sig/);
    expect(await eliquis.locator('[data-source="region-nord"] [data-field="strength"] dd').innerText()).toMatch(/2\.5 mg/);
    // The double medication comes first among the current ones.
    expect(await page.getByTestId('recon-row').first().innerText()).toContain('Eliquis');
    expect(await table.getByTestId('recon-summary').innerText()).toMatch(/^\d+ substanser: \d+ skiljer sig(, \d+ bara i en källa)?(, \d+ stämmer överens)? · 1 möjlig dubbelmedicinering$/);
    await medications.screenshot({ path: join(SCREENSHOTS, 'reconciliation-nurse.png') });
  });

  it('keeps current and stopped apart, each row saying which', async () => {
    const groups = await page.getByTestId('recon-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')));
    // Tolvan has stopped medications (cefalexin, zopiklon): after every current one, each labelled.
    const firstStopped = groups.findIndex((g) => g !== 'current' && g !== 'none');
    expect(firstStopped).toBeGreaterThan(0);
    expect(groups.slice(firstStopped).every((g) => g !== 'current')).toBe(true);
    expect(await page.getByTestId('recon-group').first().innerText()).toBe('Aktuell');
    expect(await page.getByTestId('recon-group').nth(firstStopped).innerText()).toMatch(/^(Tidigare|Nyligen utsatt)$/);
    // Cells a source has nothing for say so to a screen reader.
    const absent = page.locator('[data-testid="recon-cell"][data-absent="true"]').first();
    expect(await absent.locator('.visually-hidden').textContent()).toMatch(/^Finns inte i /);
  });

  it('remembers the view for the session: back to the list, then reconciliation again after another patient', async () => {
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-list').click();
    expect(await medications.getByTestId('reconciliation').count()).toBe(0);
    expect(await medications.getByTestId('item-list').count()).toBeGreaterThan(0);
    await medications.getByTestId('medication-view-reconcile').click();
    await openPatient(page, '19121212-1212');
    expect(await page.getByTestId('section-medications').getByTestId('reconciliation').count()).toBe(1);
  });
});

describe('collapsible sections', () => {
  it('folds a section behind its header button, keeping the count and the marks', async () => {
    const medications = page.getByTestId('section-medications');
    const toggle = medications.getByTestId('section-toggle');
    const count = await medications.getByTestId('section-count').innerText();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const controls = await toggle.getAttribute('aria-controls');
    expect(await page.locator(`#${controls}`).isVisible()).toBe(true);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(`#${controls}`).isVisible()).toBe(false);
    expect(await medications.getByTestId('section-count').innerText()).toBe(count);
    expect(await medications.getByTestId('section-mark-double').innerText()).toMatch(/1 möjlig dubbelmedicinering/);
    // The button's name carries the count for a screen reader.
    expect(await toggle.innerText()).toContain('Läkemedel');
    expect(await toggle.evaluate((b) => b.textContent)).toMatch(/\d+ aktuell/);
    await page.screenshot({ path: join(SCREENSHOTS, 'sections-collapsed.png') });
  });

  it('collapse all and expand all; the section index opens a folded section', async () => {
    await page.getByTestId('collapse-all').click();
    const toggles = page.getByTestId('section-toggle');
    const states = await toggles.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-expanded')));
    expect(states.length).toBeGreaterThan(3);
    expect(new Set(states)).toEqual(new Set(['false']));
    await page.locator('.section-index a[href="#section-medications"]').click();
    expect(await page.getByTestId('section-medications').getByTestId('section-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('expand-all').click();
    expect(new Set(await toggles.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-expanded'))))).toEqual(new Set(['true']));
  });

  it('prints every section open, with the reconciliation shown and who printed it', async () => {
    await page.getByTestId('collapse-all').click();
    await page.evaluate(`(() => {
      window.__printed = [];
      window.print = () => window.__printed.push({
        hidden: document.querySelectorAll('.section__body[hidden]').length,
        bodies: document.querySelectorAll('.section__body').length,
        recon: document.querySelectorAll('[data-testid="recon-row"]').length,
        header: document.querySelector('[data-testid="print-header"]').textContent,
      });
    })()`);
    await page.getByTestId('print').click();
    await expect.poll(() => page.evaluate('window.__printed.length')).toBe(1);
    const printed = (await page.evaluate('window.__printed[0]')) as { hidden: number; bodies: number; recon: number; header: string };
    expect(printed.hidden).toBe(0);
    expect(printed.bodies).toBeGreaterThan(3);
    expect(printed.recon).toBeGreaterThan(0);
    expect(printed.header).toMatch(/Utskrift av Anna/);
    // Back on screen, the sections are folded as the user left them.
    expect(await page.locator('.section__body[hidden]').count()).toBeGreaterThan(3);
    // Print media: folded sections are printed open, without the switch or the fold links.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('section-medications').locator('.section__body').isVisible()).toBe(true);
    expect(await page.getByTestId('medication-view-switch').isVisible()).toBe(false);
    // The title is inside the fold button; buttons are not printed, the title is.
    expect(await page.getByTestId('section-medications').locator('h2').innerText()).toMatch(/^Läkemedel/);
    expect(await page.getByTestId('section-medications').getByTestId('section-toggle').isVisible()).toBe(true);
    expect(await page.getByTestId('collapse-all').isVisible()).toBe(false);
    await page.getByTestId('section-medications').screenshot({ path: join(SCREENSHOTS, 'reconciliation-print-media.png') });
    await page.emulateMedia({ media: 'screen' });
    // The preview has one print button (Chromium's dialog saves PDFs); the desktop app's PDF button is its own.
    expect(await page.getByTestId('save-pdf').count()).toBe(0);
    await page.getByTestId('expand-all').click();
  });
});

describe('the same view for other roles', () => {
  it('home care: the reconciliation of what the role sees', async () => {
    await signOut();
    await signInAndOpen('erik.homecare');
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-reconcile').click();
    await medications.getByTestId('reconciliation').waitFor();
    expect(await row('Eliquis').getAttribute('data-class')).toBe('similar');
    await medications.screenshot({ path: join(SCREENSHOTS, 'reconciliation-homecare.png') });
    // Another user starts from the defaults: nothing folded by the previous user.
    expect(await page.locator('.section__body[hidden]').count()).toBe(0);
  });

  it('dental receptionist: only the medications the dental view sends, reconciled', async () => {
    await signOut();
    await signInAndOpen('maria.dental');
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-reconcile').click();
    await medications.getByTestId('reconciliation').waitFor();
    const text = await medications.innerText();
    expect(text).toContain('Eliquis');
    expect(text).not.toContain('Metoprolol');
    await medications.screenshot({ path: join(SCREENSHOTS, 'reconciliation-dental.png') });
  });
});

describe('the heavy patient', () => {
  it('reconciles every medication row of twelve years of care, virtualized once long, every row when printed', async () => {
    await signOut();
    await page.getByTestId('sign-in-user-anna.nurse').click();
    await openPatient(page, HEAVY_PATIENT_PERSONNUMMER);
    await page.getByTestId('patient-banner').waitFor();
    await expect.poll(() => page.locator('[data-state="pending"]').count(), { timeout: 60_000 }).toBe(0);
    const medications = page.getByTestId('section-medications');
    await medications.getByTestId('medication-view-reconcile').click();
    const table = medications.getByTestId('recon-table');
    await table.waitFor();
    const summary = await medications.getByTestId('recon-summary').innerText();
    const total = Number(/^(\d+)/.exec(summary)?.[1]);
    expect(total).toBeGreaterThan(0);
    const virtual = (await table.getAttribute('data-virtual')) === 'true';
    if (virtual) expect(Number(await table.getAttribute('data-row-count'))).toBe(total);
    else expect(await medications.getByTestId('recon-row').count()).toBe(total);
    await medications.screenshot({ path: join(SCREENSHOTS, 'reconciliation-heavy.png') });
    await page.evaluate(`(() => {
      window.__printed = [];
      window.print = () => window.__printed.push(document.querySelectorAll('[data-testid="recon-row"]').length);
    })()`);
    await page.getByTestId('print').click();
    await expect.poll(() => page.evaluate('window.__printed.length')).toBe(1);
    expect(await page.evaluate('window.__printed[0]')).toBe(total);
  });
});
