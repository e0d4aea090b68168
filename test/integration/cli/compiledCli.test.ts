/**
 * The compiled `samsyn` program as a user runs it (bin/samsyn.mjs in a child
 * process): error lines with a code and words that name files by position only,
 * logs only with --verbose, --help per command, and commands that load only
 * what they need.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'samsyn.mjs');
const bundles = join(root, 'test', 'fixtures', 'bundles');
let dir: string;

function samsyn(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SAMSYN_LOG_LEVEL: '' } });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samsyn-cli-'));
  // Named as a real export might be: by the patient's identity number.
  writeFileSync(join(dir, '191212121212.hl7'), 'Lab export\rPID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan\r');
  writeFileSync(join(dir, '191212121212.json'), '{"resourceType": "Bundle",\n  "type": collection }');
  samsyn('--help'); // builds the program first where it is stale, so the tests below time only themselves
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the compiled samsyn program', () => {
  it('validates an id: JSON on stdout, or one line with code and words on stderr', () => {
    const ok = samsyn('validate-id', '19121212-1212');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ country: 'SE', value: '191212121212' });
    expect(ok.err).toBe('');
    const bad = samsyn('validate-id', '19121212-1213');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("samsyn: ID_BAD_CHECKSUM: the Swedish id's check digit is wrong\n");
  });

  it('names a file by its position, never by its name, and says what is wrong where', () => {
    const hl7 = samsyn('hl7', 'inspect', join(dir, '191212121212.hl7'));
    expect(hl7.code).toBe(2);
    expect(hl7.err).toBe(
      'samsyn: HL7_NO_HEADER: file 1 has no MSH segment before line 2 (which starts PID): an HL7 v2 file starts with MSH, BHS or FHS\n',
    );
    const summarizeHl7 = samsyn('summarize', join(bundles, 'tolvan-nord.json'), join(dir, '191212121212.hl7'), '--patient', '191212121212');
    expect(summarizeHl7.code).toBe(2);
    expect(summarizeHl7.err).toMatch(/^samsyn: HL7_NO_HEADER: file 2 has no MSH segment before line 2 /);
    const json = samsyn('summarize', join(dir, '191212121212.json'), '--patient', '191212121212');
    expect(json.code).toBe(2);
    expect(json.err).toMatch(/^samsyn: FILE_NOT_JSON: file 1 is not JSON \(position \d+\)\n$/);
    for (const r of [hl7, summarizeHl7, json]) {
      expect(r.err).not.toContain('191212121212');
      expect(r.err).not.toContain('Tolvan');
      expect(r.err.split('\n')).toHaveLength(2);
    }
  });

  it('prints no log line for a rejected file unless --verbose', () => {
    const quiet = samsyn('summarize', join(bundles, 'other-patient.json'), '--patient', '191212121212');
    expect(quiet.code).toBe(3);
    expect(quiet.out).toMatch(/^Patient: /);
    expect(quiet.out).toContain('rejected PATIENT_MISMATCH');
    expect(quiet.err).toBe('');
    const verbose = samsyn('summarize', join(bundles, 'other-patient.json'), '--patient', '191212121212', '--verbose');
    expect(verbose.code).toBe(3);
    expect(verbose.out).toBe(quiet.out);
    const logLines = verbose.err.trim().split('\n').map((l) => JSON.parse(l) as { code?: string });
    expect(logLines.some((l) => l.code === 'PATIENT_MISMATCH')).toBe(true);
  });

  it('answers --help for each command with its usage and the exit codes', () => {
    for (const command of ['validate-id', 'summarize', 'hl7', 'config', 'cache']) {
      const r = samsyn(command, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`samsyn ${command}`);
      expect(r.out).toMatch(/Exit/);
      expect(r.err).toBe('');
    }
    const unknown = samsyn('frobnicate');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/^samsyn: CLI_USAGE: unknown command\n/);
  });

  it('checks a configuration file: each broken source by path, without its values', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ sources: [
      { id: 'nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir' },
      { id: 'syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir', timeoutMs: '191212121212' },
    ] }));
    const r = samsyn('config', 'check', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  ok        nord (fhir-r4)\n');
    expect(r.out).toContain('  disabled  syd (fhir-r4)\n');
    expect(r.err).toBe(`samsyn: CONFIG_INVALID: ${file}: sources[1].timeoutMs: must be number\n`);
    writeFileSync(file, JSON.stringify({ sources: {} }));
    const whole = samsyn('config', 'check', file);
    expect(whole.code).toBe(2);
    expect(whole.err).toBe(`samsyn: CONFIG_INVALID: ${file}: sources: must be array\n`);
    const demo = samsyn('config', 'check', join(root, 'resources', 'config', 'demo.json'));
    expect(demo.code).toBe(0);
    expect(demo.err).toBe('');
  });

  it('loads only what the command needs', () => {
    const probe = (args: string[]) => {
      const code = `
        process.env.SAMSYN_LOG_LEVEL = 'silent';
        const { runCli } = require(${JSON.stringify(join(root, 'build', 'cli', 'main', 'cli', 'index.js'))});
        runCli(${JSON.stringify(args)}, { out() {}, err() {}, now: () => new Date() }).then(() =>
          process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
      const run = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout) as string[];
    };
    const validate = probe(['validate-id', '19121212-1212']);
    expect(validate.filter((m) => /node_modules|[\\/](sources|summary|cache)[\\/]/.test(m))).toEqual([]);
    const fhir = probe(['summarize', join(bundles, 'tolvan-nord.json'), '--patient', '191212121212']);
    expect(fhir.some((m) => m.includes('summaryService'))).toBe(true);
    expect(fhir.filter((m) => /node-hl7-client|[\\/]cache[\\/]|better-sqlite3/.test(m))).toEqual([]);
  });
});
