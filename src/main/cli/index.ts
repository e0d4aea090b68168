/**
 * `samsyn`: the command line for integration engineers.
 *   samsyn validate-id ID
 *   samsyn summarize FILE... --patient ID|SYSTEM|VALUE [--json]
 * Bad input gets one line with a code on stderr and a non-zero exit; never a
 * stack trace, never patient data in the error.
 */
import '../platform/quietByDefault';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/errors';
import { parseNationalId, parsePatientInput } from '../../shared/identity';
import type { Identifier, Summary } from '../../shared/summary';
import { systemClock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { BUILTIN_SOURCES } from '../sources/registry';
import type { SourceAdapter, SourceResult } from '../sources/types';
import { createSummaryService } from '../summary/summaryService';
import { CACHE_USAGE, runCacheCommand } from './cacheCommand';
import { formatSummaryText } from './formatSummary';
import { errorLine, readInputFile, type CliIo } from './cliIo';
import { HL7_USAGE, inspectHl7File } from './hl7Cli';

const USAGE = `Usage:
  samsyn validate-id ID
      Prints the normalized national id as JSON, or one coded error line (exit 1).
  samsyn summarize FILE... --patient ID [--json]
      Builds the patient summary from FHIR R4 Bundle files (searchset, collection, document)
      and HL7 v2 files (a message, BHS batch or FHS file; told apart by content).
      ID is a national id (SE, NO, FI) or an identifier token SYSTEM|VALUE, matched exactly;
      for HL7 v2, SYSTEM is PID-3's assigning authority (namespace or universal id).
      Exit 0: every file was about the patient; 3: a file was rejected (another patient);
      2: a file could not be read; 64: usage.
${HL7_USAGE}  samsyn cache verify|purge [--dir DIR]
      Checks or purges the encrypted local cache (see \`samsyn cache help\`).
`;

export const EXIT = { ok: 0, invalid: 1, badFile: 2, rejected: 3, usage: 64 } as const;

/**
 * A file as one source's answer: the first source kind whose file reader
 * claims the bytes reads them (HL7 v2 by its header; FHIR JSON is the fallback).
 */
function readFileAsSource(bytes: Buffer, path: string, index: number, fetchedAt: string, identifier: Identifier): SourceResult {
  const reader = BUILTIN_SOURCES.fileReaders.find((r) => r.claims(bytes));
  if (!reader) throw new CodedError('FILE_UNREADABLE', { file: index });
  try {
    return reader.read(bytes, { sourceId: `file-${index}`, sourceName: basename(path), fetchedAt, identifier });
  } catch (err) {
    if (err instanceof CodedError && err.code === 'FILE_NOT_JSON') throw new CodedError('FILE_NOT_JSON', { file: index });
    throw err;
  }
}

/** Each file acts as one source, so the identity guard and merge are the app's own. */
function fileSource(index: number, path: string, result: SourceResult): SourceAdapter {
  return {
    id: `file-${index}`,
    name: basename(path),
    kind: 'file',
    timeoutMs: 60_000,
    fetchPatient: async () => result,
  };
}

async function summarize(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { patient: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + USAGE);
    return EXIT.usage;
  }
  const files = parsed.positionals;
  if (files.length === 0 || !parsed.values.patient) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { missing: files.length === 0 ? 'FILE' : '--patient' } }) + USAGE);
    return EXIT.usage;
  }
  const query = parsePatientInput(parsed.values.patient, { today: io.now() });
  if (!query.ok) {
    io.err(errorLine(query.error, '--patient'));
    return EXIT.invalid;
  }
  const fetchedAt = io.now().toISOString();
  const sources: SourceAdapter[] = [];
  for (const [i, file] of files.entries()) {
    try {
      // Read once: the content, not the name, tells HL7 v2 from a FHIR Bundle.
      const bytes = await readInputFile(file, i + 1);
      const result = readFileAsSource(bytes, file, i + 1, fetchedAt, query.value.identifier);
      sources.push(fileSource(i + 1, file, result));
    } catch (err) {
      const error = err instanceof CodedError ? err.toAppError() : { code: 'INTERNAL' as const };
      io.err(errorLine(error, `file ${i + 1}: ${basename(file)}`));
      return EXIT.badFile;
    }
  }
  const service = createSummaryService({
    sources,
    clock: { now: io.now },
    logger: createLogger('cli'),
  });
  const summary: Summary = await service.open(query.value);
  io.out(parsed.values.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummaryText(summary));
  return summary.sources.every((s) => s.state === 'ok') ? EXIT.ok : EXIT.rejected;
}

async function runHl7Command(args: string[], io: CliIo): Promise<number> {
  const [sub, file, ...extra] = args;
  if (sub !== 'inspect' || !file || extra.length > 0) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { command: 'hl7' } }) + USAGE);
    return EXIT.usage;
  }
  try {
    io.out(await inspectHl7File(file));
    return EXIT.ok;
  } catch (err) {
    const error = err instanceof CodedError ? err.toAppError() : { code: 'INTERNAL' as const };
    io.err(errorLine(error, basename(file)));
    return EXIT.badFile;
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate-id': {
      if (rest.length !== 1 || !rest[0]) {
        io.err(errorLine({ code: 'CLI_USAGE' }) + USAGE);
        return EXIT.usage;
      }
      const result = parseNationalId(rest[0], { today: io.now() });
      if (!result.ok) {
        io.err(errorLine(result.error));
        return EXIT.invalid;
      }
      io.out(JSON.stringify(result.value) + '\n');
      return EXIT.ok;
    }
    case 'hl7':
      return runHl7Command(rest, io);
    case 'summarize':
      return summarize(rest, io);
    case 'cache':
      if (rest[0] === undefined || rest[0] === 'help' || rest[0] === '--help') {
        io.out(CACHE_USAGE);
        return rest[0] === undefined ? EXIT.usage : EXIT.ok;
      }
      return runCacheCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      io.err(errorLine({ code: 'CLI_USAGE', params: { command: 'unknown' } }) + USAGE);
      return EXIT.usage;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    now: () => systemClock.now(),
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      process.stderr.write(`samsyn: INTERNAL (${(err as Error)?.name ?? 'error'})\n`);
      process.exitCode = 70;
    });
}
