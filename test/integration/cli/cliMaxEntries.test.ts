/**
 * The command line's FHIR Bundle entry limit is an option (ADR 0038), as the
 * HL7 segment limit is (ADR 0034): `summarize --max-entries N`, validated
 * (1 – 10,000,000, the ceiling of a FHIR source's maxEntries), its default the
 * FHIR sources' own (DEFAULT_MAX_ENTRIES, 50,000). Past it: FILE_TOO_LARGE
 * naming the limit and the number set, exit 2; a bad value: CLI_USAGE naming
 * the option, exit 64. The compiled program (bin/samsyn.mjs) in a child
 * process, as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ENTRIES } from '../../../src/main/sources/fhir/fhirHttp';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'samsyn.mjs');
const fixture = join(root, 'test', 'fixtures', 'bundles', 'tolvan-nord.json');
const TOLVAN = '191212121212';
let dir: string;

function samsyn(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SAMSYN_LOG_LEVEL: '' }, maxBuffer: 64 << 20 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The fixture's Bundle with its entries repeated until it holds `count` (each copy a distinct resource id). */
function bundleOf(count: number): string {
  const bundle = JSON.parse(readFileSync(fixture, 'utf8')) as { entry: Array<{ resource?: { id?: string } }> };
  const base = bundle.entry;
  const entries = [];
  for (let i = 0; entries.length < count; i++) {
    const e = structuredClone(base[i % base.length]!);
    if (i >= base.length && e.resource?.id) e.resource.id = `${e.resource.id}-${i}`;
    entries.push(e);
  }
  return JSON.stringify({ ...bundle, entry: entries });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-cli-entries-'));
  samsyn('--help'); // builds the program first where it is stale
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('summarize --max-entries', () => {
  it('refuses a Bundle past the limit it sets, naming the limit; reads one within it', () => {
    const file = join(dir, 'bundle-120.json');
    writeFileSync(file, bundleOf(120));
    const refused = samsyn('summarize', file, '--patient', TOLVAN, '--max-entries', '100');
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toBe('samsyn: FILE_TOO_LARGE: file 1 is over the entries limit (100) and was not read\n');
    const read = samsyn('summarize', file, '--patient', TOLVAN, '--max-entries', '120', '--format', 'json');
    expect(read.err).toBe('');
    expect(read.code).toBe(0);
    expect((JSON.parse(read.out) as { sources: Array<{ state: string }> }).sources.map((s) => s.state)).toEqual(['ok']);
  }, 120_000);

  it('defaults to the FHIR sources’ own limit: one entry more is refused, and raised it is read', () => {
    const file = join(dir, 'bundle-default.json');
    writeFileSync(file, bundleOf(DEFAULT_MAX_ENTRIES + 1));
    const refused = samsyn('summarize', file, '--patient', TOLVAN);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`samsyn: FILE_TOO_LARGE: file 1 is over the entries limit (${DEFAULT_MAX_ENTRIES}) and was not read\n`);
    const raised = samsyn('summarize', file, '--patient', TOLVAN, '--max-entries', String(DEFAULT_MAX_ENTRIES + 1), '--format', 'json');
    expect(raised.err).toBe('');
    expect(raised.code).toBe(0);
  }, 300_000);

  it('a bad value is a usage error naming the option, before any file is read', () => {
    for (const value of ['0', '-5', '1.5', 'abc', '', '10000001', '1e3']) {
      const run = samsyn('summarize', join(dir, 'missing.json'), '--patient', TOLVAN, `--max-entries=${value}`);
      expect(run.code, value).toBe(64);
      expect(run.err, value).toMatch(/^samsyn: CLI_USAGE: .*--max-entries/);
      expect(run.err).not.toContain(TOLVAN);
    }
    expect(samsyn('summarize', '--help').out).toContain('--max-entries N');
  }, 120_000);
});
