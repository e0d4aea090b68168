/**
 * Error codes: the only thing an error carries across the bridge (never a message
 * with patient data). The renderer turns a code into words in the user's language.
 */
export type ErrorCode =
  // identity
  | 'ID_EMPTY'
  | 'ID_BAD_FORMAT'
  | 'ID_BAD_LENGTH'
  | 'ID_BAD_DATE'
  | 'ID_BAD_CHECKSUM'
  | 'ID_UNKNOWN_FORMAT'
  | 'ID_AMBIGUOUS'
  | 'IDENTIFIER_TOKEN_INVALID'
  // sources
  | 'SOURCE_UNREACHABLE'
  | 'SOURCE_TIMEOUT'
  | 'SOURCE_HTTP_ERROR'
  | 'SOURCE_OPERATION_OUTCOME'
  | 'SOURCE_BAD_RESPONSE'
  | 'SOURCE_PATIENT_NOT_FOUND'
  | 'SOURCE_AMBIGUOUS_PATIENT'
  | 'PATIENT_MISMATCH'
  | 'SOURCE_DISABLED'
  // files / CLI
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_NOT_JSON'
  | 'FILE_NOT_FHIR_BUNDLE'
  | 'CLI_USAGE'
  | 'CONFIG_INVALID'
  // bridge
  | 'BRIDGE_UNKNOWN_COMMAND'
  | 'BRIDGE_BAD_REQUEST'
  | 'BRIDGE_UNAUTHORIZED'
  | 'BRIDGE_UNREACHABLE'
  | 'INTERNAL';

export const ERROR_CODES: readonly ErrorCode[] = [
  'ID_EMPTY',
  'ID_BAD_FORMAT',
  'ID_BAD_LENGTH',
  'ID_BAD_DATE',
  'ID_BAD_CHECKSUM',
  'ID_UNKNOWN_FORMAT',
  'ID_AMBIGUOUS',
  'IDENTIFIER_TOKEN_INVALID',
  'SOURCE_UNREACHABLE',
  'SOURCE_TIMEOUT',
  'SOURCE_HTTP_ERROR',
  'SOURCE_OPERATION_OUTCOME',
  'SOURCE_BAD_RESPONSE',
  'SOURCE_PATIENT_NOT_FOUND',
  'SOURCE_AMBIGUOUS_PATIENT',
  'PATIENT_MISMATCH',
  'SOURCE_DISABLED',
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_NOT_JSON',
  'FILE_NOT_FHIR_BUNDLE',
  'CLI_USAGE',
  'CONFIG_INVALID',
  'BRIDGE_UNKNOWN_COMMAND',
  'BRIDGE_BAD_REQUEST',
  'BRIDGE_UNAUTHORIZED',
  'BRIDGE_UNREACHABLE',
  'INTERNAL',
];

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
