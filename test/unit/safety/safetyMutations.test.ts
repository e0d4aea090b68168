/**
 * Every control SAFETY.md's evidence removes (scripts/safety-mutations.mjs) is
 * still in its file exactly once, its test exists, and each hazard of the log
 * has its mutation: a control rewritten in the code fails here, not silently
 * in `npm run safety:evidence` later.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
type Mutation = [string, string, string, string | string[], string | string[], string];

describe('the safety evidence still applies', async () => {
  const { MUTATIONS } = (await import(pathToFileURL(join(root, 'scripts', 'safety-mutations.mjs')).href)) as { MUTATIONS: Mutation[] };

  for (const [hazard, test, file, control, replacement] of MUTATIONS) {
    it(`${hazard}: its control is found once in ${file}, and its test exists`, () => {
      const text = readFileSync(join(root, file), 'utf8');
      const controls = Array.isArray(control) ? control : [control];
      expect(Array.isArray(replacement) ? replacement.length : 1).toBe(controls.length);
      for (const c of controls) expect(text.split(c).length - 1, c).toBe(1);
      expect(existsSync(join(root, test))).toBe(true);
    });
  }

  it('every hazard row of SAFETY.md has a mutation', () => {
    const rows = [...readFileSync(join(root, 'SAFETY.md'), 'utf8').matchAll(/^\| (H\d+) \|/gm)].map((m) => m[1]);
    const covered = new Set(MUTATIONS.map(([hazard]) => hazard.replace(/[a-z]$/, '')));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(covered.has(row as string), row).toBe(true);
  });
});
