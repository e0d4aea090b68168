/**
 * What the batch folder leaves on disk: nothing readable about a patient in any
 * file Samsyn itself writes there, and quarantined messages kept as the exact
 * bytes they arrived as, whatever their character set.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { LEDGER_FILE } from '../../../src/main/sources/hl7v2/batchLedger';
import type { PatientQuery } from '../../../src/main/sources/types';

// A synthetic patient, in no other fixture.
const NATIONAL_ID = '198112189876';
const FAMILY = 'Östergård';
const GIVEN = 'Märtha';
const TERMS = ['Hjärtsvikt', 'Penicillin', 'Urtikaria', 'Förmaksflimmer', 'kreatinin'];
const PATIENT: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: NATIONAL_ID } };
const PID = `PID|1||${NATIONAL_ID}^^^1.2.752.129.2.1.3.1^NNSWE||${FAMILY}^${GIVEN}||19811218|F`;
const signal = () => new AbortController().signal;

function msh(id: string, charset = '8859/1'): string {
  return `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|${id}|P|2.5|||||SWE|${charset}`;
}

/** Every file under dir, as paths relative to it. */
function walk(dir: string, under = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), under) : [relative(under, join(dir, e.name))],
  );
}

describe('HL7 v2 batch folder on disk', () => {
  let folder: string;
  const open = () => createBatchFolderSource({ id: 'lab', name: 'Lab', folder, timeoutMs: 5_000, settleMs: 0 });

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samsyn-hl7-disk-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes no name, national id or clinical text into any file of its own (ledger, reasons, set-aside ledger)', async () => {
    const batch = [
      'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916',
      msh('P1'),
      PID,
      'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria',
      'DG1|1|I10SE|I50.9^Hjärtsvikt|||W',
      msh('P2'),
      PID,
      `NTE|1||${FAMILY} ${GIVEN}: Förmaksflimmer`,
      'this line is no segment',
      msh('P3'),
      PID,
      'OBX|1|TX|11502-2^Bedömning^LN||Förhöjt kreatinin||||||F',
      'BTS|3',
    ].join('\r');
    writeFileSync(join(folder, 'lab-batch.hl7'), Buffer.from(batch, 'latin1'));
    // A file that is not HL7 at all, but full of patient data, is quarantined whole.
    writeFileSync(join(folder, 'note.txt'), `${GIVEN} ${FAMILY} ${NATIONAL_ID}: Hjärtsvikt, Penicillin`);
    const first = open();
    expect(await first.importNew()).toMatchObject({ imported: 2, quarantinedMessages: 1, quarantinedFiles: 1 });
    const items = (await first.fetchPatient(PATIENT, signal())).items;
    expect(items.map((i) => i.text)).toEqual(expect.arrayContaining(['Penicillin', 'Hjärtsvikt']));

    // A torn ledger is set aside and rebuilt: the rebuilt one must be as clean.
    writeFileSync(join(folder, LEDGER_FILE), '{ torn');
    expect((await open().fetchPatient(PATIENT, signal())).items).toHaveLength(items.length);

    const all = walk(folder);
    const messageFiles = all.filter((f) => f.startsWith('processed') || (f.startsWith('quarantine') && !f.endsWith('.reason.json')));
    const ours = all.filter((f) => !messageFiles.includes(f));
    expect(ours.sort()).toEqual(
      [
        LEDGER_FILE,
        expect.stringMatching(new RegExp(`^\\${LEDGER_FILE}\\.unreadable-\\d+$`)),
        join('quarantine', 'lab-batch.hl7.message-2.hl7.reason.json'),
        join('quarantine', 'note.txt.reason.json'),
      ].sort(),
    );
    const needles = [NATIONAL_ID, FAMILY, GIVEN, ...TERMS];
    // The search can find them: they are in the message files themselves.
    const kept = messageFiles.map((f) => readFileSync(join(folder, f), 'latin1')).join('\n');
    for (const needle of [NATIONAL_ID, ...TERMS]) expect(kept).toContain(needle);
    for (const file of ours) {
      const bytes = readFileSync(join(folder, file));
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        for (const needle of needles) expect(text, `${needle} in ${file}`).not.toContain(needle);
        // Nor a fragment of one: no run of the national id's digits, no name stem.
        expect(text).not.toMatch(/\d{10,}/);
        expect(text.toLowerCase()).not.toMatch(/stergå|märth|hjärt|penicil|kreatin/);
      }
    }
    // Reason files: a code, positions and a time, nothing else.
    for (const file of ours.filter((f) => f.endsWith('.reason.json'))) {
      const reason = JSON.parse(readFileSync(join(folder, file), 'utf8'));
      expect(Object.keys(reason).sort()).toEqual(['at', 'code', 'params']);
      expect(reason.code).toBe('HL7_MALFORMED');
      for (const [key, value] of Object.entries(reason.params)) {
        expect(['message', 'segment', 'field', 'component', 'expected', 'found', 'name', 'reason']).toContain(key);
        expect(typeof value === 'number' || /^([A-Z][A-Z0-9]{2}|[a-z-]+)$/.test(String(value))).toBe(true);
      }
    }
    // The ledger: per file its names, hash, outcome, time and counts.
    const ledger = JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8'));
    for (const entry of ledger.files) {
      expect(Object.keys(entry).sort()).toEqual(['at', 'messages', 'name', 'outcome', 'quarantinedMessages', 'sha256', 'size', 'stored']);
    }
  });

  it('keeps the new reasons as clean: too large, over the count limit, incomplete, interrupted; links and status name nothing', async () => {
    const message = (id: string) => [msh(id), PID, 'DG1|1|I10SE|I50.9^Hjärtsvikt|||W'].join('\r');
    const bhs = 'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916';
    writeFileSync(join(folder, `${NATIONAL_ID}-big.hl7`), Buffer.from([bhs, ...Array.from({ length: 30 }, (_, i) => message(`B${i}`)), 'BTS|30'].join('\r'), 'latin1'));
    writeFileSync(join(folder, `${FAMILY}-many.hl7`), Buffer.from([bhs, message('M1'), message('M2'), message('M3'), 'BTS|3'].join('\r'), 'latin1'));
    writeFileSync(join(folder, `${GIVEN}-open.hl7`), Buffer.from([bhs, message('O1')].join('\r'), 'latin1'));
    symlinkSync(join(folder, 'nowhere', `${NATIONAL_ID}.hl7`), join(folder, `${NATIONAL_ID}-link.hl7`));
    const limited = (at: number) =>
      createBatchFolderSource({
        id: 'lab',
        name: 'Lab',
        folder,
        timeoutMs: 5_000,
        settleMs: 0,
        maxFileBytes: 2_048,
        maxMessages: 2,
        incompleteAfterMs: 60_000,
        clock: { now: () => new Date(at) },
      });
    const later = Date.now() + 120_000;
    const source = limited(later);
    expect(await source.importNew()).toMatchObject({ quarantinedFiles: 3 });
    // An interrupted import, as a crash leaves it.
    writeFileSync(join(folder, `${FAMILY}-heavy.hl7`), Buffer.from(message('H1'), 'latin1'));
    const ledger = JSON.parse(readFileSync(join(folder, LEDGER_FILE), 'utf8'));
    writeFileSync(join(folder, LEDGER_FILE), JSON.stringify({ ...ledger, attempt: { name: `${FAMILY}-heavy.hl7`, size: 1, at: new Date(later).toISOString() } }));
    const restarted = limited(later);
    await restarted.importNew();
    const status = JSON.stringify(restarted.folderStatus());
    expect(JSON.parse(status)).toMatchObject({
      quarantined: { HL7_FILE_TOO_LARGE: 2, HL7_FILE_INCOMPLETE: 1, HL7_IMPORT_INTERRUPTED: 1 },
      skipped: [{ code: 'HL7_FILE_LINK' }],
    });
    const ours = walk(folder).filter((f) => f === LEDGER_FILE || f.endsWith('.reason.json'));
    expect(ours).toHaveLength(5);
    const texts = [status, ...ours.map((f) => readFileSync(join(folder, f), 'utf8'))];
    for (const text of texts) {
      // The ledger keeps the names files were dropped under and a hash (hex: may hold a run of digits), as before; nothing else may.
      const checked = text.startsWith('{"version"')
        ? JSON.stringify(JSON.parse(text).files.map(({ name: _n, stored: _s, sha256: _h, ...rest }: Record<string, unknown>) => rest))
        : text;
      for (const needle of [NATIONAL_ID, FAMILY, GIVEN, ...TERMS]) expect(checked).not.toContain(needle);
      expect(checked).not.toMatch(/\d{10,}/);
    }
  });

  it('quarantines a message of an 8859/1 batch as its original bytes: å ä ö kept, nothing re-encoded', async () => {
    const lines = [
      'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916',
      msh('L1'),
      PID,
      'OBX|1|TX|11502-2^Bedömning^LN||Åter om två veckor||||||F',
      msh('L2'),
      PID,
      'NTE|1||Blåbär, ärtsoppa och smör är inte ett segment',
      'här står något som inte är ett segment: åäö',
      msh('L3'),
      PID,
      'OBX|1|TX|11502-2^Bedömning^LN||Öka dosen||||||F',
      'BTS|3',
    ];
    // CRLF, as a Windows export writes it: kept as is, too.
    const bytes = Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
    writeFileSync(join(folder, 'latin.hl7'), bytes);
    const source = open();
    expect(await source.importNew()).toMatchObject({ imported: 2, quarantinedMessages: 1 });
    expect((await source.fetchPatient(PATIENT, signal())).items.map((i) => i.value).sort()).toEqual(['Åter om två veckor', 'Öka dosen']);
    const quarantined = readFileSync(join(folder, 'quarantine', 'latin.hl7.message-2.hl7'));
    const expected = Buffer.from(lines.slice(4, 8).join('\r\n') + '\r\n', 'latin1');
    expect(quarantined.equals(expected)).toBe(true);
    expect(quarantined.includes(Buffer.from([0xe5]))).toBe(true); // å in ISO 8859-1
    expect(quarantined.includes(Buffer.from('å', 'utf8'))).toBe(false);
    expect(JSON.parse(readFileSync(join(folder, 'quarantine', 'latin.hl7.message-2.hl7.reason.json'), 'utf8')).params).toEqual({
      message: 2,
      segment: 4,
    });
  });

  it.each([
    ['8859/15', 'iso-8859-15', Buffer.from([0xa4])],
    ['WINDOWS-1252', 'windows-1252', Buffer.from([0x80])],
  ])('quarantines a message of a %s batch byte for byte (€ stays one byte, not UTF-8)', async (charset, _label, euro) => {
    const head = Buffer.from(['BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916', msh('E1', charset), PID, 'OBX|1|TX|x^Avgift^L||Avgift 50 '].join('\r'), 'latin1');
    const bad = Buffer.concat([
      Buffer.from(`\r${msh('E2', charset)}\r${PID}\rNTE|1||Kostnad 80 `, 'latin1'),
      euro,
      Buffer.from(', för dyrt\ringet segment\r', 'latin1'),
    ]);
    const bytes = Buffer.concat([head, euro, Buffer.from('||||||F', 'latin1'), bad, Buffer.from('BTS|2\r', 'latin1')]);
    writeFileSync(join(folder, 'euro.hl7'), bytes);
    const source = open();
    expect(await source.importNew()).toMatchObject({ imported: 1, quarantinedMessages: 1 });
    expect((await source.fetchPatient(PATIENT, signal())).items[0]?.value).toBe('Avgift 50 €');
    const quarantined = readFileSync(join(folder, 'quarantine', 'euro.hl7.message-2.hl7'));
    expect(quarantined.equals(bad.subarray(1))).toBe(true);
    expect(quarantined.includes(Buffer.from('€', 'utf8'))).toBe(false);
  });

  it('imports a UTF-8 file that starts with a byte-order mark', async () => {
    const text = [msh('U1', 'UNICODE UTF-8'), PID, 'OBX|1|TX|11502-2^Bedömning^LN||Förhöjt värde||||||F'].join('\r');
    writeFileSync(join(folder, 'bom.hl7'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const source = open();
    expect(await source.importNew()).toMatchObject({ imported: 1, quarantinedFiles: 0, quarantinedMessages: 0 });
    expect((await source.fetchPatient(PATIENT, signal())).items.map((i) => i.value)).toEqual(['Förhöjt värde']);
    expect(readdirSync(join(folder, 'processed'))).toEqual(['bom.hl7']);
  });
});
