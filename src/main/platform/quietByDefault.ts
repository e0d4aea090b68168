/**
 * Imported first by the command-line entry points (CLI, demo): their terminal is
 * for the person using them, so diagnostics default to warnings and errors.
 * Must run before any module creates its logger; SAMSYN_LOG_LEVEL still wins.
 */
// Under vitest the logger is already silent; tests import the CLI in-process.
if (!process.env.VITEST) process.env.SAMSYN_LOG_LEVEL ??= 'warn';

export {};
