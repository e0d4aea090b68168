#!/usr/bin/env node
/* global process, console */
/**
 * Evidence for SAFETY.md: for each hazard, remove its control (a local edit of
 * the product source), run the hazard's test, record that it fails and the
 * first failing assertion, and restore the file (git checkout). Refuses to run
 * in a worktree with uncommitted changes to src/, so nothing is ever left
 * mutated or committed by accident.
 *
 *   node scripts/safety-evidence.mjs [H1 H2 ...]   (all by default)
 *
 * Prints one Markdown table row per control removed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

import { MUTATIONS } from './safety-mutations.mjs';

const only = process.argv.slice(2);
if (execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '') {
  console.error('safety-evidence: src/ has uncommitted changes; commit or stash them first');
  process.exit(2);
}

const strip = (s) => s.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '');
let broken = 0;
console.log('| hazard | control removed (file) | test | result with the control removed |');
console.log('| --- | --- | --- | --- |');
for (const [hazard, test, file, control, replacement, words] of MUTATIONS) {
  if (only.length > 0 && !only.includes(hazard)) continue;
  const original = readFileSync(file, 'utf8');
  const controls = Array.isArray(control) ? control : [control];
  const replacements = Array.isArray(replacement) ? replacement : [replacement];
  if (!controls.every((c) => original.includes(c))) {
    console.log(`| ${hazard} | ${words} (\`${file}\`) | \`${test}\` | CONTROL NOT FOUND: the source changed, update this script |`);
    broken++;
    continue;
  }
  writeFileSync(file, controls.reduce((text, c, n) => text.replace(c, replacements[n]), original));
  let run;
  try {
    run = spawnSync('npx', ['vitest', 'run', test], { encoding: 'utf8', timeout: 300_000 });
  } finally {
    execFileSync('git', ['checkout', '--', file]);
  }
  const out = strip(`${run.stdout}\n${run.stderr}`);
  const failed = run.status !== 0;
  const assertion = out.split('\n').find((l) => /AssertionError|Error:|TimeoutError|Test timed out/.test(l))?.trim() ?? '(no assertion line)';
  const at = out.split('\n').find((l) => /❯ test\/safety\/.*:\d+:\d+/.test(l))?.trim().replace(/^❯\s*/, '') ?? '';
  if (!failed) broken++;
  const cell = failed ? `FAILS: ${assertion.replace(/\|/g, '\\|').slice(0, 220)}${at ? ` (${at})` : ''}` : 'STILL PASSES: the test does not prove this control';
  console.log(`| ${hazard} | ${words} (\`${file}\`) | \`${test}\` | ${cell} |`);
}
process.exit(broken === 0 ? 0 : 1);
