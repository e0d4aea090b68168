/**
 * A FHIR source over TLS and mutual TLS (issue 12 item 4), against the sandbox
 * served over HTTPS on 127.0.0.1 with the test CA in test/fixtures/tls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { readConfig } from '../../../src/main/app/config';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { CodedError } from '../../../src/shared/errors';
import { sandboxQuery } from '../../fixtures/patientQuery';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');
const pem = (name: string) => join(TLS, name);
const NOW = new Date('2026-11-25T10:00:00Z');
let plain: FhirSandbox;
let mutual: FhirSandbox;

beforeAll(async () => {
  const key = readFileSync(pem('server.key'));
  const cert = readFileSync(pem('server.pem'));
  [plain, mutual] = await Promise.all([
    startFhirSandbox({ region: 'nord', tls: { key, cert } }),
    startFhirSandbox({ region: 'nord', tls: { key, cert, ca: readFileSync(pem('ca.pem')), requestCert: true } }),
  ]);
});

afterAll(async () => {
  await Promise.all([plain.close(), mutual.close()]);
});

function source(baseUrl: string, tls?: Record<string, string>): SourceAdapter {
  const config = readConfig({ sources: [{ id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl, timeoutMs: 5_000, ...(tls ? { tls } : {}) }] });
  expect(config.rejected).toEqual([]);
  return createSourceAdapters(config)[0] as SourceAdapter;
}

async function codeOf(adapter: SourceAdapter): Promise<string> {
  try {
    await adapter.fetchPatient(sandboxQuery('tolvan', NOW), new AbortController().signal);
    return 'answered';
  } catch (err) {
    return err instanceof CodedError ? err.code : 'thrown';
  }
}

describe('FHIR sources over TLS', () => {
  it('answers over HTTPS when the source trusts the region’s CA', async () => {
    expect(plain.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/fhir$/);
    const result = await source(plain.url, { caFile: pem('ca.pem') }).fetchPatient(sandboxQuery('tolvan', NOW), new AbortController().signal);
    expect(result.items.length).toBeGreaterThan(0);
  });

  it('refuses a server whose certificate does not chain to the configured CA, with SOURCE_TLS_FAILED', async () => {
    expect(await codeOf(source(plain.url, { caFile: pem('other-ca.pem') }))).toBe('SOURCE_TLS_FAILED');
    // Without settings the system's roots apply, and the test CA is not among them.
    expect(await codeOf(source(plain.url))).toBe('SOURCE_TLS_FAILED');
  });

  it('mutual TLS: answers with the client certificate, refuses without one or with a stranger’s', async () => {
    expect(await codeOf(source(mutual.url, { caFile: pem('ca.pem'), certFile: pem('client.pem'), keyFile: pem('client.key') }))).toBe('answered');
    expect(['SOURCE_TLS_FAILED', 'SOURCE_UNREACHABLE']).toContain(await codeOf(source(mutual.url, { caFile: pem('ca.pem') })));
    expect(['SOURCE_TLS_FAILED', 'SOURCE_UNREACHABLE']).toContain(
      await codeOf(source(mutual.url, { caFile: pem('ca.pem'), certFile: pem('stranger.pem'), keyFile: pem('stranger.key') })),
    );
  });

  it('a missing PEM file disables the source with the setting’s path; tls on an http URL or a lone certFile is a configuration error', async () => {
    const adapter = source(plain.url, { caFile: join(TLS, 'missing.pem') });
    let error: unknown;
    try {
      await adapter.fetchPatient(sandboxQuery('tolvan', NOW), new AbortController().signal);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('SOURCE_DISABLED');
    expect(JSON.stringify((error as CodedError).params)).toContain('FILE_UNREADABLE');
    expect(JSON.stringify((error as CodedError).params)).not.toContain('missing.pem');
    const http = readConfig({ sources: [{ id: 'a', name: 'A', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir', tls: { caFile: pem('ca.pem') } }] });
    expect(http.rejected?.[0]?.path).toBe('sources[0].tls');
    const lone = readConfig({ sources: [{ id: 'a', name: 'A', kind: 'fhir-r4', baseUrl: plain.url, tls: { certFile: pem('client.pem') } }] });
    expect(lone.rejected?.[0]?.path).toBe('sources[0].tls.keyFile');
  });
});
