/**
 * Sources over TLS and mutual TLS (issue 12 item 4): FHIR against the sandbox
 * served over HTTPS, HL7 v2 against the MLLP sandbox served over TLS, both on
 * 127.0.0.1 with the test CA in test/fixtures/tls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourceAdapters } from '../../../src/main/app/createServices';
import { readConfig } from '../../../src/main/app/config';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../../src/main/sandbox/mllpServer';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { CodedError } from '../../../src/shared/errors';
import { sandboxQuery } from '../../fixtures/patientQuery';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');
const pem = (name: string) => join(TLS, name);
const NOW = new Date('2026-11-25T10:00:00Z');
let plain: FhirSandbox;
let mutual: FhirSandbox;
let mllps: MllpSandbox;

beforeAll(async () => {
  const key = readFileSync(pem('server.key'));
  const cert = readFileSync(pem('server.pem'));
  [plain, mutual, mllps] = await Promise.all([
    startFhirSandbox({ region: 'nord', tls: { key, cert } }),
    startFhirSandbox({ region: 'nord', tls: { key, cert, ca: readFileSync(pem('ca.pem')), requestCert: true } }),
    startMllpSandbox({ region: 'vast', tls: { key, cert, ca: readFileSync(pem('ca.pem')), requestCert: true } }),
  ]);
});

afterAll(async () => {
  await Promise.all([plain.close(), mutual.close(), mllps.close()]);
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

describe('HL7 v2 over MLLP with mutual TLS', () => {
  const mllp = (tls?: Record<string, string>) => {
    const config = readConfig({
      sources: [{ id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', host: '127.0.0.1', port: mllps.port, timeoutMs: 8_000, ...(tls ? { tls } : {}) }],
    });
    expect(config.rejected).toEqual([]);
    return createSourceAdapters(config)[0] as SourceAdapter;
  };

  it('queries the MLLP peer over TLS with the client certificate, and checks the connection without a message', async () => {
    const adapter = mllp({ caFile: pem('ca.pem'), certFile: pem('client.pem'), keyFile: pem('client.key') });
    const result = await adapter.fetchPatient(sandboxQuery('tolvan', NOW), new AbortController().signal);
    expect(result.items.length).toBeGreaterThan(0);
    expect((await adapter.check?.(AbortSignal.timeout(8_000)))?.details).toHaveProperty('connectMs');
  });

  it('refuses a peer whose certificate does not chain to the CA, and is refused without a client certificate', async () => {
    expect(await codeOf(mllp({ caFile: pem('other-ca.pem'), certFile: pem('client.pem'), keyFile: pem('client.key') }))).toBe('SOURCE_TLS_FAILED');
    let checked: unknown;
    try {
      await mllp({ caFile: pem('other-ca.pem') }).check?.(AbortSignal.timeout(8_000));
    } catch (err) {
      checked = err;
    }
    expect((checked as CodedError).code).toBe('SOURCE_TLS_FAILED');
    expect(['SOURCE_TLS_FAILED', 'SOURCE_UNREACHABLE', 'HL7_CONNECTION_RESET']).toContain(await codeOf(mllp({ caFile: pem('ca.pem') })));
    // Plain MLLP to a TLS peer gets no answer it can read.
    expect(await codeOf(mllp())).not.toBe('answered');
  });
});
