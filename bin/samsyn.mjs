#!/usr/bin/env node
/**
 * `samsyn` (package.json bin, an ES module; `npx samsyn`, `npm run samsyn --`): runs the
 * compiled command line in build/cli. `npm ci` builds it (prepare) and so does
 * `npm test`; where src/ is newer than the build (a developer editing), it is
 * rebuilt first, with one line on stderr.
 */
/* global process */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'build', 'cli');
const entry = path.join(outDir, 'main', 'cli', 'main.js');
const stamp = path.join(outDir, '.built');

/** The newest modification time under the folders the CLI is compiled from. */
function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  const src = path.join(root, 'src');
  if (!fs.existsSync(src)) return false; // an installed copy without sources runs what it has
  return Math.max(newestSource(path.join(src, 'main')), newestSource(path.join(src, 'shared'))) > built;
}

if (stale()) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('samsyn: INTERNAL: the command line is not built and TypeScript is not installed (run npm ci)\n');
    process.exit(70);
  }
  process.stderr.write('samsyn: building the command line (once after a change; npm run build:cli)\n');
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.cli.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (run.status !== 0) {
    process.stderr.write('samsyn: INTERNAL: building the command line failed (see above)\n');
    process.exit(70);
  }
  fs.writeFileSync(stamp, new Date().toISOString() + '\n');
}

await import(pathToFileURL(entry).href);
