/**
 * Issue 11 item 8: the keyboard walk-through in Chromium. Ctrl+K reaches the
 * patient search; the purpose dialog takes focus, keeps Tab inside and closes
 * on Escape; Tab and Shift+Tab go search → section index → section headers →
 * items and controls, every stop with a visible focus; Enter and Space fold and
 * open a section; the medications' view switch works from the keyboard.
 * Landmarks and the order of headings are checked too.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 8_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 8_000, pageSize: 500, enabled: true },
        ],
      },
    }),
  });
  ({ page } = stack);
  await page.goto(stack.preview.url);
  await page.getByTestId('patient-input').waitFor();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

interface Focused {
  tag: string;
  testId: string | null;
  text: string;
  inDialog: boolean;
  inIndex: boolean;
  section: string | null;
  /** Outline or box shadow drawn around it. */
  visible: boolean;
}

/** What has the focus, and whether it shows. */
function focused(): Promise<Focused> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      testId: el.getAttribute('data-testid'),
      text: (el.textContent || '').trim().slice(0, 60),
      inDialog: !!el.closest('[role="dialog"]'),
      inIndex: !!el.closest('nav.section-index'),
      section: el.closest('section[id^="section-"]')?.id ?? null,
      visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
    };
  })()`) as Promise<Focused>;
}

describe('keyboard: search and the purpose dialog', () => {
  it('Ctrl+K reaches the search; Enter asks the purpose in a dialog that takes the focus', async () => {
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+K');
    expect((await focused()).testId).toBe('patient-input');
    await page.keyboard.type('19121212-1212');
    await page.keyboard.press('Enter');
    await page.getByTestId('purpose-dialog').waitFor();
    expect(await page.getByTestId('purpose-dialog').getAttribute('aria-modal')).toBe('true');
    const first = await focused();
    expect(first.inDialog).toBe(true);
    expect(first.visible).toBe(true);
  });

  it('keeps Tab and Shift+Tab inside the dialog', async () => {
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      expect((await focused()).inDialog).toBe(true);
    }
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Shift+Tab');
      expect((await focused()).inDialog).toBe(true);
    }
  });

  it('Escape closes it, nothing opened; then opened by keyboard alone', async () => {
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('purpose-dialog').count()).toBe(0);
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('19121212-1212');
    await page.keyboard.press('Enter');
    await page.getByTestId('purpose-dialog').waitFor();
    // Focus starts on "ordinary care"; Tab to the care-relationship box, Space ticks it, Enter opens.
    await page.keyboard.press('Tab');
    expect((await focused()).testId).toBe('purpose-relationship');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-banner').waitFor();
    await expect.poll(() => page.locator('[data-state="pending"]').count(), { timeout: 30_000 }).toBe(0);
  });
});

describe('keyboard: through the summary', () => {
  it('Tab goes search → section index → section headers, each stop with a visible focus; Shift+Tab goes back', async () => {
    await page.keyboard.press('Control+K');
    const stops: Focused[] = [];
    for (let i = 0; i < 80; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused();
      stops.push(f);
      if (f.testId === 'section-toggle' && f.section === 'section-medications') break;
    }
    expect(stops.every((s) => s.visible), JSON.stringify(stops.filter((s) => !s.visible))).toBe(true);
    const firstIndex = stops.findIndex((s) => s.inIndex);
    const firstToggle = stops.findIndex((s) => s.testId === 'section-toggle');
    expect(firstIndex).toBeGreaterThan(-1);
    expect(firstToggle).toBeGreaterThan(firstIndex);
    expect(stops[stops.length - 1]?.section).toBe('section-medications');
    // Shift+Tab goes back to where it came from.
    const before = stops[stops.length - 2];
    await page.keyboard.press('Shift+Tab');
    const back = await focused();
    expect([back.testId, back.text]).toEqual([before?.testId ?? null, before?.text]);
    await page.keyboard.press('Tab');
  });

  it('Enter and Space fold and open a section; the view switch and the table are reached by Tab', async () => {
    const toggle = page.getByTestId('section-medications').getByTestId('section-toggle');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // Next stops: the list / reconciliation switch.
    await page.keyboard.press('Tab');
    expect((await focused()).testId).toBe('medication-view-list');
    await page.keyboard.press('Tab');
    expect((await focused()).testId).toBe('medication-view-reconcile');
    await page.keyboard.press('Enter');
    await page.getByTestId('reconciliation').waitFor();
    expect(await page.getByTestId('medication-view-reconcile').getAttribute('aria-pressed')).toBe('true');
    // Focus stays on the switch, and Tab goes on into the section, then to the next section's header.
    expect((await focused()).testId).toBe('medication-view-reconcile');
    for (let i = 0; i < 20; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused();
      expect(f.visible).toBe(true);
      if (f.testId === 'section-toggle') {
        expect(f.section).not.toBe('section-medications');
        return;
      }
    }
    throw new Error('Tab never left the medications section');
  });

  it('the section index moves the focus to the section, and opens it if folded', async () => {
    await page.getByTestId('collapse-all').click();
    await page.locator('.section-index a[href="#section-problems"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('section-problems').getByTestId('section-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate('location.hash')).toBe('#section-problems');
    await page.getByTestId('expand-all').click();
  });
});

describe('landmarks and headings', () => {
  it('has one banner, one main, a named navigation and a content info; headings never skip a level', async () => {
    const landmarks = (await page.evaluate(`(() => ({
      banner: document.querySelectorAll('body > #root header.app-header, header.app-header').length,
      main: document.querySelectorAll('main').length,
      nav: [...document.querySelectorAll('nav')].map((n) => n.getAttribute('aria-label')),
      footer: document.querySelectorAll('footer.app-footer').length,
      headerInMain: !!document.querySelector('main header.app-header'),
    }))()`)) as { banner: number; main: number; nav: (string | null)[]; footer: number; headerInMain: boolean };
    expect(landmarks.banner).toBe(1);
    expect(landmarks.headerInMain).toBe(false);
    expect(landmarks.main).toBe(1);
    expect(landmarks.nav).toEqual(['Avsnitt']);
    expect(landmarks.footer).toBe(1);
    const levels = (await page.evaluate(
      `[...document.querySelectorAll('main h1, main h2, main h3, main h4')].filter((h) => h.offsetParent !== null).map((h) => Number(h.tagName[1]))`,
    )) as number[];
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    for (let i = 1; i < levels.length; i += 1) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
  });

  it('names every section region by its heading, and every section toggle says what it controls', async () => {
    const sections = (await page.evaluate(`[...document.querySelectorAll('section[id^="section-"]')].map((s) => {
      const label = s.getAttribute('aria-labelledby');
      return { id: s.id, named: !!label && !!document.getElementById(label)?.textContent?.trim() };
    })`)) as { id: string; named: boolean }[];
    expect(sections.length).toBeGreaterThan(5);
    expect(sections.filter((s) => !s.named)).toEqual([]);
    const toggles = (await page.evaluate(`[...document.querySelectorAll('[data-testid="section-toggle"]')].map((b) => !!document.getElementById(b.getAttribute('aria-controls')))`)) as boolean[];
    expect(toggles.length).toBeGreaterThan(3);
    expect(toggles.every(Boolean)).toBe(true);
  });
});
