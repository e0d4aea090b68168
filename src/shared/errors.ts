/**
 * Error codes: the only thing an error carries across the bridge (never a message
 * with patient data). The renderer turns a code into words in the user's language.
 */
/** Every error code, once; the type derives from the list. */
export const ERROR_CODES = [
  // identity
  'ID_EMPTY',
  'ID_BAD_FORMAT',
  'ID_BAD_LENGTH',
  'ID_BAD_DATE',
  'ID_BAD_CHECKSUM',
  'ID_UNKNOWN_FORMAT',
  'ID_AMBIGUOUS',
  'IDENTIFIER_TOKEN_INVALID',
  // sources
  'SOURCE_UNREACHABLE',
  'SOURCE_TLS_FAILED',
  'SOURCE_TIMEOUT',
  'SOURCE_HTTP_ERROR',
  'SOURCE_OPERATION_OUTCOME',
  'SOURCE_BAD_RESPONSE',
  'SOURCE_PATIENT_NOT_FOUND',
  'SOURCE_AMBIGUOUS_PATIENT',
  'PATIENT_MISMATCH',
  'PATIENT_DEMOGRAPHICS_MISMATCH',
  'SOURCE_DISABLED',
  // journal documents (document.open)
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_TOO_LARGE',
  'DOCUMENT_TYPE_REFUSED',
  'DOCUMENT_URL_REFUSED',
  // HL7 v2 sources (MLLP, batch folders, files)
  'HL7_CONNECTION_RESET',
  'HL7_FRAME_UNTERMINATED',
  'HL7_NAK',
  'HL7_QUERY_REJECTED',
  'HL7_MALFORMED',
  'HL7_CHARSET_UNSUPPORTED',
  // HL7 v2 batch drop folder: per file, and the folder itself
  'HL7_FILE_INCOMPLETE',
  'HL7_FILE_TOO_LARGE',
  'HL7_FILE_LINK',
  'HL7_FILE_NOT_REGULAR',
  'HL7_IMPORT_INTERRUPTED',
  'HL7_IMPORTED_FILE_CHANGED',
  'HL7_FOLDER_READ_ONLY',
  'HL7_FOLDER_DISK_FULL',
  // files / CLI
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_NOT_JSON',
  'FILE_NOT_FHIR_BUNDLE',
  'CLI_USAGE',
  'CONFIG_INVALID',
  'TERMINOLOGY_INVALID',
  // bridge
  'BRIDGE_UNKNOWN_COMMAND',
  'BRIDGE_BAD_REQUEST',
  'BRIDGE_UNAUTHORIZED',
  'BRIDGE_UNREACHABLE',
  // local cache
  'CACHE_KEY_MISSING',
  'CACHE_KEY_INVALID',
  'CACHE_KEY_INSECURE',
  'CACHE_KEY_UNAVAILABLE',
  'CACHE_CORRUPT',
  'CACHE_TOO_NEW',
  'CACHE_UNAVAILABLE',
  'CACHE_DISK_FULL',
  'CACHE_READ_ONLY',
  'CACHE_NOT_A_CACHE',
  // access: care relationship, purpose, consent, sealed information
  'ACCESS_PURPOSE_REQUIRED',
  'ACCESS_REASON_REQUIRED',
  'ACCESS_CONSENT_REQUIRED',
  'SEALED_NOT_REVEALABLE',
  'ROLE_UNKNOWN',
  'INTERNAL',
  // access log (src/main/audit)
  'AUDIT_UNAVAILABLE',
  'AUDIT_WRITE_FAILED',
  'AUDIT_CHAIN_BROKEN',
  'AUDIT_FIELD_TOO_LONG',
  'AUDIT_ENTRY_INVALID',
  // the access log's disk is full or read-only: the access is refused (fail closed), said as the cause
  'AUDIT_DISK_FULL',
  'AUDIT_READ_ONLY',
  // sign-in and the shared workstation (issue 10)
  'AUTH_REQUIRED',
  'SESSION_LOCKED',
  'SESSION_CHANGED',
  'AUTH_USER_UNKNOWN',
  'AUTH_FAILED',
  'AUTH_CLAIMS_MISSING',
  'AUTH_PROVIDER_UNREACHABLE',
  'AUTH_TIMEOUT',
  // print and save as PDF (desktop app)
  'PRINT_SAVE_FAILED',
  // bounded input (issue 14): each names the limit exceeded
  'FILE_TOO_LARGE',
  'FILE_NOT_UTF8',
  'SOURCE_RESPONSE_TOO_LARGE',
  // a summary delivered in two parts (ADR 0032): its second part did not come, or is no longer kept
  'SUMMARY_PART_MISSING',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Params are small, non-identifying values only (a length, an HTTP status, a source id). */
export type ErrorParams = Record<string, string | number | boolean>;

export interface AppError {
  code: ErrorCode;
  params?: ErrorParams;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, params?: ErrorParams): Result<T> =>
  params ? { ok: false, error: { code, params } } : { ok: false, error: { code } };

/**
 * An exception that carries only a code. Used inside a module; converted to a
 * Result at the bridge. Its message is the code, so a stray log line never
 * carries patient data.
 */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly params?: ErrorParams;
  constructor(code: ErrorCode, params?: ErrorParams) {
    super(params ? `${code} ${JSON.stringify(params)}` : code);
    this.name = 'CodedError';
    this.code = code;
    this.params = params;
  }
  toAppError(): AppError {
    return this.params ? { code: this.code, params: this.params } : { code: this.code };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
