/**
 * Every error the command line can print, as its code and its cause in words
 * (English: the CLI is for integration engineers; the app's own words in four
 * languages live in src/renderer/i18n). A file is named by its position on the
 * command line (`file 1`), never by its name, which may carry an identity number
 * or a name. Params are the small, non-identifying values the code carries.
 */
import { CodedError, type ErrorCode, type ErrorParams } from '../../shared/errors';

/** The codes a CLI error line may carry: the app's, plus a few only the CLI tells apart. */
export type CliCode = ErrorCode | 'HL7_NO_HEADER';

export interface CliError {
  code: CliCode;
  params?: ErrorParams;
}

type Words = (p: ErrorParams, where: string) => string;

const COUNTRIES: Record<string, string> = { SE: 'Swedish', NO: 'Norwegian', FI: 'Finnish' };
const country = (p: ErrorParams): string => (typeof p.country === 'string' && COUNTRIES[p.country]) || 'national';
const num = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
/** A short lower-case word from params (a reason, an HL7 type); anything else is left out. */
const word = (v: unknown): string | undefined => (typeof v === 'string' && /^[a-z0-9_-]{1,32}$/i.test(v) ? v : undefined);

function hl7Place(p: ErrorParams, where: string): string {
  const message = num(p.message);
  const segment = num(p.segment);
  const parts = [where];
  if (message && message !== '0') parts.push(`message ${message}`);
  if (segment) parts.push(`segment ${segment}`);
  return parts.join(', ');
}

const DATE_REASONS: Record<string, string> = {
  future: 'lies in the future',
  century: 'cannot be given a century',
  separator: "is under 100 years old but written with '+' (which marks 100 or older)",
};

const AUDIT_REASONS: Record<string, string> = {
  missing: 'there is no access log in that folder',
  key: 'the key is not the one the log was written with',
  damaged: 'the file is damaged',
  notALog: 'the file is empty or not a Samsyn access log',
  tooNew: 'written by a newer Samsyn',
  readOnly: 'the file or its folder is read-only',
  diskFull: 'the disk is full',
  anchor: "the log's head does not match its anchor; run samsyn audit verify",
};

const AUDIT_KINDS: Record<string, string> = {
  changed: 'the record was changed',
  missing: 'the record is missing (deleted)',
  reordered: 'the record is out of its place (reordered)',
  inserted: 'the record was inserted (forged)',
  truncated: 'the record and all after it are missing (the log was cut short)',
  anchor: "the log's head anchor is missing, damaged or forged",
};

