/**
 * `samsyn summarize FILE... --patient ID [--format text|json|ips]`: each file acts as one
 * source (read by the source registry's file readers: HL7 v2 by its header,
 * FHIR JSON otherwise), so the identity guard and the merge are the app's own.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/errors';
import { BUILTIN_LOCAL_USERS, CLI_USER, createLocalDirectory } from '../auth/localDirectory';
import { parsePatientInput } from '../../shared/identity';
import type { Identifier, Summary } from '../../shared/summary';
import { createLogger } from '../platform/logger';
import { BUILTIN_SOURCES } from '../sources/registry';
import type { SourceAdapter, SourceResult } from '../sources/types';
import { toIpsBundle } from '../summary/ipsExport';
import { type DrugCodeMap, loadDrugCodeMaps } from '../summary/drugCodes';
import { createSummaryService } from '../summary/summaryService';
import { firstSegmentLine, jsonErrorPosition, readInputFile, type CliIo } from './cliIo';
import { CliFailure, errorLine, toCliError } from './errorWords';
import { EXIT } from './exitCodes';
import { formatSummaryText } from './formatSummary';

/**
 * The file as one source's answer: the first source kind whose file reader
 * claims the bytes reads them, in steps where the kind reads so (HL7 v2: a
 * large batch neither holds the event loop nor keeps every message mapped).
 */
async function readFileAsSource(
  bytes: Buffer,
  path: string,
  index: number,
  fetchedAt: string,
  identifier: Identifier,
  limits: { maxSegments?: number; maxEntries?: number },
): Promise<SourceResult> {
  const reader = BUILTIN_SOURCES.fileReaders.find((r) => r.claims(bytes));
  if (!reader) throw new CodedError('FILE_UNREADABLE');
  const ctx = { sourceId: `file-${index}`, sourceName: basename(path), fetchedAt, identifier, ...limits };
  try {
    return reader.readAsync ? await reader.readAsync(bytes, ctx) : reader.read(bytes, ctx);
  } catch (err) {
    if (err instanceof CodedError && err.code === 'FILE_NOT_UTF8' && firstSegmentLine(bytes)) {
      throw new CliFailure({ code: 'HL7_NO_HEADER', params: firstSegmentLine(bytes)! });
    }
    if (err instanceof CodedError && err.code === 'FILE_NOT_JSON') {
      // Not JSON: HL7 v2 segments without a header are told apart from a broken JSON file.
      const segment = firstSegmentLine(bytes);
      if (segment) throw new CliFailure({ code: 'HL7_NO_HEADER', params: segment });
      const position = jsonErrorPosition(bytes.toString('utf8'));
      throw new CodedError('FILE_NOT_JSON', position === undefined ? undefined : { position });
    }
    throw err;
  }
}

/** The highest `--max-segments` (the batch folder's maxSegments ceiling, hl7SourceConfig.ts). */
const MAX_SEGMENTS_CEILING = 10_000_000;

/** The highest `--max-entries` (a FHIR source's maxEntries ceiling, fhirKind.ts); its default is the source's, DEFAULT_MAX_ENTRIES. */
const MAX_ENTRIES_CEILING = 10_000_000;

/** A whole number in 1..max from an option's text; undefined when the option is absent, NaN when it is not one. */
function countOption(text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n <= max && /^\d+$/.test(text.trim()) ? n : NaN;
}

function fileSource(index: number, path: string, result: SourceResult): SourceAdapter {
  return {
    id: `file-${index}`,
    name: basename(path),
    kind: 'file',
    timeoutMs: 60_000,
    fetchPatient: async () => result,
  };
}

