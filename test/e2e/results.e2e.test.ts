/**
 * Results and long lists in Debian's Chromium (issue 11, items 5 and 6): the
 * heavy patient's results as series with a sparkline and, opened, a trend chart
 * whose abnormal points are drawn in another shape and colour; the text filter
 * and the date sort; the virtualized value table scrolled to its oldest rows;
 * the element count with every series opened; and a series named in the
 * sources' own words although Kommun Väst sent LOINC's English long name.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/app/config';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

let stack: Stack;
let page: Page;

/**
 * With every series opened and nothing virtualized, the heavy patient's 2,700
 * results alone would put well over 40,000 elements in the page (about fifteen
 * per value row); virtualized, the whole page stays under this.
 */
const ELEMENT_BOUND = 9_000;

beforeAll(async () => {
  stack = await startStack({
    mllp: true,
    sources: ({ nord, syd, vast }) => ({
      config: parseConfig({
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 20_000, pageSize: 500 },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 20_000, pageSize: 500 },
          { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: vast?.port, timeoutMs: 20_000 },
        ],
      }),
    }),
  });
  page = stack.page;
  await page.goto(stack.preview.url);
});

afterAll(async () => {
  await stack?.close();
});

function series(name: string): Locator {
  return page.locator(`[data-testid="result-series"][data-series-name="${name}"]`);
}

async function openHeavy(): Promise<void> {
  await openPatient(page, sandboxPatient('heavy').identifier.value);
  await series('P-Kreatinin').waitFor({ timeout: 30_000 });
}

/** Pixels of the chart's canvas close to an RGB colour (anti-aliasing softens the edges). */
async function pixelsNear(canvas: Locator, rgb: [number, number, number]): Promise<number> {
  return canvas.evaluate((el, [r, g, b]) => {
    const c = el as HTMLCanvasElement;
    const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - r) < 16 && Math.abs(data[i + 1]! - g) < 16 && Math.abs(data[i + 2]! - b) < 16 && data[i + 3]! > 200) n++;
    }
    return n;
  }, rgb);
}

