/**
 * `samsyn`: the command line for integration engineers.
 *   samsyn validate-id ID
 *   samsyn summarize FILE... --patient ID|SYSTEM|VALUE [--format text|json|ips]
 *   samsyn hl7 inspect FILE
 *   samsyn config check [FILE]
 *   samsyn check-sources [FILE] [--patient ID] [--json]
 *   samsyn cache verify|purge
 *   samsyn audit verify|export
 * Bad input gets one line on stderr with a code and its cause in words
 * (errorWords.ts), files named by position, and a non-zero exit; never a stack
 * trace, never patient data or a file name in the error.
 *
 * Each command's module is imported only when that command runs (the process
 * entry is main.ts, compiled to build/cli), so `validate-id` loads neither the
 * sources, the summary, the cache nor any HL7 code.
 */
import type { CliIo } from './cliIo';
import { errorLine } from './errorWords';
import { EXIT, EXIT_CODES_TEXT } from './exitCodes';

export { EXIT } from './exitCodes';

const VALIDATE_ID_USAGE = `  samsyn validate-id ID
      Prints the normalized national id (SE personnummer/samordningsnummer, NO fødselsnummer/
      D-nummer, FI henkilötunnus) as JSON, or one coded error line. Exit 0: valid; 1: not valid; 64: usage.
`;

/** Usage texts: kept here (not in the command modules) so `--help` loads nothing else. */
const COMMAND_USAGE: Record<string, string> = {
  'validate-id': VALIDATE_ID_USAGE,
  summarize: `  samsyn summarize FILE... --patient ID [--as USER] [--format text|json|ips] [--drug-codes CSV]... [--max-file-mb N] [--max-segments N] [--max-entries N] [--verbose]
      Builds the patient summary from FHIR R4 Bundle files (searchset, collection, document)
      and HL7 v2 files (a message, BHS batch or FHS file; told apart by content).
      ID is a national id (SE, NO, FI) or an identifier token SYSTEM|VALUE, matched exactly;
      for HL7 v2, SYSTEM is PID-3's assigning authority (namespace or universal id).
      --format json (or --json) prints the Summary as JSON; --format ips as an International
      Patient Summary (FHIR R4 document Bundle); --verbose writes diagnostics (JSON lines) to stderr.
      --drug-codes CSV: a table of national drug codes to ATC (header system,code,atc[,display]),
      so one substance coded differently by two files is recognised as one; repeatable.
      --as USER: the command line has no interactive sign-in; it acts as a user of the local
      directory (default 'cli', a technical identity with the nurse role).
      --max-file-mb N: largest file read (default 50); a larger file, an HL7 file of more than
      250,000 segments or a Bundle of more than 50,000 entries is a coded error naming the limit.
      --max-segments N: most segments in one HL7 v2 file (default 250,000; at most 10,000,000).
      --max-entries N: most entries in one FHIR Bundle file (default 50,000, a FHIR source's
      maxEntries; at most 10,000,000).
      Exit 0: every file was about the patient; 3: a file was rejected (another patient);
      2: a file could not be read; 1: the --patient value is not valid; 64: usage.
`,
  'check-sources': `  samsyn check-sources [FILE] [--patient ID] [--json]
      Reaches each configured source without asking about anyone: a FHIR server's
      CapabilityStatement (R4, Patient search by identifier), an MLLP peer's port, a drop
      folder's access; each within its deadline, all at once. --patient ID (a test patient)
      also asks each source for that patient: found, items, sections. Prints a table (or
      JSON). Exit 0: every source passed; 3: one failed; 2: the configuration cannot be read.
`,
  hl7: `  samsyn hl7 inspect FILE [--max-segments N] [--max-file-mb N]
      Prints every message of an HL7 v2 file (message, BHS batch or FHS file): each segment,
      each non-empty field as NAME-n (repetitions as [r], components joined with ^).
      Limits as for summarize: --max-file-mb (default 50), --max-segments (default 250,000).
      Exit 0: read; 2: the file cannot be read or is malformed (one line naming message and segment); 64: usage.
`,
  config: `  samsyn config check [FILE]
      Checks the configuration file: FILE, else the one the app uses (SAMSYN_CONFIG, then
      config.json in SAMSYN_DATA_DIR or .samsyn/, then /etc/samsyn/config.json, then the demo's).
      Lists each source as ok or disabled, and each problem as FILE: PATH: what is wrong.
      Exit 0: every source is valid; 1: a source is rejected (the app shows it disabled);
      2: the file cannot be read or is wrong as a whole; 64: usage.
`,
  cache: `  samsyn cache verify|purge [--dir DIR] [--json] [--retention-hours N] [--all]
      Checks or purges the encrypted local cache (details: samsyn cache --help).
`,
  audit: `  samsyn audit verify [--dir DIR] [--json] | export --patient ID [--format json|text]
      Proves the access log's hash chain intact or names the first broken record; the
      citizen's extract of who accessed a patient's records (details: samsyn audit --help).
`,
};

export const USAGE = `Usage:
${Object.values(COMMAND_USAGE).join('')}  samsyn COMMAND --help
      That command's usage. --verbose (any command): diagnostics to stderr, which are off otherwise.
${EXIT_CODES_TEXT}`;

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h') || args[0] === 'help';

async function validateId(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || !args[0] || args[0].startsWith('--')) {
    io.err(errorLine({ code: 'CLI_USAGE', params: args.length === 0 ? { missing: 'ID' } : {} }) + VALIDATE_ID_USAGE);
    return EXIT.usage;
  }
  const { parseNationalId } = await import('../../shared/identity/index.js');
  const result = parseNationalId(args[0], { today: io.now() });
  if (!result.ok) {
    io.err(errorLine(result.error));
    return EXIT.invalid;
  }
  io.out(JSON.stringify(result.value) + '\n');
  return EXIT.ok;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // --verbose only turns the log on (main.ts reads it before any module loads); commands never see it.
  const [command, ...rest] = argv.filter((a) => a !== '--verbose');
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const usage = COMMAND_USAGE[command];
  if (usage === undefined) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { command: 'unknown' } }) + USAGE);
    return EXIT.usage;
  }
  if (command !== 'cache' && command !== 'audit' && wantsHelp(rest)) {
    io.out(`Usage:\n${usage}${EXIT_CODES_TEXT}`);
    return EXIT.ok;
  }
  switch (command) {
    case 'validate-id':
      return validateId(rest, io);
    case 'summarize':
      return (await import('./summarizeCommand.js')).runSummarize(rest, io, usage);
    case 'hl7':
      return (await import('./hl7Cli.js')).runHl7Command(rest, io, usage);
    case 'config':
      return (await import('./configCommand.js')).runConfigCommand(rest, io, usage);
    case 'check-sources':
      return (await import('./checkSourcesCommand.js')).runCheckSources(rest, io, usage);
    case 'audit': {
      const { AUDIT_USAGE, runAuditCommand } = await import('./auditCommand.js');
      if (rest[0] === undefined || wantsHelp(rest)) {
        io.out(`Usage:\n${AUDIT_USAGE}`);
        return rest[0] === undefined ? EXIT.usage : EXIT.ok;
      }
      return runAuditCommand(rest, io);
    }
    default: {
      const { CACHE_USAGE, runCacheCommand } = await import('./cacheCommand.js');
      if (rest[0] === undefined || wantsHelp(rest)) {
        io.out(CACHE_USAGE);
        return rest[0] === undefined ? EXIT.usage : EXIT.ok;
      }
      return runCacheCommand(rest, io);
    }
  }
}
