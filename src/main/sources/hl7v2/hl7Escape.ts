/**
 * Escaping for values Samsyn writes into messages. node-hl7-client's builder
 * writes values as given (its `escape()` returns the text unchanged), so a value
 * holding `|`, `^`, `&`, `~` or `\` would change the message's structure.
 * Standard delimiters only: Samsyn always builds with `|^~\&`.
 */
const ESCAPES: Record<string, string> = {
  '\\': '\\E\\',
  '|': '\\F\\',
  '^': '\\S\\',
  '&': '\\T\\',
  '~': '\\R\\',
  '\r': '\\X0D\\',
  '\n': '\\X0A\\',
};

export function escapeHl7(value: string): string {
  return value.replace(/[\\|^&~\r\n]/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A message's delimiters, named as @medplum/core's Hl7Context names them. */
export interface Hl7Delimiters {
  fieldSeparator: string;
  componentSeparator: string;
  repetitionSeparator: string;
  escapeCharacter: string;
  subcomponentSeparator: string;
}

/** A line break in text (HL7 formatting escape); kept as one. */
const LINE_BREAK = /\\\.br\\/g;

/** \Xhh..\: each pair of hex digits is one character (code point 0–255). */
function decodeHex(hex: string): string {
  let out = '';
  // A pair that is not hex throws (RangeError), as node-hl7-client's decoder did.
  for (let i = 0; i < hex.length; i += 2) out += String.fromCodePoint(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

const readers = new Map<string, (value: string) => string>();

/**
 * The reading side of the table above, for a message's own delimiters: \F\ \S\
 * \T\ \R\ \E\ become the delimiter they stand for, \Xhh..\ the characters, the
 * character-set and highlighting escapes (\C..\ \M..\ \H\ \N\ \Z..\) are
 * dropped, `\.br\` becomes a new line, and any other sequence is kept as
 * written. The same reading node-hl7-client 4.0.0 gave (its unescape plus our
 * line-break rule), pinned by test/unit/main/sources/hl7v2/hl7Reading.test.ts.
 */
export function hl7Unescaper(d: Hl7Delimiters): (value: string) => string {
  const key = d.fieldSeparator + d.componentSeparator + d.repetitionSeparator + d.escapeCharacter + d.subcomponentSeparator;
  const cached = readers.get(key);
  if (cached) return cached;
  const escape = d.escapeCharacter;
  const e = escape.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
  const sequence = new RegExp(`${e}[^${e}]*${e}`, 'g');
  const delimiter: Record<string, string> = {
    E: escape,
    F: d.fieldSeparator,
    R: d.repetitionSeparator,
    S: d.componentSeparator,
    T: d.subcomponentSeparator,
  };
  const replace = (match: string): string => {
    const kind = match.slice(1, 2);
    if (kind === 'X') return decodeHex(match.slice(2, -1));
    if ('CHMNZ'.includes(kind) && kind !== '') return '';
    return delimiter[kind] ?? match;
  };
  const read = (value: string): string => {
    const text = value.includes(escape) ? value.replace(sequence, replace) : value;
    return text.includes('\\') ? text.replace(LINE_BREAK, '\n') : text;
  };
  if (readers.size >= 32) readers.clear(); // unusual delimiters come and go; the usual stay cached
  readers.set(key, read);
  return read;
}
