import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../../src/main/cli/index';
import { cli } from '../runCli';

const FIXTURES = join(__dirname, '../../../fixtures/hl7');

describe('samsyn with HL7 v2 files', () => {
  it('summarizes an HL7 batch and a latin1 message beside each other, for one patient', async () => {
    const r = await cli('summarize', join(FIXTURES, 'batch-two-patients.hl7'), join(FIXTURES, 'oru-latin1-tolvan.hl7'), '--patient', '19121212-1212', '--json');
    expect(r.code).toBe(EXIT.ok);
    const summary = JSON.parse(r.out);
    expect(summary.sections.results.map((i: { text: string }) => i.text).sort()).toEqual([
      'Bedömning',
      'CRP',
    ]);
    expect(JSON.stringify(summary)).not.toContain('201701022384');
  });

  it('matches --patient AUTHORITY|ID against PID-3', async () => {
    const r = await cli('summarize', join(FIXTURES, 'oru-latin1-tolvan.hl7'), '--patient', '1.2.752.129.2.1.3.1|191212121212');
    expect(r.code).toBe(EXIT.ok);
    const other = await cli('summarize', join(FIXTURES, 'oru-latin1-tolvan.hl7'), '--patient', 'SOME-AUTH|191212121212');
    expect(other.code).toBe(EXIT.rejected);
    expect(other.out).toContain('PATIENT_MISMATCH');
  });

  it('gives a malformed file one coded line naming the message and segment, exit 2, no stack trace', async () => {
    const r = await cli('summarize', join(FIXTURES, 'batch-malformed-middle.hl7'), '--patient', '191212121212');
    expect(r.code).toBe(EXIT.badFile);
    expect(r.err).toBe('samsyn: HL7_MALFORMED: file 1, message 2, segment 3 is malformed\n');
  });

  it('inspects a file segment by segment, field by field', async () => {
    const r = await cli('hl7', 'inspect', join(FIXTURES, 'oru-latin1-tolvan.hl7'));
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('message 1: ORU^R01 control id LAB-OST-000103');
    expect(r.out).toContain('     MSH-18: 8859/1');
    expect(r.out).toContain('     PID-3: 191212121212^^^1.2.752.129.2.1.3.1^NNSWE');
    expect(r.out).toContain('Ökat kreatinin');
    const bad = await cli('hl7', 'inspect', join(FIXTURES, 'not-hl7.hl7'));
    expect(bad.code).toBe(EXIT.badFile);
    expect(bad.err).toBe('samsyn: HL7_NO_HEADER: file 1 has no MSH segment before line 1: an HL7 v2 file starts with MSH, BHS or FHS\n');
    expect(bad.err).not.toContain('not-hl7');
  });
});
