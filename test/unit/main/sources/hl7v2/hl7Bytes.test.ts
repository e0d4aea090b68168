import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../../../src/shared/errors';
import { readHl7File } from '../../../../../src/main/sources/hl7v2/hl7File';
import { batchMessageRanges } from '../../../../../src/main/sources/hl7v2/hl7MessageBytes';
import { decodeHl7Bytes, declaredCharset, isHl7Bytes } from '../../../../../src/main/sources/hl7v2/hl7Text';
import { quarantineReason } from '../../../../../src/main/sources/hl7v2/quarantineReason';

const CTX = { sourceId: 'lab', sourceName: 'Lab', fetchedAt: '2026-11-01T10:00:00.000Z' };
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MESSAGE = [
  'MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|B1|P|2.5|||||SWE|UNICODE UTF-8',
  'PID|1||191212121212^^^1.2.752.129.2.1.3.1||Tolvansson^Tolvan',
  'OBX|1|TX|11502-2^Bedömning^LN||Förhöjt värde, åter om två veckor||||||F',
].join('\r');

describe('UTF-8 byte-order mark', () => {
  it('is accepted before MSH, BHS and FHS', () => {
    for (const head of ['MSH|^~\\&|A', 'BHS|^~\\&|A', 'FHS|^~\\&|A']) {
      expect(isHl7Bytes(Buffer.concat([BOM, Buffer.from(head)]))).toBe(true);
    }
    expect(isHl7Bytes(Buffer.concat([BOM, Buffer.from('Hello, MSH|')]))).toBe(false);
  });

  it('a message after a BOM reads and maps with its Swedish text intact', () => {
    const bytes = Buffer.concat([BOM, Buffer.from(MESSAGE, 'utf8')]);
    expect(declaredCharset(bytes)).toBe('UNICODE UTF-8');
    const content = readHl7File(bytes, CTX);
    expect(content.messages[0]?.error).toBeUndefined();
    expect(content.messages[0]?.mapped?.items[0]?.value).toBe('Förhöjt värde, åter om två veckor');
    expect(content.messages[0]?.mapped?.subjects[0]?.identifiers[0]?.value).toBe('191212121212');
  });

  it('an undeclared message after a BOM is read as UTF-8', () => {
    const undeclared = MESSAGE.replace('|||||SWE|UNICODE UTF-8', '');
    expect(decodeHl7Bytes(Buffer.concat([BOM, Buffer.from(undeclared, 'utf8')]))).toBe(undeclared);
  });

  it('a BOM on a message that declares 8859/1 is a contradiction and refused, not guessed at', () => {
    const latin = MESSAGE.replace('UNICODE UTF-8', '8859/1');
    expect(() => decodeHl7Bytes(Buffer.concat([BOM, Buffer.from(latin, 'latin1')]))).toThrow('HL7_CHARSET_UNSUPPORTED');
  });
});

describe('message byte ranges', () => {
  it('splits a batch on the raw bytes the way the library splits the text', () => {
    const batch = Buffer.from(
      ['BHS|^~\\&|A', 'MSH|^~\\&|A|||||ORU^R01|1|P|2.5', 'PID|1', 'MSH|^~\\&|A|||||ORU^R01|2|P|2.5', 'OBX|1', 'BTS|2', ''].join('\r\n'),
      'latin1',
    );
    const ranges = batchMessageRanges(batch);
    expect(ranges.map((r) => batch.toString('latin1', r.start, r.end))).toEqual([
      'MSH|^~\\&|A|||||ORU^R01|1|P|2.5\r\nPID|1\r\n',
      'MSH|^~\\&|A|||||ORU^R01|2|P|2.5\r\nOBX|1\r\n',
    ]);
  });

  it('gives a bad message of a batch its own original bytes, and only a bad one', () => {
    const lines = [
      'BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916|||||||||SWE|8859/1',
      'MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M1|P|2.5|||||SWE|8859/1',
      'PID|1||191212121212^^^1.2.752.129.2.1.3.1||Tolvansson^Tolvan',
      'MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M2|P|2.5|||||SWE|8859/1',
      'PID|1||191212121212^^^1.2.752.129.2.1.3.1||Ström^Åsa',
      'inte ett segment: blåbär och smör',
      'BTS|2',
    ];
    const bytes = Buffer.from(lines.join('\n') + '\n', 'latin1');
    const content = readHl7File(bytes, CTX);
    expect(content.messages[0]?.bytes).toBeUndefined();
    expect(content.messages[1]?.error?.code).toBe('HL7_MALFORMED');
    expect(content.messages[1]?.bytes?.equals(Buffer.from(lines.slice(3, 6).join('\n') + '\n', 'latin1'))).toBe(true);
  });
});

describe('quarantine reasons', () => {
  it('keep the code and positions, and drop any parameter that could carry patient data', () => {
    const err = new CodedError('HL7_MALFORMED', {
      message: 2,
      segment: 3,
      name: 'OBX',
      reason: 'empty',
      patient: '191212121212',
      text: 'Tolvansson',
      field: -1,
    } as never);
    expect(quarantineReason(err)).toEqual({ code: 'HL7_MALFORMED', params: { message: 2, segment: 3, name: 'OBX', reason: 'empty' } });
    expect(quarantineReason(new CodedError('HL7_MALFORMED', { name: 'Tolvansson' })).params).toEqual({});
  });
});

describe('declared character sets', () => {
  it('decodes windows-1252 with its own 0x80–0x9F (€ Š œ …), which Node 20 reads as ISO-8859-1', () => {
    const msh = 'MSH|^~\\&|A|B|C|D|2026||ORU^R01|X|P|2.5|||||SWE|WINDOWS-1252\rNTE|1||';
    const bytes = Buffer.concat([Buffer.from(msh, 'latin1'), Buffer.from([0x80, 0x20, 0x8a, 0x9c, 0x85, 0x20, 0xe5, 0xe4, 0xf6])]);
    expect(decodeHl7Bytes(bytes)).toBe(`${msh}€ Šœ… åäö`);
  });

  it('takes a batch’s character set from its first MSH-18 (BHS and FHS have no such field)', () => {
    const batch = Buffer.from(
      ['FHS|^~\\&|LAB', 'BHS|^~\\&|LAB', 'MSH|^~\\&|A|B|C|D|2026||ORU^R01|X|P|2.5|||||SWE|8859/1', 'NTE|1||smörgåsbord', 'BTS|1', 'FTS|1'].join('\r'),
      'latin1',
    );
    expect(declaredCharset(batch)).toBe('8859/1');
    expect(decodeHl7Bytes(batch)).toContain('smörgåsbord');
  });
});
