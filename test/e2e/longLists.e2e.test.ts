/**
 * Long lists in Debian's Chromium (issue 11, item 6): a source with thousands of
 * medications, care contacts and documents (generated here, test only, served
 * through the real services and preview) — each list keeps only the visible
 * rows in the DOM, scrolls to its last row, and the page stays small.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientQuery, SourceAdapter, SourceResult } from '../../src/main/sources/types';
import type { ClinicalItem } from '../../src/shared/summary';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

const COUNT = 2_000;
/** A published Swedish test personnummer; the synthetic source answers for anyone asked. */
const PATIENT = '19121212-1212';

function syntheticSource(): SourceAdapter {
  const fetchedAt = new Date().toISOString();
  const items: ClinicalItem[] = [];
  const day = 86_400_000;
  const start = Date.UTC(2010, 0, 1);
  const provenance = (recordId: string, date: string) => ({ sourceId: 'long', sourceName: 'Långa listan', recordId, fetchedAt, recordedAt: date });
  for (let i = 0; i < COUNT; i++) {
    const date = new Date(start + i * day).toISOString().slice(0, 10);
    items.push({
      section: 'encounters',
      codes: [],
      text: `Besök ${i + 1}`,
      date,
      details: { careUnit: `Vårdcentral ${i % 40}` },
      sealed: false,
      provenance: provenance(`enc-${i}`, date),
    });
    items.push({
      section: 'documents',
      codes: [],
      text: `Anteckning ${i + 1}`,
      date,
      details: {},
      sealed: false,
      provenance: provenance(`doc-${i}`, date),
    });
    items.push({
      section: 'medications',
      codes: [],
      text: `Läkemedel ${String(i + 1).padStart(4, '0')} 10 mg tablett`,
      status: 'active',
      date,
      details: { recordKind: 'prescribed', dosage: ['1 tablett dagligen'] },
      sealed: false,
      provenance: provenance(`med-${i}`, date),
    });
  }
  return {
    id: 'long',
    name: 'Långa listan',
    kind: 'test',
    timeoutMs: 30_000,
    fetchPatient: (query: PatientQuery): Promise<SourceResult> =>
      Promise.resolve({ subjects: [{ identifiers: [query.identifier] }], items, fetchedAt }),
  };
}

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ sources: () => ({ adapters: [syntheticSource()] }) });
  page = stack.page;
  await page.goto(stack.preview.url);
  await openPatient(page, PATIENT);
  await page.getByTestId('section-documents').locator('[data-testid="item-list"]').first().waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await stack?.close();
});

describe('long item lists', () => {
  for (const section of ['medications', 'encounters', 'documents'] as const) {
    it(`${section}: only visible rows in the DOM, the last row reachable by scrolling`, async () => {
      const list = page.getByTestId(`section-${section}`).locator('[data-testid="item-list"]').first();
      expect(await list.getAttribute('data-virtual')).toBe('true');
      const total = Number(await list.getAttribute('data-row-count'));
      expect(total).toBeGreaterThanOrEqual(COUNT);
      const rows = list.locator('li[data-testid="summary-item"]');
      expect(await rows.count()).toBeLessThan(60);
      await list.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await expect.poll(async () => Number(await rows.last().getAttribute('data-index'))).toBe(total - 1);
      expect(await rows.count()).toBeLessThan(60);
    });
  }

  it('keeps the page small with 6,000 items', async () => {
    const elements = await page.evaluate(() => document.querySelectorAll('*').length);
    // Unvirtualized, 6,000 rows of about ten elements each would be over 60,000.
    expect(elements).toBeLessThan(5_000);
    await page.getByTestId('section-medications').screenshot({ path: join(SCREENSHOTS, 'long-list-medications.png') });
  });
});
