/**
 * The `samsyn` process (bin/samsyn.mjs runs its compiled form, build/cli):
 * diagnostics go to stderr only with --verbose, so the terminal shows the
 * command's output and at most one error line. The log level is set before
 * any module that logs is loaded (index.ts imports each command on demand).
 */
if (process.argv.includes('--verbose')) process.env.SAMSYN_LOG_LEVEL ||= 'info';
else process.env.SAMSYN_LOG_LEVEL = 'silent';

import('./index.js')
  .then(({ runCli }) =>
    runCli(process.argv.slice(2), {
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
      now: () => new Date(),
    }),
  )
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`samsyn: INTERNAL: an internal error (${(err as Error)?.name ?? 'error'}); run again with --verbose\n`);
    if (process.argv.includes('--verbose')) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 70;
  });
