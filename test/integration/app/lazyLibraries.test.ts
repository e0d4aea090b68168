/**
 * Large libraries load only when a configured source or a sign-in needs them
 * (issue 13): a runtime with FHIR sources only, signed in to the local
 * directory, has not loaded the HL7 v2 MLLP client, the OpenID Connect client
 * or the sandbox identity provider. Each check runs in a fresh Node process
 * (tsx), so nothing another test loaded counts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CHILD = join(__dirname, '..', '..', 'fixtures', 'loadedPackages.ts');
const NOT_FOR_FHIR_ONLY = ['node-hl7-client', '@medplum/hl7', '@medplum/core', 'openid-client', 'oidc-provider', 'uplot'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-lazy-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function loadedWith(sources: unknown[], also?: string): string[] {
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ sources }));
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, configPath, ...(also ? ['--also', also] : [])], {
    encoding: 'utf8',
    env: { ...process.env, SAMSYN_LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
  const line = out.split('\n').find((l) => l.startsWith('{"packages"'));
  if (!line) throw new Error('the child printed no package list');
  return (JSON.parse(line) as { packages: string[] }).packages;
}

const fhirSource = { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir' };

describe('large libraries in a FHIR-only configuration', () => {
  it('are not loaded by starting the runtime and signing in', () => {
    const packages = loadedWith([fhirSource]);
    // The check sees what the runtime did load.
    expect(packages).toContain('zod');
    for (const lib of NOT_FOR_FHIR_ONLY) expect(packages, lib).not.toContain(lib);
  }, 150_000);

  it('would be seen if something loaded them (control)', () => {
    expect(loadedWith([fhirSource], 'openid-client')).toContain('openid-client');
  }, 150_000);

  it('an HL7 v2 MLLP source configured loads its client only at its first query', () => {
    const mllp = { id: 'hl7-vast', name: 'Väst HL7', kind: 'hl7v2-mllp', host: '127.0.0.1', port: 9 };
    const packages = loadedWith([fhirSource, mllp]);
    expect(packages).not.toContain('node-hl7-client');
    // The HL7 parser's library too: nothing has been read yet.
    expect(packages).not.toContain('@medplum/core');
  }, 150_000);

  it('an HL7 v2 drop folder configured loads the parser library only at its first import', () => {
    const batch = { id: 'lab', name: 'Lab', kind: 'hl7v2-batch', folder: join(dir, 'drop') };
    expect(loadedWith([fhirSource, batch])).not.toContain('@medplum/core');
  }, 150_000);

  it('the HL7 parser library is seen once HL7 is read (control)', () => {
    expect(loadedWith([fhirSource], 'hl7')).toContain('@medplum/core');
  }, 150_000);
});
