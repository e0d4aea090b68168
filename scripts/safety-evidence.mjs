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

/** hazard, test, file, the control as written, what it is replaced by, in words. */
const MUTATIONS = [
  ['H1', 'test/safety/wrongPatient.test.ts', 'src/main/summary/identityGuard.ts',
    'export function guardIdentity(result: SourceResult, query: PatientQuery): SourceResult {\n',
    'export function guardIdentity(result: SourceResult, query: PatientQuery): SourceResult {\n  return result;\n',
    'guardIdentity returns every answer unchecked'],
  ['H2', 'test/safety/cachedAsFresh.test.ts', 'src/main/summary/cachedAnswer.ts',
    'provenance: { ...i.provenance, fetchedAt: snapshot.answeredAt, cached: true }',
    'provenance: i.provenance',
    'cachedItems no longer marks snapshot items cached with the snapshot time'],
  ['H3', 'test/safety/sourceFailureShown.test.ts', 'src/main/summary/askSource.ts',
    'state: stateFor(code), error: code, itemCount: 0',
    "state: 'ok', itemCount: 0",
    'askSource reports a failed source as ok (failure swallowed)'],
  ['H4', 'test/safety/itemsNotLost.test.ts', 'src/main/summary/merge.ts',
    "const when = isPointInTime(item.section) ? `@${item.date ?? ''}` : '';",
    "const when = '';",
    'factKeys no longer keys events by their time'],
  ['H5', 'test/safety/correctedResult.test.ts', 'src/main/summary/merge.ts',
    "const CORRECTION = new Set(['corrected', 'amended']);",
    'const CORRECTION = new Set<string>([]);',
    'the merge no longer knows correction statuses'],
  ['H6', 'test/safety/unitValueMisread.test.ts', 'src/main/sources/hl7v2/mappers/result.ts',
    "const normalized = text.trim().replace(',', '.');",
    'const normalized = text.trim();',
    'numberOf no longer reads a decimal comma'],
  ['H7', 'test/safety/sealedWithoutReason.test.ts', 'src/main/access/sealedPolicy.ts',
    '    if (!item.sealed) {\n',
    '    if (!item.sealed || item.sealed) {\n',
    'the sealed policy lets every sealed item through'],
  ['H7b', 'test/safety/sealedWithoutReason.test.ts', 'src/main/access/accessContexts.ts',
    "  return text.length < MIN_REASON_LENGTH || text.length > MAX_REASON_LENGTH ? 'ACCESS_REASON_REQUIRED' : undefined;",
    '  return undefined;',
    'an emergency no longer needs a stated reason'],
  ['H8a', 'test/safety/dataLeftBehind.test.ts', 'src/main/cache/cacheDatabase.ts',
    '      db.key(options.key);\n',
    '',
    'the cache database is opened without its key (plaintext SQLite)'],
  ['H8b', 'test/safety/dataLeftBehind.test.ts', 'src/main/platform/logger.ts',
    'paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)],',
    'paths: [],',
    "the logger's redaction paths emptied"],
  ['H9', 'test/safety/sharedWorkstation.test.ts', 'src/main/app/createServices.ts',
    '    if (openedAt !== undefined && openedAt !== now.generation) return;\n',
    '',
    "deliver() no longer checks the session generation that opened the patient"],
  ['H10', 'test/safety/loadAndLargeFile.test.ts', 'src/main/sources/hl7v2/batchImporter.ts',
    '    if (stat.size > maxFileBytes) {\n',
    '    if (false) {\n',
    'the size check before reading a dropped file removed'],
  ['H10b', 'test/safety/loadAndLargeFile.test.ts', 'src/main/summary/askSource.ts',
    '    }, source.timeoutMs);\n',
    '    }, 600_000);\n',
    "a source's deadline no longer enforced (10 minutes instead of its own)"],
  ['H11', 'test/safety/retractedRecord.test.ts', 'src/main/summary/merge.ts',
    '  return item.status !== undefined && (RETRACTED[item.section]?.has(item.status) ?? false);\n',
    '  return false;\n',
    'isRetracted always false'],
  ['H12', 'test/safety/demographicsMismatch.test.ts', 'src/main/summary/identityGuard.ts',
    "      if (fields.length > 0) throw new CodedError('PATIENT_DEMOGRAPHICS_MISMATCH'",
    "      if (fields.length < 0) throw new CodedError('PATIENT_DEMOGRAPHICS_MISMATCH'",
    'the demographic check never rejects'],
];

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
  if (!original.includes(control)) {
    console.log(`| ${hazard} | ${words} (\`${file}\`) | \`${test}\` | CONTROL NOT FOUND: the source changed, update this script |`);
    broken++;
    continue;
  }
  writeFileSync(file, original.replace(control, replacement));
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
