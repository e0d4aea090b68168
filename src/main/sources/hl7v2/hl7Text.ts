/**
 * Bytes → HL7 text. node-hl7-client parses strings only and decodes everything
 * it reads as UTF-8 (MLLP replies and `FileBatch({ fullFilePath })` alike), so
 * an 8859/1 message from a Nordic legacy system loses å ä ö æ ø. This module
 * reads MSH-18 (or FHS-18/BHS-18, which are plain ASCII) from the raw bytes and
 * decodes with the named character set before the library ever sees the text.
 */
import { CodedError } from '../../../shared/errors';

/** HL7 table 0211 names → WHATWG / Node decoder labels. */
const CHARSETS: Record<string, string> = {
  ASCII: 'ascii',
  '8859/1': 'latin1',
  '8859/15': 'iso-8859-15',
  'UNICODE UTF-8': 'utf-8',
  'UTF-8': 'utf-8',
  UNICODE: 'utf-8',
  'WINDOWS-1252': 'windows-1252',
  CP1252: 'windows-1252',
};

/** True when the text starts like an HL7 v2 message, batch or file (MSH, BHS or FHS and a separator). */
function looksLikeHl7(start: string): boolean {
  return /^(MSH|FHS|BHS)[^A-Za-z0-9\s]/.test(start.replace(/^\uFEFF/, '').trimStart());
}

/** True when the bytes start like HL7 v2; the header is ASCII whatever the body's encoding. */
export function isHl7Bytes(bytes: Buffer): boolean {
  return looksLikeHl7(bytes.subarray(0, 16).toString('latin1'));
}

/**
 * The first header's field 18 (character set), read straight from the bytes:
 * headers are ASCII whatever the body's encoding. MSH-1 is the field separator
 * itself, so field 18 is the 17th part after the segment name.
 */
export function declaredCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096).toString('latin1').replace(/^\u00EF\u00BB\u00BF/, '').trimStart();
  const line = head.split(/[\r\n]/)[0] ?? '';
  if (!looksLikeHl7(line)) return undefined;
  const [field, component = '^', repetition = '~'] = [line.charAt(3), line.charAt(4), line.charAt(5)];
  const value = line.split(field)[17];
  const first = value?.split(repetition)[0]?.split(component)[0]?.trim();
  return first ? first : undefined;
}

/** Decodes HL7 bytes by their declared character set; undeclared means UTF-8 (ASCII is a subset). */
export function decodeHl7Bytes(bytes: Buffer): string {
  const declared = declaredCharset(bytes);
  const label = declared === undefined ? 'utf-8' : CHARSETS[declared.toUpperCase()];
  if (!label) throw new CodedError('HL7_CHARSET_UNSUPPORTED');
  let text: string;
  if (label === 'latin1' || label === 'ascii') {
    // Node's latin1 is true ISO-8859-1 (the WHATWG label would be windows-1252).
    text = bytes.toString(label);
  } else {
    try {
      text = new TextDecoder(label, { fatal: label === 'utf-8' }).decode(bytes);
    } catch {
      // Undeclared bytes that are not UTF-8 are not guessed at.
      throw new CodedError('HL7_CHARSET_UNSUPPORTED');
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/** One segment terminator (CR) as the library expects; files often carry LF or CRLF. */
export function normalizeSegmentBreaks(text: string): string {
  return text.replace(/\r\n|\n\r|\n/g, '\r').replace(/\r{2,}/g, '\r').replace(/^\r+|\r+$/g, '');
}
