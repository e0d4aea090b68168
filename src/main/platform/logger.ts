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

function rootLogger(): Logger {
  if (!root) {
    root = pino(
      {
        level: process.env.SAMSYN_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
        base: undefined,
        redact: {
          paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)],
          censor: '[redacted]',
        },
      },
      pino.destination(2),
    );
  }
  return root;
}

export function createLogger(module: string): Logger {
  return rootLogger().child({ module });
}
