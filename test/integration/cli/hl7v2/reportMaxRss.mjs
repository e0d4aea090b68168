/**
 * Preloaded into a `samsyn` child process by hl7CliLarge.test.ts (node
 * --import): at exit, writes the process's peak resident set size (bytes) to
 * the file named by SAMSYN_TEST_MAX_RSS_FILE. Nothing else: the program's own
 * stdout and stderr stay as a user sees them.
 */
/* global process */
import { writeFileSync } from 'node:fs';

const file = process.env.SAMSYN_TEST_MAX_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