describe('results as series (heavy patient)', () => {
  it('shows one row per test with its latest value, range, flag and a sparkline', async () => {
    await openHeavy();
    const rows = page.getByTestId('result-series');
    expect(await rows.count()).toBeGreaterThanOrEqual(9);
    const crea = series('P-Kreatinin');
    expect(await crea.locator('.result-row__range').innerText()).toMatch(/60–105/);
    expect(await crea.locator('[data-testid="trend-small"] canvas').count()).toBe(1);
    // No English LOINC long name anywhere in the result list.
    expect(await page.getByTestId('result-list').innerText()).not.toMatch(/\[(Moles|Mass)\/volume\]/);
    await page.getByTestId('section-results').screenshot({ path: join(SCREENSHOTS, 'results-heavy-series.png') });
  });

  it('opens a series: a trend chart whose abnormal points differ in shape and colour, and a virtualized table of every value', async () => {
    const crea = series('P-Kreatinin');
    await crea.getByTestId('series-toggle').click();
    const detail = crea.getByTestId('series-detail');
    const chart = detail.getByTestId('trend-large');
    await chart.locator('canvas').waitFor();
    // The shapes drawn: high values as triangles beside normal dots.
    const shapes = (await chart.getAttribute('data-shapes')) ?? '';
    expect(shapes.split(' ')).toEqual(expect.arrayContaining(['circle', 'up']));
    // And they are on the canvas in their own colour (amber for abnormal, blue for normal).
    const canvas = chart.locator('canvas');
    expect(await pixelsNear(canvas, [0xb4, 0x53, 0x09])).toBeGreaterThan(20);
    expect(await pixelsNear(canvas, [0x1d, 0x5f, 0xa7])).toBeGreaterThan(20);
    // The text alternative says the latest value, the range and the trend.
    const label = (await chart.locator('[role="img"]').getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/P-Kreatinin: senaste värde \d+ µmol\/L/);
    expect(label).toMatch(/referensintervall 60–105/);
    expect(label).toMatch(/stigande|sjunkande|oförändrat/);

    const table = detail.getByTestId('series-table');
    expect(await table.getAttribute('data-virtual')).toBe('true');
    const total = Number(await table.getAttribute('data-row-count'));
    expect(total).toBeGreaterThan(100);
    const drawn = await table.getByTestId('series-row').count();
    expect(drawn).toBeLessThan(40);
    // Each value names its source.
    expect(await table.getByTestId('series-row').first().getByTestId('item-provenance').innerText()).toContain('Region Nord');
    await detail.screenshot({ path: join(SCREENSHOTS, 'results-series-detail.png') });

    // Hovering a point names its date, value and source (the chart brought clear of the sticky patient header first).
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = await canvas.boundingBox();
    if (!box) throw new Error('chart not laid out');
    await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
    await expect.poll(() => detail.getByTestId('trend-readout').innerText()).toMatch(/källa Region Nord/);

    // Scrolling the table (keyboard-focusable box) brings the oldest values in.
    const newestFirst = await table.getByTestId('series-row').first().locator('time').getAttribute('datetime');
    // By keyboard: the scroll box takes focus and End scrolls it to the bottom.
    await table.focus();
    // Rows are measured as they are drawn, so the box can grow once more: End again reaches the bottom.
    await expect
      .poll(async () => {
        await page.keyboard.press('End');
        return table.getByTestId('series-row').last().locator('time').getAttribute('datetime');
      })
      .toMatch(/^2014-/);
    expect(newestFirst).toMatch(/^2026-/);
    expect(await table.getByTestId('series-row').count()).toBeLessThan(40);
  });

  it('sorts by date: newest first by default, oldest first on request', async () => {
    const sort = page.getByTestId('results-sort');
    expect(await sort.getAttribute('data-order')).toBe('newest');
    await sort.click();
    expect(await sort.getAttribute('data-order')).toBe('oldest');
    const table = series('P-Kreatinin').getByTestId('series-table');
    await table.evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => table.getByTestId('series-row').first().locator('time').getAttribute('datetime')).toMatch(/^2014-/);
    await sort.click();
    await expect.poll(() => table.getByTestId('series-row').first().locator('time').getAttribute('datetime')).toMatch(/^2026-/);
  });

  it('filters tests by name', async () => {
    const filter = page.getByTestId('results-filter');
    await filter.fill('kalium');
    await expect.poll(() => page.getByTestId('result-series').count()).toBe(1);
    expect(await page.getByTestId('result-name').innerText()).toBe('P-Kalium');
    await filter.fill('finns inte');
    await page.getByTestId('results-none').waitFor();
    expect(await page.getByTestId('result-series').count()).toBe(0);
    await filter.fill('');
    await expect.poll(() => page.getByTestId('result-series').count()).toBeGreaterThanOrEqual(9);
  });

  it('keeps the page small with every series opened', async () => {
    const toggles = page.locator('[data-testid="series-toggle"][aria-expanded="false"]');
    while ((await toggles.count()) > 0) await toggles.first().click();
    const opened = await page.locator('[data-testid="series-toggle"][aria-expanded="true"]').count();
    expect(opened).toBeGreaterThanOrEqual(9);
    // Every opened series with numeric values has its chart (a blood pressure panel has none).
    expect(await page.getByTestId('trend-large').count()).toBeGreaterThanOrEqual(opened - 1);
    const elements = await page.evaluate(() => document.querySelectorAll('*').length);
    const values = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid="series-table"]')).reduce((n, t) => n + Number(t.getAttribute('data-row-count') ?? 0), 0),
    );
    // Thousands of values are reachable; few are in the DOM.
    expect(values).toBeGreaterThan(2_000);
    expect(elements).toBeLessThan(ELEMENT_BOUND);
    await page.screenshot({ path: join(SCREENSHOTS, 'results-heavy-all-open.png'), fullPage: true });
  });

  it('prints every row of every long list, not the visible window', async () => {
    expect(await page.locator('[data-virtual="true"]').count()).toBeGreaterThan(0);
    await page.evaluate(`(() => {
      window.__printed = [];
      window.print = () => window.__printed.push({
        virtual: document.querySelectorAll('[data-virtual="true"]').length,
        rows: document.querySelectorAll('[data-testid="series-row"]').length,
      });
    })()`);
    await page.getByTestId('print').click();
    await expect.poll(() => page.evaluate('window.__printed.length')).toBe(1);
    const printed = (await page.evaluate('window.__printed[0]')) as { virtual: number; rows: number };
    expect(printed.virtual).toBe(0);
    expect(printed.rows).toBeGreaterThan(2_000);
    // After printing, the lists are windowed again.
    await expect.poll(() => page.locator('[data-virtual="true"]').count()).toBeGreaterThan(0);
  });
});

describe('series names', () => {
  it("names creatinine in the sources' own words although Kommun Väst sent LOINC's English long name", async () => {
    await openPatient(page, '19121212-1212');
    const crea = series('P-Kreatinin');
    await crea.waitFor({ timeout: 20_000 });
    const text = await page.getByTestId('section-results').innerText();
    expect(text).not.toContain('Creatinine [Moles/volume]');
    // Kommun Väst's value is in the series, with its source named.
    if ((await crea.getByTestId('series-toggle').count()) > 0) await crea.getByTestId('series-toggle').click();
    expect(await crea.innerText()).toContain('Kommun Väst');
    await page.getByTestId('section-results').screenshot({ path: join(SCREENSHOTS, 'results-tolvan.png') });
  });
});
