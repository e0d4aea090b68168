#!/usr/bin/env node
/* global process, URL, setTimeout */
/**
 * Gets Electron's binary on demand (see docs/adr/0009). `npm ci` does not run
 * the electron package's download (package.json allowScripts: electron false),
 * so an install never fails where its host is unreachable; `npm start` and
 * `npm run demo` call this first.
 *   node scripts/electron-binary.mjs             required: exit 1 with one line if it cannot be had
 *   node scripts/electron-binary.mjs --optional  the demo: one line and exit 0 (it falls back to the browser preview)
 */
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const optional = process.argv.includes('--optional');
const require = createRequire(import.meta.url);

function say(line) {
  process.stderr.write(`electron-binary: ${line}\n`);
}

function done(ok) {
  process.exit(ok || optional ? 0 : 1);
}

let pkgDir;
try {
  pkgDir = dirname(require.resolve('electron/package.json'));
} catch {
  say('the electron package is not installed (run npm ci first)');
  done(false);
}
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

function installed() {
  try {
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const distVersion = readFileSync(join(pkgDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '');
    return distVersion === version && existsSync(join(pkgDir, 'dist', rel));
  } catch {
    return false;
  }
}

if (installed()) done(true);

if (optional && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  say('no display here, so the demo runs as the browser preview (Electron not downloaded)');
  done(false);
}

// Where @electron/get downloads from: a mirror if one is configured, else GitHub.
const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror;
const host = mirror ? new URL(mirror).hostname : 'github.com';
const viaProxy = Boolean(process.env.ELECTRON_GET_USE_PROXY || process.env.HTTPS_PROXY || process.env.https_proxy);
if (!viaProxy) {
  const reachable = await Promise.race([
    lookup(host).then(() => true, () => false),
    new Promise((resolve) => setTimeout(() => resolve(false), 5_000)),
  ]);
  if (!reachable) {
    say(`Electron ${version}'s binary is not installed and ${host} cannot be reached${optional ? '; continuing without it' : ''}`);
    done(false);
  }
}

say(`downloading Electron ${version}'s binary (once)`);
const env = { ...process.env };
delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
const run = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'inherit', env, timeout: 10 * 60_000 });
if (run.status === 0 && installed()) done(true);
say(`could not download Electron ${version}'s binary${optional ? '; continuing without it' : ''}`);
done(false);
