import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/main/cli/index';
import type { Summary } from '../../../src/shared/summary';
import { cli } from './runCli';

const root = join(__dirname, '..', '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'bundles', name);

describe('samsyn validate-id', () => {
  it('prints the normalized id as JSON', async () => {
    const r = await cli('validate-id', '121212+1212');
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.out)).toMatchObject({ country: 'SE', kind: 'personnummer', value: '191212121212' });
  });

  it('prints one coded line and exits non-zero for a bad check digit', async () => {
    const r = await cli('validate-id', '19121212-1213');
    expect(r.code).toBe(EXIT.invalid);
    expect(r.err).toMatch(/^samsyn: ID_BAD_CHECKSUM\b.*\n$/);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.err).not.toContain('1213');
  });
});

describe('samsyn summarize', () => {
  it('merges the same allergy from two files and shows both sources', async () => {
    const r = await cli('summarize', fixture('tolvan-nord.json'), fixture('tolvan-syd.json'), '--patient', '19121212-1212', '--json');
    expect(r.code).toBe(EXIT.ok);
    const summary = JSON.parse(r.out) as Summary;
    expect(Object.keys(summary.sections)).toEqual([
      'alerts', 'allergies', 'medications', 'problems', 'results', 'immunizations',
      'encounters', 'procedures', 'documents', 'carePlans', 'pregnancy', 'homeMeasurements',
    ]);
    expect(summary.sections.allergies).toHaveLength(1);
    expect(summary.sections.allergies[0]?.sources.map((s) => s.sourceName)).toEqual(['tolvan-nord.json', 'tolvan-syd.json']);
    expect(summary.sections.medications).toHaveLength(1);
    expect(summary.sections.problems).toHaveLength(1);
    expect(summary.sources.map((s) => s.state)).toEqual(['ok', 'ok']);
    expect(summary.patient.name).toBe('Tolvan Tolvansson');
  });

  it('--format ips prints the summary as an IPS document Bundle; an unknown format or one beside --json is a usage error', async () => {
    const r = await cli('summarize', fixture('tolvan-nord.json'), fixture('tolvan-syd.json'), '--patient', '19121212-1212', '--format', 'ips');
    expect(r.code).toBe(EXIT.ok);
    const bundle = JSON.parse(r.out) as { type: string; entry: { resource: { resourceType: string; section?: { code?: { coding: { code: string }[] } }[] } }[] };
    expect(bundle.type).toBe('document');
    expect(bundle.entry[0]?.resource.resourceType).toBe('Composition');
    expect(bundle.entry[0]?.resource.section?.map((x) => x.code?.coding[0]?.code)).toContain('48765-2');
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'AllergyIntolerance')).toHaveLength(1);
    const both = await cli('summarize', fixture('tolvan-nord.json'), '--patient', '19121212-1212', '--format', 'ips', '--json');
    expect(both.code).toBe(EXIT.usage);
    expect((await cli('summarize', fixture('tolvan-nord.json'), '--patient', '19121212-1212', '--format', 'pdf')).code).toBe(EXIT.usage);
  });

  it('rejects a file about someone else: no items, a PATIENT_MISMATCH status, exit 3', async () => {
    const r = await cli('summarize', fixture('tolvan-nord.json'), fixture('other-patient.json'), '--patient', '191212121212', '--json');
    expect(r.code).toBe(EXIT.rejected);
    const summary = JSON.parse(r.out) as Summary;
    expect(summary.sources[1]).toMatchObject({ state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 });
    const allItems = Object.values(summary.sections).flat();
    expect(allItems.every((i) => i.sources.every((s) => s.sourceId === 'file-1'))).toBe(true);
    expect(r.out).not.toContain('Jordnöts');
  });

  it('matches an identifier token SYSTEM|VALUE exactly', async () => {
    const hit = await cli('summarize', fixture('other-patient.json'), '--patient', 'urn:oid:1.2.752.129.2.1.3.1|198112189876', '--json');
    expect(hit.code).toBe(EXIT.ok);
    expect((JSON.parse(hit.out) as Summary).sections.allergies).toHaveLength(1);
    const miss = await cli('summarize', fixture('other-patient.json'), '--patient', 'urn:oid:9.9.9|198112189876', '--json');
    expect(miss.code).toBe(EXIT.rejected);
  });

  it('gives one coded line for bad files', async () => {
    for (const [file, code] of [
      ['missing.json', 'FILE_NOT_FOUND'],
      ['broken.json', 'FILE_NOT_JSON'],
      ['not-a-bundle.json', 'FILE_NOT_FHIR_BUNDLE'],
    ] as const) {
      const r = await cli('summarize', fixture(file), '--patient', '191212121212');
      expect(r.code).toBe(EXIT.badFile);
      expect(r.err).toMatch(new RegExp(`^samsyn: ${code}\\b`));
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('explains usage when the patient is missing', async () => {
    const r = await cli('summarize', fixture('tolvan-nord.json'));
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('CLI_USAGE');
  });

  it('runs as a real process via npm with no stack trace on bad input', () => {
    const run = spawnSync('npm', ['run', '--silent', 'samsyn', '--', 'summarize', fixture('broken.json'), '--patient', '191212121212'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(EXIT.badFile);
    expect(run.stderr).toMatch(/^samsyn: FILE_NOT_JSON/);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const ok = spawnSync('npm', ['run', '--silent', 'samsyn', '--', 'validate-id', '19121212-1212'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).value).toBe('191212121212');
  }, 60_000);
});
