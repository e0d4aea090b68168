/**
 * Journal documents opened on demand (document.open) from the sandbox on
 * 127.0.0.1: only the asking patient's own document, only from the source's
 * own base URL or inline data, size-limited, allowed types only; coded errors.
 */
import { signInForTest, stateCareFor } from '../../fixtures/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { sandboxPatient } from '../../../src/main/sandbox/fhirData';

let syd: FhirSandbox;
let services: Services;
const tolvan = sandboxPatient('tolvan').identifier.value;

beforeAll(async () => {
  syd = await startFhirSandbox({ region: 'syd' });
  services = createServices({
    config: {
      sources: [
        { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 3_000, enabled: true },
        { id: 'syd-small', name: 'Region Syd (small limit)', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 3_000, enabled: true, maxDocumentBytes: 200 },
      ],
    } as never,
    clock: { now: () => new Date('2026-11-25T10:00:00Z') },
    logger: createLogger('test'),
    transport: 'preview',
    version: '0.0.0-test',
  });
  // A document opens only for a signed-in user who opened the patient (purpose stated) and whose view lists it.
  await signInForTest(services);
  await stateCareFor(services, tolvan);
  await stateCareFor(services, sandboxPatient('matti').identifier.value);
});

afterAll(async () => {
  await syd.close();
});

const open = (recordId: string, patient = tolvan, sourceId = 'region-syd') =>
  services.handlers['document.open']({ patient, sourceId, recordId });

describe('document.open against the sandbox', () => {
  it('opens a discharge summary from the source’s own attachment URL, as HTML text', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-101');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.value).toMatchObject({ contentType: 'text/html', title: 'Epikris medicinkliniken 2026-09-09' });
    expect(answer.value.text).toContain('Hjärtsvikt, försämring');
  });

  it('opens a referral from inline data as plain text', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-102');
    expect(answer.ok && answer.value).toMatchObject({ contentType: 'text/plain' });
    expect(answer.ok && answer.value.text).toContain('hjärtsviktsmottagningen');
  });

  it('opens a PDF report from inline data as its bytes (base64), for the platform viewer', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-105');
    expect(answer.ok && answer.value.contentType).toBe('application/pdf');
    const bytes = answer.ok ? Buffer.from(answer.value.base64 ?? '', 'base64') : Buffer.alloc(0);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(answer.ok && answer.value.text).toBe(undefined);
  });

  it('refuses an attachment URL outside the source’s base URL without fetching it', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-103');
    expect(answer).toEqual({ ok: false, error: { code: 'DOCUMENT_URL_REFUSED' } });
  });

  it('refuses a content type it cannot show safely', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-104');
    expect(answer).toEqual({ ok: false, error: { code: 'DOCUMENT_TYPE_REFUSED' } });
  });

  it('refuses a document larger than the source’s limit', async () => {
    const answer = await open('DocumentReference/syd-doc-e0b8-101', tolvan, 'syd-small');
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('opens nothing for someone signed out, or for a patient not opened in the session', async () => {
    const stina = sandboxPatient('stina').identifier.value;
    expect(await open('DocumentReference/syd-doc-e0b8-101', stina)).toEqual({ ok: false, error: { code: 'ACCESS_PURPOSE_REQUIRED' } });
    await services.handlers['session.signOut']({});
    try {
      expect(await open('DocumentReference/syd-doc-e0b8-101')).toEqual({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    } finally {
      await signInForTest(services);
      await stateCareFor(services, tolvan);
      await stateCareFor(services, sandboxPatient('matti').identifier.value);
    }
  });

  it('never gives one patient another patient’s document, nor anything but a DocumentReference', async () => {
    const matti = sandboxPatient('matti').identifier.value;
    expect(await open('DocumentReference/syd-doc-e0b8-101', matti)).toEqual({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
    expect(await open('Patient/sy-19c4e0b8')).toEqual({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
    expect(await open('DocumentReference/does-not-exist')).toEqual({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
    expect(await open('DocumentReference/syd-doc-e0b8-101', tolvan, 'no-such-source')).toEqual({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
  });

  it('answers a coded error when the source is down', async () => {
    syd.setFault('down');
    try {
      const answer = await open('DocumentReference/syd-doc-e0b8-101');
      expect(!answer.ok && answer.error.code).toBe('SOURCE_UNREACHABLE');
    } finally {
      syd.setFault('none');
    }
  });
});

describe('document retention as a source setting', () => {
  it('leaves out documents older than their type’s retention and keeps unlimited ones', async () => {
    const { createSourceAdapters } = await import('../../../src/main/app/createServices');
    const { createSummaryService } = await import('../../../src/main/summary/summaryService');
    const { sandboxQuery } = await import('../../fixtures/patientQuery');
    const now = new Date('2026-11-25T10:00:00Z');
    const sources = createSourceAdapters({
      sources: [
        {
          id: 'region-syd',
          name: 'Region Syd',
          kind: 'fhir-r4',
          baseUrl: syd.url,
          timeoutMs: 3_000,
          enabled: true,
          // Norway's rules: discharge summaries unlimited, radiology 5 years, referrals and lab 1 year; here shortened to 30 days for referrals and lab.
          documentRetention: { '18842-5': 'unlimited', '18748-4': 1826, '57133-1': 30, '11502-2': 30 },
        } as never,
      ],
    });
    const service = createSummaryService({ sources, clock: { now: () => now }, logger: createLogger('test') });
    const s = await service.open(sandboxQuery('tolvan', now));
    const types = s.sections.documents.map((d) => d.codes[0]?.code);
    expect(types).toContain('18842-5');
    expect(types).toContain('18748-4');
    expect(types).not.toContain('57133-1');
    expect(types).not.toContain('11502-2');
  });
});

describe('a document opened once opens from the encrypted cache when its source is down', () => {
  it('keeps the copy, marks it with its age, and forgets it with "Töm cache"', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openCache } = await import('../../../src/main/cache/openCache');
    const dir = mkdtempSync(join(tmpdir(), 'samsyn-doc-cache-'));
    const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
    const cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 5) }, clock, logger: createLogger('test') });
    const cached = createServices({
      config: { sources: [{ id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 3_000, enabled: true }] } as never,
      clock,
      logger: createLogger('test'),
      transport: 'preview',
      version: '0.0.0-test',
      cache,
    });
    try {
      await signInForTest(cached);
      await stateCareFor(cached, tolvan);
      const request = { patient: tolvan, sourceId: 'region-syd', recordId: 'DocumentReference/syd-doc-e0b8-101' };
      const live = await cached.handlers['document.open'](request);
      expect(live.ok && live.value.cachedAt).toBe(undefined);
      syd.setFault('down');
      const kept = await cached.handlers['document.open'](request);
      expect(kept.ok).toBe(true);
      if (!kept.ok) return;
      expect(kept.value.cachedAt).toBe('2026-11-25T10:00:00.000Z');
      expect(kept.value.text).toContain('Hjärtsvikt, försämring');
      await cached.handlers['cache.clear']({});
      const gone = await cached.handlers['document.open'](request);
      expect(gone.ok).toBe(false);
    } finally {
      syd.setFault('none');
      await cached.summary.settled();
      cache.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
