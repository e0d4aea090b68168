/**
 * Bytes → HL7 text. node-hl7-client parses strings only and decodes everything
 * it reads as UTF-8 (MLLP replies and `FileBatch({ fullFilePath })` alike), so
 * an 8859/1 message from a Nordic legacy system loses å ä ö æ ø. This module
 * reads the first MSH-18 (headers are plain ASCII) from the raw bytes and
 * decodes with the named character set before the library ever sees the text.
 * A UTF-8 byte-order mark before the header is accepted (editors on Windows
 * write one); a BOM on a file that declares another character set is a
 * contradiction and is refused rather than guessed at.
 */
import { TextDecoder } from 'node:util';
import { CodedError } from '../../../shared/errors';
import { bufferSource, lineChunks } from './byteSource';

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

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function hasUtf8Bom(bytes: Buffer): boolean {
  return bytes.subarray(0, 3).equals(UTF8_BOM);
}

/** The bytes after a UTF-8 byte-order mark, if there is one (no copy). */
export function withoutBom(bytes: Buffer): Buffer {
  return hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
}

/** True when the bytes start like HL7 v2; the header is ASCII whatever the body's encoding. */
export function isHl7Bytes(bytes: Buffer): boolean {
  return looksLikeHl7(withoutBom(bytes).subarray(0, 16).toString('latin1'));
}

/**
 * The character set the document declares, read straight from the bytes:
 * headers are ASCII whatever the body's encoding. MSH-18 is the standard's
 * place for it (FHS and BHS have no such field), so the first MSH decides; a
 * file whose first MSH is not near its start falls back to its first header's
 * field 18. MSH-1 is the field separator itself, so field 18 is the 17th part
 * after the segment name.
 */
export function declaredCharset(bytes: Buffer): string | undefined {
  const start = withoutBom(bytes);
  // Most documents start with their MSH line: read only that line (no copy of the head, no line scan).
  const first = startsWithMshLine(start);
  if (first !== undefined) return charsetField(first);
  const head = start.subarray(0, 65_536).toString('latin1').trimStart();
  // Lines are looked at one by one up to the first MSH: the rest of the head is never split.
  const lines = head.matchAll(/[^\r\n]+/g);
  const firstLine = lines.next().value?.[0] ?? '';
  if (!looksLikeHl7(firstLine)) return undefined;
  let line = firstLine;
  for (let l: string | undefined = firstLine; l !== undefined; l = lines.next().value?.[0]) {
    if (l.startsWith('MSH') && looksLikeHl7(l)) {
      line = l;
      break;
    }
  }
  return charsetField(line);
}

/** The document's first line when it is an MSH line that looks like HL7 (`MSH` and a separator), else undefined. */
function startsWithMshLine(bytes: Buffer): string | undefined {
  // 'M' 'S' 'H' and a fourth byte: a line starting with white space or a BOM takes the full path.
  if (bytes.length < 4 || bytes[0] !== 0x4d || bytes[1] !== 0x53 || bytes[2] !== 0x48) return undefined;
  const cr = bytes.indexOf(0x0d);
  const lf = bytes.indexOf(0x0a);
  const end = Math.min(cr === -1 ? bytes.length : cr, lf === -1 ? bytes.length : lf, 65_536);
  const line = bytes.toString('latin1', 0, end);
  return looksLikeHl7(line) ? line : undefined;
}

/** MSH-18's first component of its first repetition, from a header line. */
function charsetField(line: string): string | undefined {
  const [field, component = '^', repetition = '~'] = [line.charAt(3), line.charAt(4), line.charAt(5)];
  const value = line.split(field)[17];
  const first = value?.split(repetition)[0]?.split(component)[0]?.trim();
  return first ? first : undefined;
}

/**
 * windows-1252's 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ);
 * the five bytes it leaves undefined stay the C1 code points, as in WHATWG.
 * Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (these bytes come
 * out as C1 controls, so € is lost), hence this table.
 */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}

/** What each document declares, read once per document (see documentCharset). */
const declaredByDocument = new WeakMap<Buffer, string | undefined>();

/**
 * declaredCharset of a document whose pieces or messages are decoded one by
 * one (`declaredBy`): read once, not once per piece and message — for a file
 * that starts with FHS or BHS that is a 64 KiB decode and line scan each time
 * (ADR 0041: ~27,000 located messages of a batch). A document's bytes (a
 * file's, or its first bytes kept) are never changed once read.
 */
function documentCharset(document: Buffer): string | undefined {
  if (declaredByDocument.has(document)) return declaredByDocument.get(document);
  const declared = declaredCharset(document);
  declaredByDocument.set(document, declared);
  return declared;
}

const decoders = new Map<string, TextDecoder>();

/** One decoder per label (a decoder used without `stream` keeps no state between calls). */
function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label, { fatal: label === 'utf-8' });
    decoders.set(label, decoder);
  }
  return decoder;
}

