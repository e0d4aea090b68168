/**
 * The end-to-end stack every browser test drives: sandbox regions, the real
 * services over them, the preview server (the same handlers Electron uses) and
 * Chromium on the built renderer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Clock } from '../../src/main/platform/clock';
import type { SamsynConfig } from '../../src/main/app/config';
import { createServices } from '../../src/main/app/createServices';
import { rendererDir } from '../../src/main/platform/paths';
import type { CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/previewServer';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../src/main/sandbox/mllpServer';
import type { SourceAdapter } from '../../src/main/sources/types';
import { launchBrowser, type Browser } from './browser';

export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results');

export interface Regions {
  nord: FhirSandbox;
  syd: FhirSandbox;
  /** The MLLP region, when asked for. */
  vast?: MllpSandbox;
}

export interface StackOptions {
  /** Also start the HL7 v2 MLLP sandbox (Kommun Väst). */
  mllp?: boolean;
  /** The services' configuration, or their adapters, given the running regions. */
  sources: (regions: Regions) => { config: SamsynConfig } | { adapters: SourceAdapter[] };
  cache?: CacheHandle;
  clock?: Clock;
}

export interface Stack extends Regions {
  preview: PreviewServer;
  page: Page;
  /** Stops everything started; `regionsStopped` when the test already closed the regions. */
  close(options?: { regionsStopped?: boolean }): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  if (!existsSync(join(rendererDir(), 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm test does)');
  }
  const [nord, syd, vast] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd' }),
    options.mllp ? startMllpSandbox({ region: 'vast' }) : undefined,
  ]);
  const regions: Regions = vast ? { nord, syd, vast } : { nord, syd };
  const stopRegions = () => Promise.all([nord.close(), syd.close(), vast?.close()]);
  let preview: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    const sources = options.sources(regions);
    const services = createServices({
      config: 'config' in sources ? sources.config : { sources: [] },
      ...('adapters' in sources ? { sources: sources.adapters } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      clock: options.clock ?? { now: () => new Date() },
      logger: createLogger('e2e'),
      transport: 'preview',
      version: '0.0.0-e2e',
    });
    preview = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir: rendererDir() });
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const started = { preview, browser };
    return {
      ...regions,
      preview,
      page,
      close: async ({ regionsStopped = false } = {}) => {
        await started.browser.close();
        await started.preview.close();
        if (!regionsStopped) await stopRegions();
      },
    };
  } catch (err) {
    // A half-started stack must not leave servers running after the failed beforeAll.
    await browser?.close();
    await preview?.close();
    await stopRegions();
    throw err;
  }
}

/** Types a patient id into the search field and submits it, as a clinician does. */
export async function openPatient(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('patient-input');
  await input.fill(text);
  await input.press('Enter');
}