export async function runSummarize(args: string[], io: CliIo, usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { patient: { type: 'string' }, as: { type: 'string', default: CLI_USER.userId }, json: { type: 'boolean', default: false }, format: { type: 'string' }, 'drug-codes': { type: 'string', multiple: true }, 'max-file-mb': { type: 'string' }, 'max-segments': { type: 'string' }, 'max-entries': { type: 'string' } },
    });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + usage);
    return EXIT.usage;
  }
  const files = parsed.positionals;
  const format = parsed.values.format ?? (parsed.values.json ? 'json' : 'text');
  if (!['text', 'json', 'ips'].includes(format) || (parsed.values.json && format !== 'json')) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--format' } }) + usage);
    return EXIT.usage;
  }
  const maxFileMb = parsed.values['max-file-mb'] === undefined ? undefined : Number(parsed.values['max-file-mb']);
  if (maxFileMb !== undefined && !(Number.isInteger(maxFileMb) && maxFileMb > 0 && maxFileMb <= 1024)) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--max-file-mb' } }) + usage);
    return EXIT.usage;
  }
  const maxSegments = parsed.values['max-segments'] === undefined ? undefined : Number(parsed.values['max-segments']);
  if (maxSegments !== undefined && !(Number.isInteger(maxSegments) && maxSegments > 0 && maxSegments <= MAX_SEGMENTS_CEILING)) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--max-segments' } }) + usage);
    return EXIT.usage;
  }
  const maxEntries = countOption(parsed.values['max-entries'], MAX_ENTRIES_CEILING);
  if (maxEntries !== undefined && Number.isNaN(maxEntries)) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--max-entries' } }) + usage);
    return EXIT.usage;
  }
  const limits = { ...(maxSegments !== undefined ? { maxSegments } : {}), ...(maxEntries !== undefined ? { maxEntries } : {}) };
  if (files.length === 0 || !parsed.values.patient) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { missing: files.length === 0 ? 'FILE' : '--patient' } }) + usage);
    return EXIT.usage;
  }
  // No interactive sign-in here: a technical identity from the local directory (`--as`).
  const directory = createLocalDirectory({ users: [CLI_USER, ...BUILTIN_LOCAL_USERS], clock: { now: io.now } });
  const signIn = await directory.begin({ userId: parsed.values.as }).catch((err: unknown) => err as CodedError);
  if (signIn instanceof CodedError || signIn.kind !== 'done') {
    io.err(errorLine({ code: 'AUTH_USER_UNKNOWN' }, '--as') + usage);
    return EXIT.usage;
  }
  createLogger('cli').info({ userId: signIn.user.userId, role: signIn.user.role }, 'summarize as');
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
      const bytes = await readInputFile(file, i + 1, maxFileMb === undefined ? undefined : maxFileMb * 1024 * 1024);
      sources.push(fileSource(i + 1, file, await readFileAsSource(bytes, file, i + 1, fetchedAt, query.value.identifier, limits)));
    } catch (err) {
      io.err(errorLine(toCliError(err), `file ${i + 1}`));
      return EXIT.badFile;
    }
  }
  let drugCodes: DrugCodeMap | undefined;
  try {
    const tables = parsed.values['drug-codes'] ?? [];
    if (tables.length > 0) drugCodes = loadDrugCodeMaps(tables, process.cwd());
  } catch (err) {
    io.err(errorLine(toCliError(err), '--drug-codes'));
    return EXIT.badFile;
  }
  const service = createSummaryService({ sources, clock: { now: io.now }, logger: createLogger('cli'), ...(drugCodes ? { drugCodes } : {}) });
  const summary: Summary = await service.open(query.value);
  if (format === 'ips') io.out(JSON.stringify(toIpsBundle(summary), null, 2) + '\n');
  else io.out(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : formatSummaryText(summary));
  return exitForSources(summary, io);
}

/**
 * The exit code for the files' statuses, each failure also said on stderr by
 * the file's position: a file about another patient is exit 3; a file that
 * failed otherwise (its records over a limit, `summary.maxItemsPerSource`) is
 * a file that cannot be read, exit 2, with its code and the limit in words —
 * never the silent exit 3 ("another patient") it was before (issue 14 probe).
 */
export function exitForSources(summary: Pick<Summary, 'sources'>, io: Pick<CliIo, 'err'>): number {
  let exit: number = EXIT.ok;
  for (const status of summary.sources) {
    if (status.state === 'ok') continue;
    const position = /^file-(\d+)$/.exec(status.sourceId)?.[1];
    const where = position ? `file ${position}` : 'a file';
    if (status.state === 'rejected') {
      if (exit === EXIT.ok) exit = EXIT.rejected;
      continue;
    }
    const params = status.limit ? { limit: status.limit.name, expected: status.limit.max } : undefined;
    io.err(errorLine({ code: status.error ?? 'INTERNAL', ...(params ? { params } : {}) }, where));
    exit = EXIT.badFile;
  }
  return exit;
}
