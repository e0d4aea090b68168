/**
 * End to end with HL7 v2: the preview server over two FHIR sandbox regions and
 * the MLLP sandbox (Kommun Väst), in Chromium: the merged penicillin allergy
 * names the HL7 region beside the FHIR regions.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/app/createServices';
import { parseConfig } from '../../src/main/app/config';
import { rendererDir } from '../../src/main/app/paths';
import { createLogger } from '../../src/main/log/logger';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/previewServer';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../src/main/sandbox/mllpServer';
import { launchBrowser, type Browser } from './browser';

let nord: FhirSandbox;
let syd: FhirSandbox;
let vast: MllpSandbox;
let preview: PreviewServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(rendererDir(), 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm test does)');
  }
  [nord, syd, vast] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd' }),
    startMllpSandbox({ region: 'vast' }),
  ]);
  const services = createServices({
    config: parseConfig({
      sources: [
        { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000 },
        { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000 },
        { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: vast.port, timeoutMs: 5_000 },
      ],
    }),
    clock: { now: () => new Date() },
    logger: createLogger('e2e'),
    transport: 'preview',
    version: '0.0.0-e2e',
  });
  preview = await startPreviewServer({ handlers: services.handlers, staticDir: rendererDir() });
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await Promise.all([nord?.close(), syd?.close(), vast?.close()]);
});

describe('browser preview with an HL7 v2 region', () => {
  it('shows an item whose provenance names the HL7 region beside the FHIR regions', async () => {
    await page.goto(preview.url);
    const input = page.getByTestId('patient-input');
    await input.fill('19121212-1212');
    await input.press('Enter');
    const allergy = page.getByTestId('section-allergies').getByTestId('summary-item').filter({ hasText: /penicillin/i });
    await allergy.first().waitFor();
    const provenance = await allergy.first().getByTestId('item-provenance').innerText();
    expect(provenance).toContain('Kommun Väst');
    expect(provenance).toContain('Region Nord');
  });
});
