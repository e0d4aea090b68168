/**
 * `samsyn check-sources` against real sandboxes on 127.0.0.1: a FHIR region
 * over HTTPS with its CA, an MLLP peer, a drop folder, and sources that fail
 * (a closed port, a CA that does not match, a missing folder).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceCheckRow } from '../../../src/main/cli/checkSourcesCommand';
import { EXIT } from '../../../src/main/cli/index';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { startMllpSandbox, type MllpSandbox } from '../../../src/main/sandbox/mllpServer';
import { cli } from './runCli';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');
let fhir: FhirSandbox;
let mllp: MllpSandbox;
let dir: string;
let file: string;
let closedPort: number;

beforeAll(async () => {
  [fhir, mllp] = await Promise.all([
    startFhirSandbox({ region: 'nord', tls: { key: readFileSync(join(TLS, 'server.key')), cert: readFileSync(join(TLS, 'server.pem')) } }),
    startMllpSandbox({ region: 'vast' }),
  ]);
  // A port that was just free: nothing listens on it.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  dir = mkdtempSync(join(tmpdir(), 'samsyn-check-'));
  mkdirSync(join(dir, 'drop'));
  file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      sources: [
        { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: fhir.url, tls: { caFile: join(TLS, 'ca.pem') } },
        { id: 'wrong-ca', name: 'Fel CA', kind: 'fhir-r4', baseUrl: fhir.url, tls: { caFile: join(TLS, 'other-ca.pem') } },
        { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', host: '127.0.0.1', port: mllp.port },
        { id: 'closed', name: 'Stängd', kind: 'hl7v2-mllp', host: '127.0.0.1', port: closedPort, timeoutMs: 2_000 },
        { id: 'drop', name: 'Mapp', kind: 'hl7v2-batch', folder: join(dir, 'drop') },
        { id: 'no-folder', name: 'Ingen mapp', kind: 'hl7v2-batch', folder: join(dir, 'missing') },
      ],
    }),
  );
});

afterAll(async () => {
  await Promise.all([fhir.close(), mllp.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const byId = (rows: SourceCheckRow[]) => new Map(rows.map((r) => [r.id, r]));

describe('samsyn check-sources', () => {
  it('checks every source at once and says which failed and why; exit 3 when one failed', async () => {
    const r = await cli('check-sources', file, '--json');
    expect(r.code).toBe(EXIT.rejected);
    const rows = byId((JSON.parse(r.out) as { sources: SourceCheckRow[] }).sources);
    expect(rows.get('region-nord')).toMatchObject({ ok: true, tls: true, details: { fhirVersion: '4.0.1', patientSearchByIdentifier: true } });
    expect(rows.get('wrong-ca')).toMatchObject({ ok: false, error: { code: 'SOURCE_TLS_FAILED' } });
    expect(rows.get('kommun-vast')).toMatchObject({ ok: true, tls: false });
    expect(rows.get('closed')).toMatchObject({ ok: false, error: { code: 'SOURCE_UNREACHABLE' } });
    expect(rows.get('drop')).toMatchObject({ ok: true, details: { files: 0 } });
    expect(rows.get('no-folder')).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('with a test patient, asks each working source for them: found, items and sections', async () => {
    const r = await cli('check-sources', file, '--patient', '19121212-1212', '--json');
    const rows = byId((JSON.parse(r.out) as { sources: SourceCheckRow[] }).sources);
    expect(rows.get('region-nord')?.patient).toMatchObject({ found: true });
    expect(rows.get('region-nord')?.patient?.sections).toEqual(expect.arrayContaining(['allergies', 'medications', 'results']));
    expect(rows.get('kommun-vast')?.patient?.found).toBe(true);
    expect(rows.get('kommun-vast')?.patient?.items).toBeGreaterThan(0);
  });

  it('prints a readable table with each failure in words, and no patient data', async () => {
    const r = await cli('check-sources', file, '--patient', '19121212-1212');
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toContain('configuration:');
    expect(lines.find((l) => l.includes('wrong-ca'))).toMatch(/^FAILED .*SOURCE_TLS_FAILED: the source's certificate could not be verified/);
    expect(lines.find((l) => l.includes('region-nord'))).toMatch(/^ok .*tls .*fhirVersion=4\.0\.1.*patient found/);
    expect(r.out).not.toContain('Tolvan');
    expect(r.out).not.toContain('191212121212');
  });

  it('an unreadable configuration is exit 2; a bad --patient exit 1', async () => {
    expect((await cli('check-sources', join(dir, 'nope.json'))).code).toBe(EXIT.badFile);
    expect((await cli('check-sources', file, '--patient', '19121212-1213')).code).toBe(EXIT.invalid);
  });
});

describe('samsyn check-sources on a drop folder with files it cannot take (issue 14 probe)', () => {
  it('says, with the test patient, which files wait and which were skipped and why, by code and count', async () => {
    const folder = join(dir, 'drop-notes');
    mkdirSync(folder);
    // A batch still being written (no BTS/FTS yet), a link to a file outside the folder, a folder named like a file.
    const head = 'FHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100\rBHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100\r';
    writeFileSync(join(folder, 'half.hl7'), head);
    writeFileSync(join(dir, 'outside.hl7'), head);
    symlinkSync(join(dir, 'outside.hl7'), join(folder, 'link.hl7'));
    mkdirSync(join(folder, 'entry.hl7'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(folder, 'half.hl7'), past, past);
    const config = join(dir, 'config-notes.json');
    writeFileSync(config, JSON.stringify({ sources: [{ id: 'drop-notes', name: 'Mapp', kind: 'hl7v2-batch', folder }] }));
    const json = await cli('check-sources', config, '--patient', '19121212-1212', '--json');
    const [row] = (JSON.parse(json.out) as { sources: SourceCheckRow[] }).sources;
    expect(row).toMatchObject({ id: 'drop-notes', ok: true, waiting: 1 });
    expect(row?.notes).toEqual(
      expect.arrayContaining([
        { code: 'HL7_FILE_LINK', count: 1 },
        { code: 'HL7_FILE_NOT_REGULAR', count: 1 },
      ]),
    );
    const text = await cli('check-sources', config, '--patient', '19121212-1212');
    expect(text.out).toContain('1 file(s) waiting to be complete');
    expect(text.out).toContain('HL7_FILE_LINK x1: a dropped file is a link, which is not followed');
    expect(text.out).toContain('HL7_FILE_NOT_REGULAR x1');
    expect(text.out).not.toContain('link.hl7');
  });
});
