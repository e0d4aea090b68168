/**
 * Hazard H8 (SAFETY.md): patient data left readable on disk or in logs. With
 * every logger at 'debug' captured, Tolvan is opened through the services with
 * the encrypted cache and the access log in one folder, beside a region that
 * answers about somebody else and one that sends garbage. Afterwards no file
 * in the folder and no log line holds Tolvan's national id (in the forms
 * people type), name or clinical text; a stray patient field handed to a
 * logger is censored.
 * Controls: the cache's and access log's encryption (src/main/cache/cacheDatabase.ts db.key,
 * src/main/audit/accessLogDatabase.ts); codes-only logging with the logger's redaction
 * (src/main/platform/logger.ts REDACTED_KEYS).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogLines } from '../fixtures/logLines';

// Before any module that logs is loaded: everything else is imported dynamically.
const lines = captureLogLines();

const dir = mkdtempSync(join(tmpdir(), 'samsyn-hazard-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Tolvan as people type them, and what the region holds about him. */
const SECRETS = ['191212121212', '19121212-1212', '121212-1212', '1212121212', 'Tolvansson', 'Penicillin', 'Apixaban', 'Eliquis'];

function files(at: string): string[] {
  return readdirSync(at).flatMap((name) => {
    const path = join(at, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every secret found in the bytes, read as UTF-8, Latin-1 and UTF-16. */
function found(bytes: Buffer): string[] {
  const texts = [bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('utf16le')].map((t) => t.toLowerCase());
  return SECRETS.filter((s) => texts.some((t) => t.includes(s.toLowerCase())));
}

describe('H8 patient data left readable on disk or in logs', () => {
  it('leaves no readable identity or clinical text in any file or log line', async () => {
    const { createServices } = await import('../../src/main/app/createServices');
    const { readConfig } = await import('../../src/main/app/config');
    const { openCache } = await import('../../src/main/cache/openCache');
    const { openAccessLog } = await import('../../src/main/audit');
    const { createLogger } = await import('../../src/main/platform/logger');
    const { startFhirSandbox } = await import('../../src/main/sandbox/fhirServer');
    const { startFaultServer } = await import('./faultServers');
    const { openFinal } = await import('../fixtures/openFinal');
    const { signInForTest } = await import('../fixtures/session');
    const { NOW } = await import('./hazardFixtures');

    const clock = { now: () => NOW };
    const logger = createLogger('test');
    const [nord, syd, garbage] = await Promise.all([
      startFhirSandbox({ region: 'nord' }),
      startFhirSandbox({ region: 'syd', fault: 'wrongPatient' }),
      startFaultServer('garbage'),
    ]);
    const cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 9) }, clock, logger });
    const log = openAccessLog({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger });
    const services = createServices({
      config: readConfig({
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 10_000 },
          { id: 'region-garbage', name: 'Region G', kind: 'fhir-r4', baseUrl: garbage.url, timeoutMs: 10_000 },
        ],
      }),
      clock,
      logger,
      transport: 'preview',
      version: 'test',
      accessLog: { log },
      cache,
    });
    try {
      await signInForTest(services);
      const opened = await openFinal(services, '19121212-1212');
      expect(opened.ok && opened.final.sections.allergies.length).toBeGreaterThan(0);
      // The summary really held what is searched for (so not finding it means something).
      expect(found(Buffer.from(JSON.stringify(opened.ok && opened.final)))).toEqual(expect.arrayContaining(['Tolvansson', 'Penicillin']));
      // Opened again, from the cache.
      expect((await openFinal(services, '19121212-1212')).ok).toBe(true);
      // The safety net: a patient field that slips into a log call is censored.
      createLogger('test.stray').warn({ patient: '19121212-1212', name: 'Tolvan Tolvansson', text: 'Penicillin' }, 'stray');
    } finally {
      await services.summary.settled();
      cache.close();
      log.close();
      await Promise.all([nord.close(), syd.close(), garbage.close()]);
    }

    const onDisk = files(dir);
    expect(onDisk.length).toBeGreaterThan(0);
    expect(onDisk.map((f) => ({ file: f.slice(dir.length), hits: found(readFileSync(f)) })).filter((f) => f.hits.length > 0)).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('"msg":"stray"'))).toBe(true);
    expect(lines.filter((l) => found(Buffer.from(l)).length > 0)).toEqual([]);
  });
});
