/**
 * HL7 v2 on the command line (`summarize` reads HL7 files through the source
 * registry's file readers): `hl7 inspect FILE` prints each
 * message's segments and fields for an integration engineer checking a feed.
 * A malformed file is one coded line naming the message and segment.
 */
import { basename } from 'node:path';
import { CodedError } from '../../shared/errors';
import { parseHl7Document } from '../sources/hl7v2/hl7Parse';
import { checkSegmentLimit } from '../sources/hl7v2/hl7File';
import { decodeHl7Bytes, isHl7Bytes } from '../sources/hl7v2/hl7Text';
import { firstSegmentLine, readInputFile, type CliIo } from './cliIo';
import { CliFailure, errorLine, toCliError } from './errorWords';
import { EXIT } from './exitCodes';

export const HL7_USAGE = `  samsyn hl7 inspect FILE
      Prints every message of an HL7 v2 file (message, BHS batch or FHS file): each segment,
      each non-empty field as NAME-n (repetitions as [r], components joined with ^).
      A malformed file: one coded line naming the message and segment, exit 2; usage: exit 64.
`;

/** `hl7 inspect FILE`: segments and fields, readable. */
export async function inspectHl7File(path: string): Promise<string> {
  const bytes = await readInputFile(path, 1);
  if (!isHl7Bytes(bytes)) throw new CliFailure({ code: 'HL7_NO_HEADER', params: firstSegmentLine(bytes) ?? { line: 1 } });
  checkSegmentLimit(bytes);
  const doc = parseHl7Document(decodeHl7Bytes(bytes));
  const bad = doc.entries.find((e) => e.error || !e.view);
  if (bad) throw bad.error ?? new CodedError('HL7_MALFORMED', { message: bad.index });
  const lines: string[] = [`${basename(path)}: ${doc.kind}, ${doc.entries.length} message(s)`];
  for (const entry of doc.entries) {
    const view = entry.view;
    if (!view) continue;
    lines.push(`message ${entry.index}: ${view.type} control id ${view.controlId || '(none)'}`);
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
    }
  }
  return lines.join('\n') + '\n';
}

/** `samsyn hl7 inspect FILE`. */
export async function runHl7Command(args: string[], io: CliIo, usage: string): Promise<number> {
  const [sub, file, ...extra] = args;
  if (sub !== 'inspect' || !file || extra.length > 0) {
    io.err(errorLine({ code: 'CLI_USAGE', params: sub === 'inspect' ? { missing: 'FILE' } : { command: sub ? 'unknown' : 'missing' } }) + usage);
    return EXIT.usage;
  }
  try {
    io.out(await inspectHl7File(file));
    return EXIT.ok;
  } catch (err) {
    io.err(errorLine(toCliError(err), 'file 1'));
    return EXIT.badFile;
  }
}
