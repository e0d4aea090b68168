/**
 * End to end with HL7 v2: the preview server over two FHIR sandbox regions and
 * the MLLP sandbox (Kommun Väst), in Chromium: the merged penicillin allergy
 * names the HL7 region beside the FHIR regions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/app/config';
import { openPatient, startStack, type Stack } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    mllp: true,
    sources: ({ nord, syd, vast }) => ({
      config: parseConfig({
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000 },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000 },
          { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: vast?.port, timeoutMs: 15_000 },
        ],
      }),
    }),
  });
});

afterAll(async () => {
  await stack?.close();
});

describe('browser preview with an HL7 v2 region', () => {
  it('shows an item whose provenance names the HL7 region beside the FHIR regions', async () => {
    const { page, preview } = stack;
    await page.goto(preview.url);
    await openPatient(page, '19121212-1212');
    const allergy = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: /penicillin/i });
    await allergy.first().waitFor();
    // Items appear as each source answers (ADR 0014): wait until none is still being asked.
    await expect.poll(() => page.locator('[data-testid="source-status"][data-state="pending"]').count(), { timeout: 20_000 }).toBe(0);
    const provenance = await allergy.first().getByTestId('item-provenance').innerText();
    expect(provenance).toContain('Kommun Väst');
    expect(provenance).toContain('Region Nord');
  });
});
