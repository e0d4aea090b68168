/**
 * `npm run bench`: runs every *.bench.ts in this folder, one after another, each
 * in its own process (so one benchmark's heap and timers never skew the next).
 * Their figures land in bench-results.json at the repository root (report.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resetResults } from './report';

const dir = __dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
// Every bench appends its figures to bench-results.json; a run starts it afresh.
resetResults();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], {
    stdio: 'inherit',
    // Per-request info lines would bury the figures.
    env: { SAMSYN_LOG_LEVEL: 'warn', ...process.env },
  });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
