/**
 * The end-to-end stack every browser test drives: sandbox regions, the real
 * services over them, the preview server (the same handlers Electron uses) and
 * Chromium on the built renderer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Clock } from '../../src/main/platform/clock';
import { parseConfig, type SamsynConfig } from '../../src/main/app/config';
import { createServices, type Services } from '../../src/main/app/createServices';
import { rendererDir } from '../../src/main/platform/paths';
import type { CacheHandle } from '../../src/main/cache/openCache';
import { createLogger } from '../../src/main/platform/logger';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/previewServer';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../src/main/sandbox/mllpServer';
import type { SourceAdapter } from '../../src/main/sources/types';
import { signInForTest } from '../fixtures/session';
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
  /** Sign-in and the idle lock (issue 10), added to the configuration. */
  session?: Pick<SamsynConfig, 'identity' | 'session'>;
  /** Start with the default test user signed in (default true): the patient tests need one. */
  signedIn?: boolean;
}

export interface Stack extends Regions {
  preview: PreviewServer;
  page: Page;
  services: Services;
  /** Stops everything started; `regionsStopped` when the test already closed the regions. */
  close(options?: { regionsStopped?: boolean }): Promise<void>;
}

/** Region Nord and Syd (FHIR) and Kommun Väst (MLLP, with `mllp: true`): parseConfig fills each kind's defaults (the HL7 profile). */
export function nordSydAndVast({ nord, syd, vast }: Regions): { config: SamsynConfig } {
  return {
    config: parseConfig({
      sources: [
        { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 8_000, pageSize: 500, enabled: true },
        { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 8_000, pageSize: 500, enabled: true },
        { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: vast?.port, timeoutMs: 15_000 },
      ],
    }),
  };
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
      // A long idle lock unless the test sets one: a slow run must not lock the screen under a test.
      config: { session: { idleLockMinutes: 60 }, ...('config' in sources ? sources.config : { sources: [] }), ...options.session },
      ...('adapters' in sources ? { sources: sources.adapters } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      clock: options.clock ?? { now: () => new Date() },
      logger: createLogger('e2e'),
      transport: 'preview',
      version: '0.0.0-e2e',
    });
    if (options.signedIn ?? true) await signInForTest(services);
    preview = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir: rendererDir() });
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const started = { preview, browser };
    return {
      ...regions,
      preview,
      page,
      services,
      close: async ({ regionsStopped = false } = {}) => {
        await started.browser.close();
        await started.preview.close();
        await services.session.close();
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

/**
 * Types a patient id into the search field and submits it, as a clinician
 * does; the first time the patient is opened in the session the purpose is
 * asked (issue 10): ordinary care, with the care relationship confirmed.
 */
export async function openPatient(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('patient-input');
  await input.fill(text);
  await input.press('Enter');
  await answerPurposeIfAsked(page);
}

/** When the purpose is asked (the patient's first open in the session), answers: care, care relationship confirmed. */
export async function answerPurposeIfAsked(page: Page): Promise<void> {
  const dialog = page.getByTestId('purpose-dialog');
  const asked = await dialog
    .or(page.getByTestId('patient-banner'))
    .or(page.getByTestId('summary-error'))
    .first()
    .waitFor({ timeout: 15_000 })
    .then(async () => dialog.isVisible())
    .catch(() => false);
  if (asked) {
    await page.getByTestId('purpose-relationship').check();
    await page.getByTestId('purpose-open').click();
  }
}
