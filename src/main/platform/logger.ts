/**
 * Module loggers (pino). Diagnostics only: never patient identifiers, names or
 * clinical text. Call sites log codes, counts, durations and source ids; the
 * redaction below is the safety net for a field that slips through.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACTED_KEYS = [
  'patient',
  'patientId',
  'identifier',
  'identifiers',
  'nationalId',
  'name',
  'names',
  'text',
  'birthDate',
  'value',
  'display',
  'resource',
  'body',
];

let root: Logger | undefined;

const rootOptions = (level: string): pino.LoggerOptions => ({
  level,
  base: undefined,
  redact: {
    paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)],
    censor: '[redacted]',
  },
});

function rootLogger(): Logger {
  if (!root) {
    root = pino(rootOptions(process.env.SAMSYN_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info')), pino.destination(2));
  }
  return root;
}

/**
 * Tests only (the diagnostics privacy test): every logger writes its lines to
 * `sink` at `level`, with the same redaction. Must be called before the first
 * logger is created (a module's logger is made when the module loads).
 */
export function captureLogsForTests(sink: { write(line: string): void }, level = 'debug'): void {
  if (root) throw new Error('captureLogsForTests: loggers already exist; call it before importing any module that logs');
  root = pino(rootOptions(level), sink);
}

export function createLogger(module: string): Logger {
  return rootLogger().child({ module });
}
