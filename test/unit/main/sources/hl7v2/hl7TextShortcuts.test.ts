/**
 * normalizeSegmentBreaks skips the steps that have nothing to do, and
 * declaredCharset stops at the first MSH line instead of splitting the whole
 * head: both must answer exactly what the full versions answered.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declaredCharset, normalizeSegmentBreaks } from '../../../../../src/main/sources/hl7v2/hl7Text';

const full = (text: string) => text.replace(/\r\n|\n\r|\n/g, '\r').replace(/\r{2,}/g, '\r').replace(/^\r+|\r+$/g, '');

function declaredByFullSplit(bytes: Buffer): string | undefined {
  const start = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? bytes.subarray(3) : bytes;
  const head = start.subarray(0, 65_536).toString('latin1').trimStart();
  const looksLikeHl7 = (s: string) => /^(MSH|FHS|BHS)[^A-Za-z0-9\s]/.test(s.replace(/^\uFEFF/, '').trimStart());
  const lines = head.split(/[\r\n]+/);
  const firstLine = lines[0] ?? '';
  if (!looksLikeHl7(firstLine)) return undefined;
  const line = lines.find((l) => l.startsWith('MSH') && looksLikeHl7(l)) ?? firstLine;
  const [field, component = '^', repetition = '~'] = [line.charAt(3), line.charAt(4), line.charAt(5)];
  const first = line.split(field)[17]?.split(repetition)[0]?.split(component)[0]?.trim();
  return first ? first : undefined;
}

const piece = fc.constantFrom('\r', '\n', '\r\n', '\n\r', '\r\r', 'MSH|^~\\&|A', 'BHS|^~\\&', 'FHS|', '|8859/1', '|||||||||||||||UNICODE UTF-8', ' ', 'PID|1', 'MSH#^~\\&#', '8859/15^x');

describe('hl7Text shortcuts', () => {
  it('normalizeSegmentBreaks equals the three replacements in a row', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }).map((p) => p.join('')), (text) => {
      expect(normalizeSegmentBreaks(text)).toBe(full(text));
    }), {
      numRuns: 3000,
    });
  });

  it('declaredCharset equals reading the split head', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }).map((p) => Buffer.from(p.join(''), 'latin1')), (bytes) => {
        expect(declaredCharset(bytes)).toBe(declaredByFullSplit(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
