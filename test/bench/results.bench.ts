/**
 * Results and long lists in the preview, in Chromium (issue 11, items 5 and 6):
 *  1. results.elements-expanded: the heavy sandbox patient's page with every
 *     result series opened (chart and value table each): how many elements
 *     the document holds (document.querySelectorAll('*').length).
 *  2. results.scroll-10k-*: 10,000 synthetic results (generated here, bench
 *     only: one test with 5,000 values and 1,000 tests with 5 each) scrolled
 *     end to end — the list of tests, then the 5,000-value table — while a
 *     PerformanceObserver counts 'longtask' entries (tasks over 50 ms).
 * Needs /usr/bin/chromium and `npm run build:renderer`.
 */
import { signInForTest } from '../fixtures/session';
import { answerPurposeIfAsked } from '../e2e/stack';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createServices } from '../../src/main/app/createServices';
import { rendererDir } from '../../src/main/platform/paths';
import { createLogger } from '../../src/main/platform/logger';
import { startPreviewServer } from '../../src/main/preview/previewServer';
import { sandboxPatient } from '../../src/main/sandbox/fhirData';
import { startFhirSandbox } from '../../src/main/sandbox/fhirServer';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import type { PatientQuery, SourceAdapter, SourceResult } from '../../src/main/sources/types';
import type { ClinicalItem } from '../../src/shared/summary';
import { CHROMIUM_PATH, launchBrowser } from '../e2e/browser';
import { report } from './report';

const out = (line: string) => process.stdout.write(`${line}\n`);
const logger = createLogger('bench');
const clock = { now: () => new Date() };
const LOINC = 'http://loinc.org';
const SYNTHETIC_RESULTS = 10_000;
const BIG_SERIES = 5_000;

/** 10,000 results for one patient: a 5,000-value glucose series and 1,000 tests of 5 values. */
function syntheticSource(): SourceAdapter {
  const fetchedAt = new Date().toISOString();
  const items: ClinicalItem[] = [];
  const day = 86_400_000;
  const start = Date.UTC(2000, 0, 1);
  for (let i = 0; i < SYNTHETIC_RESULTS; i++) {
    const big = i < BIG_SERIES;
    const test = big ? 0 : 1 + Math.floor((i - BIG_SERIES) / 5);
    const n = big ? i : (i - BIG_SERIES) % 5;
    const date = new Date(start + (big ? n * day : (n * 700 + test) * day)).toISOString();
    const value = big ? 5 + 3 * Math.sin(n / 17) : 50 + ((test * 7 + n * 13) % 60);
    const high = big ? 6 : 100;
    items.push({
      section: 'results',
      codes: [{ system: big ? LOINC : 'urn:bench:test', code: big ? '14749-6' : `T${test}`, ...(big ? { display: 'Glucose [Moles/volume] in Serum or Plasma' } : {}) }],
      text: big ? 'P-Glukos' : `Analys ${String(test).padStart(4, '0')}`,
      date,
      value: { value: Math.round(value * 10) / 10, unit: big ? 'mmol/L' : 'U/L' },
      details: { referenceRange: [{ low: { value: big ? 4 : 10, unit: big ? 'mmol/L' : 'U/L' }, high: { value: high, unit: big ? 'mmol/L' : 'U/L' } }] },
      sealed: false,
      status: 'final',
      provenance: { sourceId: 'bench-lab', sourceName: 'Labb Syntet', recordId: `r${i}`, fetchedAt, recordedAt: date },
    });
  }
  return {
    id: 'bench-lab',
    name: 'Labb Syntet',
    kind: 'bench',
    timeoutMs: 60_000,
    fetchPatient: (query: PatientQuery): Promise<SourceResult> =>
      Promise.resolve({ subjects: [{ identifiers: [query.identifier] }], items, fetchedAt }),
  };
}

async function withPreview(sources: SourceAdapter[], run: (page: Page) => Promise<void>): Promise<void> {
  const services = createServices({ config: { sources: [] }, sources, clock, logger, transport: 'preview', version: 'bench' });
  await signInForTest(services);
  const preview = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir: rendererDir() });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(preview.url);
    await page.getByTestId('patient-input').waitFor();
    await run(page);
  } finally {
    await browser.close();
    await preview.close();
    await services.summary.settled();
  }
}

