/**
 * HL7 v2 on the command line (`summarize` reads HL7 files through the source
 * registry's file readers): `hl7 inspect FILE` prints each
 * message's segments and fields for an integration engineer checking a feed.
 * A malformed file is one coded line naming the message and segment.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/errors';
import { checkEntrySteps, loadHl7Library, parseHl7PiecesSteps } from '../sources/hl7v2/hl7Parse';
import { countSegmentsSteps, FILE_MAX_SEGMENTS } from '../sources/hl7v2/hl7File';
import { decodeHl7Pieces, isHl7Bytes } from '../sources/hl7v2/hl7Text';
import { TimeSlices } from '../platform/timeSlices';
import { firstSegmentLine, readInputFile, type CliIo } from './cliIo';
import { CliFailure, errorLine, toCliError } from './errorWords';
import { EXIT } from './exitCodes';

export const HL7_USAGE = `  samsyn hl7 inspect FILE [--max-segments N] [--max-file-mb N]
      Prints every message of an HL7 v2 file (message, BHS batch or FHS file): each segment,
      each non-empty field as NAME-n (repetitions as [r], components joined with ^).
      A malformed file: one coded line naming the message and segment, exit 2; usage: exit 64.
`;

/**
 * `hl7 inspect FILE`: segments and fields, readable, handed to `write` a
 * message at a time. Read in steps (ADR 0034): the segments counted first
 * (more than `maxSegments` is HL7_FILE_TOO_LARGE naming the limit, nothing
 * parsed), decoded in pieces, every message split and checked before anything
 * is written (a malformed file prints nothing but its error line), then each
 * message printed on its own, so the output is never held whole.
 */
export async function inspectHl7File(
  path: string,
  write: (text: string) => void,
  options: { maxSegments?: number; maxFileBytes?: number } = {},
): Promise<void> {
  const bytes = await readInputFile(path, 1, options.maxFileBytes);
  if (!isHl7Bytes(bytes)) throw new CliFailure({ code: 'HL7_NO_HEADER', params: firstSegmentLine(bytes) ?? { line: 1 } });
  const slices = new TimeSlices();
  const maxSegments = options.maxSegments ?? FILE_MAX_SEGMENTS;
  const { segments } = await slices.drive(countSegmentsSteps(bytes));
  if (segments > maxSegments) throw new CodedError('HL7_FILE_TOO_LARGE', { reason: 'segments', expected: maxSegments, found: segments });
  loadHl7Library();
  const pieces: string[] = [];
  for (const piece of decodeHl7Pieces(bytes)) {
    if (piece !== '') pieces.push(piece);
    await slices.pass();
  }
  const doc = await slices.drive(parseHl7PiecesSteps(pieces));
  pieces.length = 0;
  for (const entry of doc.entries) {
    await slices.drive(checkEntrySteps(entry));
    if (entry.error || !entry.view) throw entry.error ?? new CodedError('HL7_MALFORMED', { message: entry.index });
  }
  write(`${basename(path)}: ${doc.kind}, ${doc.entries.length} message(s)\n`);
  for (const entry of doc.entries) {
    const view = entry.view;
    if (!view) continue;
    const lines: string[] = [`message ${entry.index}: ${view.type} control id ${view.controlId || '(none)'}`];
    for (const segment of view.segments) {
      lines.push(`  ${segment.position}. ${segment.name}`);
      const parts = segment.raw().split(segment.raw().charAt(3) || '|').length;
      // MSH-1 is the separator itself, so MSH has one field more than its parts after the name.
      const count = ['MSH', 'BHS', 'FHS'].includes(segment.name) ? parts : parts - 1;
      for (let n = 1; n <= count; n++) {
        if (segment.name === 'MSH' && n <= 2) continue;
        const reps = segment.reps(n);
        reps.forEach((rep, r) => {
          const value = rep.map((component) => component.join('&')).join('^').replace(/\^+$/, '');
          if (value === '') return;
          lines.push(`     ${segment.name}-${n}${reps.length > 1 ? `[${r + 1}]` : ''}: ${value.replace(/\n/g, '\\n')}`);
        });
      }
      if (lines.length >= 4096) {
        write(lines.join('\n') + '\n');
        lines.length = 0;
        await slices.pass();
      }
    }
    if (lines.length > 0) write(lines.join('\n') + '\n');
    await slices.pass();
  }
}

/** `samsyn hl7 inspect FILE`. */
export async function runHl7Command(args: string[], io: CliIo, usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'max-segments': { type: 'string' }, 'max-file-mb': { type: 'string' } } });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + usage);
    return EXIT.usage;
  }
  const [sub, file, ...extra] = parsed.positionals;
  if (sub !== 'inspect' || !file || extra.length > 0) {
    io.err(errorLine({ code: 'CLI_USAGE', params: sub === 'inspect' ? { missing: 'FILE' } : { command: sub ? 'unknown' : 'missing' } }) + usage);
    return EXIT.usage;
  }
  const options: { maxSegments?: number; maxFileBytes?: number } = {};
  for (const [option, max, set] of [
    ['max-segments', 10_000_000, (n: number) => (options.maxSegments = n)],
    ['max-file-mb', 1024, (n: number) => (options.maxFileBytes = n * 1024 * 1024)],
  ] as const) {
    const text = parsed.values[option];
    if (text === undefined) continue;
    const n = Number(text);
    if (!(Number.isInteger(n) && n > 0 && n <= max)) {
      io.err(errorLine({ code: 'CLI_USAGE', params: { option: `--${option}` } }) + usage);
      return EXIT.usage;
    }
    set(n);
  }
  try {
    await inspectHl7File(file, io.out, options);
    return EXIT.ok;
  } catch (err) {
    io.err(errorLine(toCliError(err), 'file 1'));
    return EXIT.badFile;
  }
}
