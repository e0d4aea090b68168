/**
 * `samsyn audit verify` and `samsyn audit export`: exit codes, one readable
 * error line with no patient data when the chain is broken, and the citizen's
 * extract as text and JSON.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditCliIo } from '../../../src/main/cli/auditCommand';
import { runCli } from '../../../src/main/cli/index';
import { TEST_IDS } from '../../fixtures/testIds';
import { KEY, NURSE, rawLog, tempDir, writeSix } from './auditFixtures';

const NOW = new Date('2026-11-26T10:00:00Z');
let dir: string;
const env = () => ({ SAMSYN_CACHE_KEY: KEY.toString('hex'), SAMSYN_DATA_DIR: dir });

async function cli(args: string[], e: NodeJS.ProcessEnv = env()) {
  let out = '';
  let err = '';
  const io: AuditCliIo = { out: (t) => (out += t), err: (t) => (err += t), now: () => NOW, env: e };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** Nothing that names the patient, the user or the reason may be in a verify answer. */
const SECRETS = [TEST_IDS.se.tolvan.value, '19121212', TEST_IDS.se.tage.value, 'Anna', 'Andersson', 'Medvetslös', 'Akutmottagningen'];

beforeEach(() => {
  dir = tempDir();
  writeSix(dir);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('samsyn audit verify', () => {
  it('says intact with the record count, exit 0', async () => {
    const r = await cli(['audit', 'verify']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('records: 6');
    expect(r.out).toContain('chain: intact (head record 6)');
    const json = await cli(['audit', 'verify', '--json', '--dir', dir], { SAMSYN_CACHE_KEY: KEY.toString('hex') });
    expect(JSON.parse(json.out)).toMatchObject({ intact: true, records: 6, head: { seq: 6 } });
  });

  it.each([
    ['a field changed', "UPDATE access_log SET record = replace(record, 'medications', 'allergies') WHERE seq = 3", 3, 'changed'],
    ['a middle record deleted', 'DELETE FROM access_log WHERE seq = 4', 4, 'missing'],
    ['the last record deleted', 'DELETE FROM access_log WHERE seq = 6', 6, 'truncated'],
    [
      'two records swapped',
      'UPDATE access_log SET seq = -2 WHERE seq = 2; UPDATE access_log SET seq = 2 WHERE seq = 5; UPDATE access_log SET seq = 5 WHERE seq = -2',
      2,
      'reordered',
    ],
  ])('%s: exit 1 and one line naming the record and the kind, no patient data', async (_what, sql, seq, kind) => {
    const db = rawLog(dir);
    db.exec(sql);
    db.close();
    const r = await cli(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`^samsyn: AUDIT_CHAIN_BROKEN: the access log's chain is broken at record ${seq}: `));
    expect(r.err).toContain(kind === 'changed' ? 'changed' : kind === 'missing' ? 'missing' : kind === 'truncated' ? 'cut short' : 'reordered');
    for (const secret of SECRETS) expect(r.err).not.toContain(secret);
  });

  it('a damaged anchor: exit 1, named as the anchor', async () => {
    writeFileSync(join(dir, 'audit.db.head'), '{"v":1}');
    const r = await cli(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^samsyn: AUDIT_CHAIN_BROKEN: .* record 6: the log's head anchor is missing, damaged or forged\n$/);
  });

  it('cannot open: no log (exit 2), wrong key (exit 2), no key at all (exit 2); never creates anything', async () => {
    const empty = tempDir();
    try {
      expect(await cli(['audit', 'verify', '--dir', empty])).toMatchObject({
        code: 2,
        err: 'samsyn: AUDIT_UNAVAILABLE: the access log cannot be opened (there is no access log in that folder)\n',
      });
      expect(await cli(['audit', 'verify', '--dir', empty], {})).toMatchObject({ code: 2, err: expect.stringMatching(/^samsyn: CACHE_KEY_MISSING/) });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const wrong = await cli(['audit', 'verify'], { SAMSYN_CACHE_KEY: Buffer.alloc(32, 3).toString('hex'), SAMSYN_DATA_DIR: dir });
    expect(wrong).toMatchObject({ code: 2, err: expect.stringMatching(/^samsyn: AUDIT_UNAVAILABLE: .*not the one the log was written with/) });
  });

  it('usage: no subcommand, an unknown one, --help', async () => {
    expect((await cli(['audit'])).code).toBe(64);
    expect((await cli(['audit', 'rewrite'])).code).toBe(64);
    const help = await cli(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('samsyn audit export --patient ID');
  });
});

describe('samsyn audit export --patient ID', () => {
  it('text: who (name, role, unit, organisation), when, what, purpose, reason, outcome; only that patient', async () => {
    const r = await cli(['audit', 'export', '--patient', '19121212-1212']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Access log extract for urn:oid:1.2.752.129.2.1.3.1|191212121212');
    expect(r.out).toContain('3 accesses');
    expect(r.out).toContain('The log is intact (all 6 records verified).');
    expect(r.out).toContain('2026-11-25 08:00:02 UTC  opened the summary (for care): granted');
    expect(r.out).toContain('viewed a section (medications, for care): granted');
    expect(r.out).toContain('opened the summary in an emergency (emergency access): granted');
    expect(r.out).toContain(`by ${NURSE.displayName}, nurse, Akutmottagningen Västerås, Region Västmanland`);
    expect(r.out).toContain('reason given: Medvetslös vid ankomst');
    expect(r.out).not.toContain(TEST_IDS.se.tage.value);
    expect(r.out).not.toContain('signed in');
  });

  it('json: the same, for systems', async () => {
    const r = await cli(['audit', 'export', '--patient', TEST_IDS.se.tage.value, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      patient: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TEST_IDS.se.tage.value },
      generatedAt: NOW.toISOString(),
      chain: { intact: true, records: 6 },
      accesses: [
        {
          at: '2026-11-25T08:00:04.000Z',
          who: { name: NURSE.displayName, role: 'nurse', unit: NURSE.careUnit, organisation: NURSE.organisation },
          action: 'patient.open',
          purpose: 'care',
          outcome: 'refused',
          error: 'BRIDGE_UNAUTHORIZED',
        },
      ],
    });
  });

  it('an invalid id is a coded error (exit 1); a missing one or a bad format is usage (64)', async () => {
    const bad = await cli(['audit', 'export', '--patient', '19121212-1213']);
    expect(bad).toMatchObject({ code: 1, out: '', err: expect.stringMatching(/^samsyn: ID_BAD_CHECKSUM: /) });
    expect(bad.err).not.toContain('1213');
    expect((await cli(['audit', 'export'])).code).toBe(64);
    expect((await cli(['audit', 'export', '--patient', '191212121212', '--format', 'xml'])).code).toBe(64);
  });

  it('from a broken log: the extract says so, the break is named on stderr, exit 1', async () => {
    const db = rawLog(dir);
    db.exec('DELETE FROM access_log WHERE seq = 3');
    db.close();
    const r = await cli(['audit', 'export', '--patient', '191212121212']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('WARNING: the log has been altered (first broken record 3: missing)');
    expect(r.out).toContain('2 accesses');
    expect(r.err).toMatch(/^samsyn: AUDIT_CHAIN_BROKEN: .* record 3: /);
  });
});