async function open(page: Page, id: string): Promise<void> {
  await page.getByTestId('patient-input').fill(id);
  await page.getByTestId('patient-input').press('Enter');
  await answerPurposeIfAsked(page);
  await page.getByTestId('result-series').first().waitFor({ timeout: 60_000 });
}

/** Scrolls a box from top to bottom, `step` px per animation frame, in the page. */
function scrollThrough(page: Page, selector: string, step: number): Promise<number> {
  return page.evaluate(
    `new Promise((resolve) => {
      const el = document.querySelector(${JSON.stringify(selector)});
      let frames = 0;
      const tick = () => {
        frames++;
        el.scrollTop += ${step};
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || frames > 5000) resolve(frames);
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })`,
  ) as Promise<number>;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH) || !existsSync(join(rendererDir(), 'index.html'))) {
    out('results bench: skipped (needs Chromium and `npm run build:renderer`)');
    return;
  }

  // 1. The heavy patient with every series opened.
  const nord = await startFhirSandbox({ region: 'nord' });
  try {
    const source = createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: nord.url, timeoutMs: 60_000, pageSize: 500 });
    await withPreview([source], async (page) => {
      await open(page, sandboxPatient('heavy').identifier.value);
      const closed = page.locator('[data-testid="series-toggle"][aria-expanded="false"]');
      while ((await closed.count()) > 0) await closed.first().click();
      const opened = await page.locator('[data-testid="series-toggle"][aria-expanded="true"]').count();
      const values = (await page.evaluate(
        `[...document.querySelectorAll('[data-testid="series-table"]')].reduce((n, t) => n + Number(t.getAttribute('data-row-count') || 0), 0)`,
      )) as number;
      const elements = (await page.evaluate('document.querySelectorAll("*").length')) as number;
      out(`heavy patient: ${opened} series opened, ${values} values reachable`);
      report({ name: 'results.elements-expanded', value: elements, unit: 'elements', atMost: 9_000 });
    });
  } finally {
    await nord.close();
  }

  // 2. 10,000 results scrolled end to end, long tasks counted.
  await withPreview([syntheticSource()], async (page) => {
    await page.evaluate(`(() => {
      window.__long = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
        .observe({ type: 'longtask' });
    })()`);
    await open(page, sandboxPatient('heavy').identifier.value);
    const series = await page.getByTestId('result-list').getAttribute('data-row-count');
    // Only what happens while scrolling counts, not opening the patient.
    await page.evaluate('window.__long.length = 0');
    const framesList = await scrollThrough(page, '[data-testid="result-list"]', 400);
    const listLong = (await page.evaluate('window.__long.splice(0)')) as number[];
    const glucose = page.locator('[data-testid="result-series"][data-series-name="P-Glukos"]');
    await page.getByTestId('results-filter').fill('P-Glukos');
    await glucose.getByTestId('series-toggle').click();
    await glucose.getByTestId('series-table').waitFor();
    await page.evaluate('window.__long.length = 0');
    const framesTable = await scrollThrough(page, '[data-testid="series-table"]', 600);
    const tableLong = (await page.evaluate('window.__long.slice()')) as number[];
    const elements = (await page.evaluate('document.querySelectorAll("*").length')) as number;
    const lastDate = await glucose.getByTestId('series-row').last().locator('time').getAttribute('datetime');
    const all = [...listLong, ...tableLong];
    out(`${SYNTHETIC_RESULTS} results in ${series} series; list scrolled in ${framesList} frames, ${BIG_SERIES}-value table in ${framesTable} frames (last row ${lastDate?.slice(0, 10)}); ${elements} elements after`);
    out(`long tasks: list ${listLong.length} (${Math.round(listLong.reduce((a, b) => a + b, 0))} ms), table ${tableLong.length} (${Math.round(tableLong.reduce((a, b) => a + b, 0))} ms), longest ${Math.round(Math.max(0, ...all))} ms`);
    report({ name: 'results.scroll-10k-longtasks', value: all.length, unit: 'tasks' });
    report({ name: 'results.scroll-10k-longtask-ms', value: all.reduce((a, b) => a + b, 0), unit: 'ms' });
    report({ name: 'results.scroll-10k-elements', value: elements, unit: 'elements', atMost: 9_000 });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
