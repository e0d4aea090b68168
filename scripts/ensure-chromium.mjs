#!/usr/bin/env node
/* global process */
/**
 * Before `npm test`: the browser end-to-end tests drive Debian's Chromium
 * (test/e2e/browser.ts: SAMSYN_CHROMIUM or /usr/bin/chromium). When it is
 * missing and we are root on Debian, install it with apt-get; otherwise say in
 * one line what is missing and stop before the tests start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.SAMSYN_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const fail = (why) => {
  process.stderr.write(`ensure-chromium: the browser tests need Chromium at ${path}; ${why}\n`);
  process.exit(1);
};

if (process.env.SAMSYN_CHROMIUM) fail('SAMSYN_CHROMIUM names no file');
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  fail('install it, or set SAMSYN_CHROMIUM to a Chromium or Chrome binary');
}
if (process.getuid?.() !== 0) fail('run `sudo apt-get install chromium` once (or set SAMSYN_CHROMIUM)');

process.stderr.write("ensure-chromium: installing Debian's chromium for the browser tests (apt-get, once)\n");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
  const run = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (run.status !== 0) fail(`\`apt-get ${args.join(' ')}\` failed (exit ${run.status})`);
}
if (!existsSync(path)) fail("apt-get installed chromium but it is not at that path");