const WORDS: Record<CliCode, Words> = {
  ID_EMPTY: () => 'the id is empty',
  ID_BAD_FORMAT: () => 'the id contains characters no national id has',
  ID_BAD_LENGTH: (p) => `the id has ${num(p.length) ?? 'the wrong number of'} characters, which fits no ${country(p)} id`,
  ID_BAD_DATE: (p) => `the ${country(p)} id's birth date ${DATE_REASONS[String(p.reason)] ?? 'does not exist'}`,
  ID_BAD_CHECKSUM: (p) => `the ${country(p)} id's check digit is wrong`,
  ID_UNKNOWN_FORMAT: (p) =>
    p.reason === 'individual'
      ? `the ${country(p)} id's individual number is not one that is issued`
      : `the id matches no ${p.country ? country(p) : 'Swedish, Norwegian or Finnish'} id format`,
  ID_AMBIGUOUS: () => 'the id fits more than one country; give it as SYSTEM|VALUE',
  IDENTIFIER_TOKEN_INVALID: () => 'an identifier token must be SYSTEM|VALUE, both non-empty',
  SOURCE_UNREACHABLE: (_p, w) => `${w || 'the source'} cannot be reached`,
  SOURCE_TIMEOUT: (p, w) => `${w || 'the source'} did not answer in time${num(p.ms) ? ` (${num(p.ms)} ms)` : ''}`,
  SOURCE_HTTP_ERROR: (p, w) => `${w || 'the source'} answered with HTTP status ${num(p.status) ?? '(unknown)'}`,
  SOURCE_OPERATION_OUTCOME: (_p, w) => `${w || 'the source'} answered with an OperationOutcome error`,
  SOURCE_BAD_RESPONSE: (p, w) => `${w || 'the source'} gave an answer that cannot be read${word(p.reason) ? ` (${word(p.reason)})` : ''}`,
  SOURCE_PATIENT_NOT_FOUND: (_p, w) => `${w || 'the source'} does not know the patient`,
  SOURCE_AMBIGUOUS_PATIENT: (_p, w) => `${w || 'the source'} knows more than one patient with that id`,
  PATIENT_MISMATCH: (_p, w) => `${w || 'the answer'} is about another patient`,
  PATIENT_DEMOGRAPHICS_MISMATCH: (p, w) =>
    `${w || 'the answer'} names the patient's number but its ${p.fields ?? 'birth date or sex'} contradicts what the number says`,
  SOURCE_DISABLED: (p, w) => `${w || 'the source'} is disabled${word(p.reason) ? ` (${word(p.reason)})` : ''}`,
  DOCUMENT_NOT_FOUND: (_p, w) => `${w || 'the source'} holds no such document for this patient`,
  DOCUMENT_TOO_LARGE: (p) => `the document is larger than ${num(p.maxBytes) ?? 'the limit of'} bytes`,
  DOCUMENT_TYPE_REFUSED: () => 'the document is not plain text, HTML or PDF',
  DOCUMENT_URL_REFUSED: () => "the document's address lies outside the source's base URL",
  HL7_CONNECTION_RESET: (_p, w) => `${w || 'the HL7 peer'} closed the connection`,
  HL7_FRAME_UNTERMINATED: (_p, w) => `${w || 'the HL7 peer'} sent an MLLP frame without its end`,
  HL7_NAK: (p, w) => `${w || 'the HL7 peer'} refused the query${word(p.ack) ? ` (${word(p.ack)})` : ''}`,
  HL7_QUERY_REJECTED: (p, w) => `${w || 'the HL7 peer'} rejected the query${word(p.status) ? ` (status ${word(p.status)})` : ''}`,
  HL7_MALFORMED: (p, w) => {
    const at = hl7Place(p, w || 'the HL7 v2 input');
    if (p.reason === 'empty') return `${at} holds no message`;
    if (word(p.name) && num(p.expected)) return `${at}: its ${word(p.name)} count says ${num(p.expected)} messages, which does not match`;
    if (word(p.name)) return `${at}: its ${word(p.name)} segment is missing or malformed`;
    return `${at} is malformed`;
  },
  HL7_CHARSET_UNSUPPORTED: (p, w) => `${hl7Place(p, w || 'the HL7 v2 input')} declares a character set (MSH-18) Samsyn cannot read`,
  HL7_FILE_INCOMPLETE: (_p, w) => `${w || 'a dropped file'} is still being written or ends mid-message`,
  HL7_FILE_TOO_LARGE: (p, w) => `${w || 'a dropped file'} is larger than a batch file may be: over the ${limitWords(p)}`,
  HL7_FILE_LINK: (_p, w) => `${w || 'a dropped file'} is a link, which is not followed`,
  HL7_FILE_NOT_REGULAR: (_p, w) => `${w || 'a dropped entry'} is not a regular file`,
  HL7_IMPORT_INTERRUPTED: () => 'an earlier import of the drop folder was interrupted',
  HL7_IMPORTED_FILE_CHANGED: (_p, w) => `${w || 'an imported file'} changed after it was imported`,
  HL7_FOLDER_READ_ONLY: () => 'the drop folder is read-only (imported files cannot be moved)',
  HL7_FOLDER_DISK_FULL: () => "the drop folder's disk is full",
  HL7_NO_HEADER: (p, w) =>
    `${w || 'the input'} has no MSH segment before line ${num(p.line) ?? '1'}${word(p.segment) ? ` (which starts ${word(p.segment)})` : ''}: an HL7 v2 file starts with MSH, BHS or FHS`,
  FILE_NOT_FOUND: (_p, w) => `${w || 'the file'} does not exist`,
  FILE_UNREADABLE: (_p, w) => `${w || 'the file'} cannot be read`,
  FILE_NOT_JSON: (p, w) => `${w || 'the file'} is not JSON${num(p.position) ? ` (position ${num(p.position)})` : ''}`,
  FILE_NOT_FHIR_BUNDLE: (p, w) =>
    `${w || 'the file'} is JSON but not a FHIR Bundle of type searchset, collection or document${word(p.type) ? ` (type ${word(p.type)})` : ''}`,
  CLI_USAGE: (p) => {
    if (typeof p.missing === 'string') return `${p.missing} is missing`;
    if (typeof p.option === 'string') return `${p.option} has a value it cannot take`;
    if (p.command === 'unknown') return 'unknown command';
    if (p.command === 'missing') return 'a command is missing';
    return 'the arguments do not fit the command';
  },
  CONFIG_INVALID: (p, w) => `${w || 'the configuration'} is not valid${word(p.reason) ? ` (${word(p.reason)})` : ''}`,
  TERMINOLOGY_INVALID: (p) =>
    `a drug-code table${num(p.table) ? ` (table ${num(p.table)})` : ''} is not valid${num(p.line) ? ` at line ${num(p.line)}` : ''}${word(p.reason) ? ` (${word(p.reason)})` : ''}${word(p.limit) ? ` (limit ${word(p.limit)} ${num(p.max) ?? ''})` : ''}`,
  BRIDGE_UNKNOWN_COMMAND: () => 'unknown bridge command',
  BRIDGE_BAD_REQUEST: () => 'the request does not fit the command',
  BRIDGE_UNAUTHORIZED: () => 'the request carries no valid token',
  BRIDGE_UNREACHABLE: () => 'the app cannot be reached',
  CACHE_KEY_MISSING: (p) =>
    p.source === 'env' ? 'SAMSYN_CACHE_KEY is empty' : 'the cache has no key (no key file and no SAMSYN_CACHE_KEY)',
  CACHE_KEY_INVALID: (p) =>
    p.keyCheck === 'mismatch'
      ? 'the cache key is not the one this cache was written with'
      : p.reason === 'format'
        ? 'the cache key is not 256 bits in hex or base64'
        : 'the cache key cannot be read or does not open the cache',
  CACHE_KEY_INSECURE: () => 'the cache key file can be read by other users (it must be mode 0600)',
  CACHE_KEY_UNAVAILABLE: () => 'the cache key cannot be had here',
  CACHE_CORRUPT: (p) => `the cache file is damaged${word(p.sqlite) ? ` (SQLite ${word(p.sqlite)})` : ''}`,
  CACHE_TOO_NEW: (p) =>
    `the cache was written by a newer Samsyn (schema ${num(p.version) ?? '?'}, this one reads up to ${num(p.supported) ?? '?'})`,
  CACHE_DISK_FULL: () => "the cache's disk is full",
  CACHE_READ_ONLY: () => 'the cache file or its folder is read-only',
  CACHE_NOT_A_CACHE: () => 'the file is empty or not a Samsyn cache',
  CACHE_UNAVAILABLE: (p) =>
    p.reason === 'missing' ? 'there is no cache file in that folder' : `the cache cannot be opened${word(p.sqlite) ? ` (SQLite ${word(p.sqlite)})` : ''}`,
  SOURCE_TLS_FAILED: () => "the source's certificate could not be verified, or it refused ours (check tls.caFile, certFile, keyFile)",
  ACCESS_PURPOSE_REQUIRED: () => 'state the care relationship and purpose before opening the patient',
  ACCESS_REASON_REQUIRED: () => 'an emergency access or a reveal needs a stated reason',
  ACCESS_CONSENT_REQUIRED: () => "the source's rules require the patient's consent",
  SEALED_NOT_REVEALABLE: () => 'this information cannot be opened under the rules of its source',
  ROLE_UNKNOWN: () => 'the user\'s role has no view profile in the configuration',
  INTERNAL: () => 'an internal error (run again with --verbose to see the log)',
  AUDIT_UNAVAILABLE: (p) => `the access log cannot be opened${AUDIT_REASONS[String(p.reason)] ? ` (${AUDIT_REASONS[String(p.reason)]})` : ''}`,
  AUDIT_WRITE_FAILED: (p) => `the access log cannot be written${AUDIT_REASONS[String(p.reason)] ? ` (${AUDIT_REASONS[String(p.reason)]})` : ''}`,
  AUDIT_DISK_FULL: () => 'the access log cannot be written: the disk is full',
  AUDIT_READ_ONLY: () => 'the access log cannot be written: its folder or file is read-only',
  AUDIT_CHAIN_BROKEN: (p) =>
    `the access log's chain is broken at record ${num(p.seq) ?? '?'}${AUDIT_KINDS[String(p.kind)] ? `: ${AUDIT_KINDS[String(p.kind)]}` : ''}`,
  AUDIT_FIELD_TOO_LONG: (p) => `the access record's ${word(p.field) ?? 'detail'} is longer than ${num(p.max) ?? 'allowed'} characters`,
  AUDIT_ENTRY_INVALID: (p) => `the access record is incomplete or malformed${word(p.field) ? ` (${word(p.field)})` : ''}`,
  AUTH_REQUIRED: () => 'nobody is signed in',
  SESSION_LOCKED: () => 'the session is locked; sign in again',
  SESSION_CHANGED: () => 'the signed-in user changed before the answer arrived',
  AUTH_USER_UNKNOWN: () => 'no such user in the local directory (see --as)',
  AUTH_FAILED: () => 'sign-in failed',
  AUTH_CLAIMS_MISSING: (p) => `the identity provider did not send the ${word(p.claim) ?? 'required'} claim`,
  AUTH_PROVIDER_UNREACHABLE: () => 'the identity provider could not be reached',
  AUTH_TIMEOUT: () => 'sign-in was not completed in time',
  PRINT_SAVE_FAILED: () => 'the PDF file could not be saved',
  FILE_TOO_LARGE: (p, w) => `${w || 'the file'} is over the ${limitWords(p)} and was not read`,
  FILE_NOT_UTF8: (p, w) => `${w || 'the file'} is not valid UTF-8${num(p.position) ? ` (at byte ${num(p.position)})` : ''}`,
  SOURCE_RESPONSE_TOO_LARGE: (p, w) => `${w || 'the source'} answered with more than the ${limitWords(p)}`,
  SUMMARY_PART_MISSING: () => 'the second part of a summary did not arrive',
};

/** The limit a *_TOO_LARGE error names, in words: `limit of 50 MiB` style, from {limit, expected}. */
function limitWords(p: ErrorParams): string {
  const limit = word(p.limit) ?? word(p.reason) ?? 'size';
  const expected = num(p.expected);
  return `${limit} limit${expected ? ` (${expected}${limit === 'bytes' ? ' bytes' : ''})` : ''}`;
}

/** An error the CLI itself tells apart (its code is not one of the app's). */
export class CliFailure extends Error {
  constructor(readonly error: CliError) {
    super(error.code);
    this.name = 'CliFailure';
  }
}

/** The CliError of anything thrown: coded errors keep their code and params, anything else is INTERNAL. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliFailure) return err.error;
  if (err instanceof CodedError) return err.toAppError();
  return { code: 'INTERNAL' };
}

/** The cause in words; `where` is a position such as `file 1` (never a file name). */
export function errorWords(error: CliError, where = ''): string {
  return WORDS[error.code](error.params ?? {}, where);
}

/** `samsyn: CODE: cause in words`: one line, never patient data or a file name. */
export function errorLine(error: CliError, where?: string): string {
  return `samsyn: ${error.code}: ${errorWords(error, where)}\n`;
}