/**
 * Decodes HL7 bytes by their declared character set; undeclared means UTF-8
 * (ASCII is a subset). `declaredBy` is the document whose first header names
 * the character set, when `bytes` is only part of it.
 */
export function decodeHl7Bytes(bytes: Buffer, declaredBy: Buffer = bytes): string {
  const declared = declaredBy === bytes ? declaredCharset(bytes) : documentCharset(declaredBy);
  const label = declared === undefined ? 'utf-8' : CHARSETS[declared.toUpperCase()];
  if (!label) throw new CodedError('HL7_CHARSET_UNSUPPORTED');
  if (hasUtf8Bom(bytes) && label !== 'utf-8' && label !== 'ascii') throw new CodedError('HL7_CHARSET_UNSUPPORTED');
  let text: string;
  if (label === 'latin1' || label === 'ascii') {
    // Node's latin1 is true ISO-8859-1 (the WHATWG label would be windows-1252).
    text = withoutBom(bytes).toString(label);
  } else if (label === 'windows-1252') {
    text = decodeWindows1252(bytes);
  } else {
    try {
      text = decoderFor(label).decode(bytes);
    } catch {
      // Undeclared bytes that are not UTF-8 are not guessed at.
      throw new CodedError('HL7_CHARSET_UNSUPPORTED');
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/** One segment terminator (CR) as the library expects; files often carry LF or CRLF. */
export function normalizeSegmentBreaks(text: string): string {
  // Each step only when it has something to do: a message split from a normalized batch has nothing.
  const lines = text.includes('\n') ? text.replace(/\r\n|\n\r|\n/g, '\r') : text;
  const single = lines.includes('\r\r') ? lines.replace(/\r{2,}/g, '\r') : lines;
  return single.startsWith('\r') || single.endsWith('\r') ? single.replace(/^\r+|\r+$/g, '') : single;
}

/**
 * decodeHl7Bytes and normalizeSegmentBreaks, a piece of about `pieceBytes` at
 * a time, for readers that must not hold the event loop for a whole file
 * (hl7File.ts readHl7FileSliced). The pieces joined with one CR (empty ones
 * left out) equal `normalizeSegmentBreaks(decodeHl7Bytes(bytes))` after the
 * leading white space parseHl7Document trims: a piece ends after a run of
 * segment breaks (CR and LF are single bytes in every supported character
 * set, never part of a UTF-8 sequence), so no break and no character is cut,
 * and each piece's own trimmed breaks are the one CR that joins it to the next.
 * The character set is read once, from the document's first header, and its
 * checks are decodeHl7Bytes's own (it decodes the first piece).
 */
export function* decodeHl7Pieces(bytes: Buffer, pieceBytes = 1 << 20): Generator<string, void, void> {
  yield* decodeHl7Chunks(lineChunks(bufferSource(bytes), pieceBytes), bytes);
}

/**
 * decodeHl7Pieces over the document's bytes given as pieces cut at line
 * starts (byteSource.ts lineChunks: a file read a piece at a time, ADR
 * 0041); `head` is the document's first bytes (byteSource.ts headOf, or all
 * of them), where its character set is declared. Each piece is decoded as it
 * comes and let go of.
 */
export function* decodeHl7Chunks(chunks: Iterable<Buffer>, head: Buffer): Generator<string, void, void> {
  let first = true;
  for (const piece of chunks) {
    let text: string;
    if (first) text = decodeHl7Bytes(piece, head);
    else text = decodeLaterPiece(piece, head);
    // The document's start as parseHl7Document reads it: byte-order mark and leading white space dropped.
    if (first) text = text.replace(/^\uFEFF/, '').trimStart();
    const normalized = normalizeSegmentBreaks(text);
    // White space only so far: the document has not started yet.
    if (!(first && normalized === '')) first = false;
    yield normalized;
  }
}

/** A piece after the first: decoded as decodeHl7Bytes decodes the whole, a U+FEFF at its start kept (it is no byte-order mark there). */
function decodeLaterPiece(piece: Buffer, document: Buffer): string {
  const declared = documentCharset(document);
  const label = declared === undefined ? 'utf-8' : (CHARSETS[declared.toUpperCase()] as string);
  if (label === 'latin1' || label === 'ascii') return piece.toString(label);
  if (label === 'windows-1252') return decodeWindows1252(piece);
  try {
    return laterDecoderFor(label).decode(piece);
  } catch {
    throw new CodedError('HL7_CHARSET_UNSUPPORTED');
  }
}

const laterDecoders = new Map<string, TextDecoder>();

function laterDecoderFor(label: string): TextDecoder {
  let decoder = laterDecoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label, { fatal: label === 'utf-8', ignoreBOM: true });
    laterDecoders.set(label, decoder);
  }
  return decoder;
}
