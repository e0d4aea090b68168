/**
 * How hl7Parse reads values, written out by hand: escapes, repetitions,
 * components and subcomponents, custom delimiters from MSH-2, padded and blank
 * segments, batch and file envelopes. And that reading HL7 does not load
 * node-hl7-client (the MLLP client only).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { CodedError } from '../../../../../src/shared/errors';

const MSH = 'MSH|^~\\&|A|B|C|D|2026||ORU^R01|C1|P|2.5';

function segment(text: string, at = 1) {
  const entry = parseHl7Document(text).entries[0];
  if (!entry?.view) throw entry?.error ?? new Error('no message');
  const seg = entry.view.segments[at];
  if (!seg) throw new Error('no segment');
  return seg;
}

describe('values', () => {
  it('decodes the delimiter escapes, hex, and a line break; drops highlighting; keeps unknown sequences', () => {
    const obx = segment(`${MSH}\rOBX|1|TX|x||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|\\X41C5\\|\\H\\bold\\N\\|rad 1\\.br\\rad 2|\\Q\\|\\Cxx\\\\Mxx\\\\Zxx\\z`);
    expect(obx.get(5)).toBe('a|b^c&d~e\\f');
    expect(obx.get(6)).toBe('AÅ');
    expect(obx.get(7)).toBe('bold');
    expect(obx.get(8)).toBe('rad 1\nrad 2');
    expect(obx.get(9)).toBe('\\Q\\');
    expect(obx.get(10)).toBe('z');
  });

  it('reads repetitions, components and subcomponents; empty parts have no parts', () => {
    const pid = segment(`${MSH}\rPID|1||191212121212^^^1.2.752.129.2.1.3.1~~KV-1^^^KOMMUN&1.2.752.999.1&ISO||^Tolvan|`);
    expect(pid.reps(3)).toEqual([[['191212121212'], [], [], ['1.2.752.129.2.1.3.1']], [], [['KV-1'], [], [], ['KOMMUN', '1.2.752.999.1', 'ISO']]]);
    expect(pid.get(3, 4, 2, 2)).toBe('1.2.752.999.1');
    expect(pid.all(3)).toEqual(['191212121212', 'KV-1']);
    expect(pid.reps(4)).toEqual([]);
    expect(pid.reps(5)).toEqual([[[], ['Tolvan']]]);
    expect(pid.reps(6)).toEqual([]);
    expect(pid.reps(40)).toEqual([]);
    expect(pid.text(3)).toBe('191212121212   1.2.752.129.2.1.3.1\nKV-1   KOMMUN 1.2.752.999.1 ISO');
  });

  it('numbers MSH fields as the standard does (MSH-9 is the type, MSH-1 the segment name as read)', () => {
    const view = parseHl7Document(MSH).entries[0]?.view;
    expect(view?.type).toBe('ORU^R01');
    expect(view?.controlId).toBe('C1');
    expect(view?.header.get(3)).toBe('A');
    expect(view?.header.reps(1)).toEqual([[['MSH']]]);
  });

  it('splits and unescapes with the delimiters MSH-2 declares', () => {
    const text = 'MSH#$*!%#A#B#C#D#2026##ORU$R01#C7#P#2.5\rPID#1##191212121212$$$1.2.752.129.2.1.3.1*X%Y##Tolvansson$Tolvan!F!!S!|^~\\&';
    const view = parseHl7Document(text).entries[0]?.view;
    expect(view?.type).toBe('ORU^R01');
    const pid = view?.segments[1];
    expect(pid?.reps(3)).toEqual([[['191212121212'], [], [], ['1.2.752.129.2.1.3.1']], [['X', 'Y']]]);
    expect(pid?.get(5, 2)).toBe('Tolvan#$|^~\\&');
  });

  it('reads delimiters from the five characters after MSH, so a short MSH-2 makes the message malformed (field 2)', () => {
    const entry = parseHl7Document('MSH|^~|A|B|C|D|2026||ORU^R01|C1|P|2.5').entries[0];
    expect(entry?.error?.params).toEqual({ message: 1, segment: 1, name: 'MSH', field: 2 });
  });
});

describe('segments', () => {
  it('trims a padded segment and refuses a blank one', () => {
    const obx = segment(`${MSH}\r  OBX|1|TX|x||värde  `);
    expect(obx.name).toBe('OBX');
    expect(obx.raw()).toBe('OBX|1|TX|x||värde');
    expect(obx.get(5)).toBe('värde');
    const blank = parseHl7Document(`${MSH}\rPID|1\r   \rOBX|1`).entries[0];
    expect(blank?.error?.code).toBe('HL7_MALFORMED');
    expect(blank?.error?.params).toEqual({ message: 1 });
  });
});

describe('batches and files', () => {
  const one = (id: string) => `MSH|^~\\&|A|B|C|D|2026||ORU^R01|${id}|P|2.5\nPID|1||191212121212`;

  it('splits a BHS batch and an FHS file at each MSH, envelope segments left out', () => {
    const batch = parseHl7Document(`BHS|^~\\&|LAB\n${one('M1')}\n${one('M2')}\nBTS|2\n`);
    expect(batch.kind).toBe('batch');
    expect(batch.entries.map((e) => [e.index, e.view?.controlId, e.text])).toEqual([
      [1, 'M1', 'MSH|^~\\&|A|B|C|D|2026||ORU^R01|M1|P|2.5\rPID|1||191212121212'],
      [2, 'M2', 'MSH|^~\\&|A|B|C|D|2026||ORU^R01|M2|P|2.5\rPID|1||191212121212'],
    ]);
    const file = parseHl7Document(`FHS|^~\\&\rBHS|^~\\&\r${one('M1')}\rBTS|1\rFTS|1`);
    expect(file.kind).toBe('file');
    expect(file.entries.map((e) => e.view?.controlId)).toEqual(['M1']);
  });

  it('reads headers one after another as a batch, and one header alone as a message', () => {
    expect(parseHl7Document(`${one('M1')}\r${one('M2')}\r${one('M3')}`).entries.map((e) => e.view?.controlId)).toEqual(['M1', 'M2', 'M3']);
    expect(parseHl7Document(one('M1')).kind).toBe('message');
  });

  it('keeps the HL7_MALFORMED params for broken envelopes', () => {
    const params = (text: string) => {
      try {
        parseHl7Document(text);
      } catch (err) {
        return (err as { params?: unknown }).params;
      }
      return 'parsed';
    };
    expect(params(`BHS|^~\\&\r${one('M1')}\rBTS|3`)).toEqual({ message: 0, name: 'BTS', expected: 3, found: 1 });
    expect(params(`BHS|^~\\&\rZZZ|1\r${one('M1')}`)).toEqual({ message: 0, segment: 2 });
    expect(params('BHS|^~\\&')).toEqual({ message: 0, reason: 'empty' });
    expect(params('BHS|^~\\&\rBTS|0')).toEqual({ message: 0, segment: 2 });
    expect(params('PID|1')).toEqual({ message: 0, segment: 1 });
    expect(params(`${one('M1')}\rMSHX|nope`)).toEqual({ message: 0, segment: 1 });
  });
});

describe('loading', () => {
  it('reads messages and batches without loading node-hl7-client', () => {
    const module = join(__dirname, '../../../../../src/main/sources/hl7v2/hl7Parse.ts');
    const code = `
      const { parseHl7Document } = require(${JSON.stringify(module)});
      const doc = parseHl7Document('BHS|^~\\\\&\\rMSH|^~\\\\&|A|B|C|D|2026||ORU^R01|M1|P|2.5\\rPID|1||x\\rMSH|^~\\\\&|A|B|C|D|2026||ORU^R01|M2|P|2.5\\rBTS|2');
      // Read first: @medplum/core is required when a message is first read (hl7Parse.ts).
      const ids = doc.entries.map((e) => e.view.controlId);
      const loaded = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({
        ids,
        nodeHl7Client: loaded.some((k) => k.includes('node-hl7-client')),
        medplum: loaded.some((k) => k.includes('@medplum/core')),
      }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ ids: ['M1', 'M2'], nodeHl7Client: false, medplum: true });
  });
});

describe('batch envelopes, batch by batch', () => {
  const msg = (id: string) => [`MSH|^~\\&|A|B|C|D|20260101||ADT^A08|${id}|P|2.5`, 'PID|1||123^^^X'].join('\r');
  const file = (...lines: string[]) => lines.join('\r');

  it('checks each BTS count against its own batch and FTS against the batches of the file', () => {
    const doc = parseHl7Document(file('FHS|^~\\&', 'BHS|^~\\&', msg('1'), msg('2'), 'BTS|2', 'BHS|^~\\&', msg('3'), 'BTS|1', 'FTS|2'));
    expect(doc.entries.map((e) => e.view?.controlId)).toEqual(['1', '2', '3']);
  });

  it.each([
    ['a BTS count that does not match its own batch', file('FHS|^~\\&', 'BHS|^~\\&', msg('1'), 'BTS|1', 'BHS|^~\\&', msg('2'), 'BTS|2', 'FTS|2'), { name: 'BTS', batch: 2, expected: 2, found: 1 }],
    ['an FTS count that does not match the batches', file('FHS|^~\\&', 'BHS|^~\\&', msg('1'), 'BTS|1', 'FTS|3'), { name: 'FTS', expected: 3, found: 1 }],
    ['a file cut before its FTS', file('FHS|^~\\&', 'BHS|^~\\&', msg('1'), 'BTS|1'), { name: 'FTS', reason: 'missing' }],
    ['a batch cut before its BTS', file('BHS|^~\\&', msg('1'), msg('2')), { name: 'BTS', reason: 'missing' }],
    ['a batch opened inside another', file('BHS|^~\\&', msg('1'), 'BHS|^~\\&', msg('2'), 'BTS|1', 'BTS|1'), { name: 'BHS', reason: 'unclosed-batch' }],
    ['a segment outside any message', file('BHS|^~\\&', 'PID|1||123^^^X', msg('1'), 'BTS|1'), { segment: 2 }],
  ])('refuses %s with a coded error', (_what, text, params) => {
    let error: unknown;
    try {
      parseHl7Document(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('HL7_MALFORMED');
    expect((error as CodedError).params).toMatchObject(params);
  });
});
