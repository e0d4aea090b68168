/**
 * What every `samsyn` command reads and writes: the terminal (passed in, so
 * tests capture it) and the files named on the command line. Error lines are
 * errorWords.ts's.
 */
import { readFile, stat } from 'node:fs/promises';
import { CodedError } from '../../shared/errors';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
}

/** Largest file a command reads (the batch folder's default): a larger one is FILE_TOO_LARGE before any byte is read. */
export const CLI_MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * The file's bytes; a missing or unreadable file is a coded error naming its
 * position, not its path; one over maxBytes (by stat) is FILE_TOO_LARGE, unread.
 */
export async function readInputFile(path: string, index: number, maxBytes: number = CLI_MAX_FILE_BYTES): Promise<Buffer> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes) throw new CodedError('FILE_TOO_LARGE', { file: index, limit: 'bytes', expected: maxBytes, found: size });
    return await readFile(path);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', {
      file: index,
    });
  }
}

/**
 * Where a file that is not a readable HL7 v2 file shows HL7 segments anyway
 * (a line starting `XYZ|`): its line number and segment name, so the error
 * can say there is no MSH before it. Undefined when no line looks like one.
 */
export function firstSegmentLine(bytes: Buffer): { line: number; segment: string } | undefined {
  const lines = bytes.toString('latin1').split(/\r\n|\r|\n/);
  const index = lines.findIndex((l) => /^[A-Z][A-Z0-9]{2}\|/.test(l));
  return index < 0 ? undefined : { line: index + 1, segment: lines[index]!.slice(0, 3) };
}

/**
 * Where a text stops being JSON: the character offset of the first character
 * that cannot continue it (the text's length when it ends too early), or
 * undefined for valid JSON. Node 20's JSON.parse quotes the text around the
 * error instead of giving a position, and a file's text must not reach an
 * error line, so the position is found by this small scanner.
 */
export function jsonErrorPosition(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= text.length || c < 0x20) fail();
      if (c === 0x22) return void i++;
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
}
