/**
 * `samsyn summarize --drug-codes`: a source that codes a drug only by its
 * national product id (NPL-id) and another that sends ATC are recognised as one
 * substance with the table, and stay apart (never guessed) without it (issue 9 item 3).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/main/cli/index';
import { cli } from './runCli';

const fixtures = join(__dirname, '..', '..', 'fixtures');
const nord = join(fixtures, 'bundles', 'tolvan-nord.json');
const npl = join(fixtures, 'hl7', 'rde-npl-only-tolvan.hl7');
const table = join(fixtures, 'terminology', 'npl-metformin.csv');

type Med = { text: string; codes: { system?: string; code?: string; mapped?: boolean }[]; sources: { sourceId: string }[] };

async function metformin(...extra: string[]): Promise<Med[]> {
  const r = await cli('summarize', nord, npl, '--patient', '19121212-1212', '--json', ...extra);
  expect(r.code).toBe(EXIT.ok);
  const summary = JSON.parse(r.out) as { sections: { medications: Med[] } };
  return summary.sections.medications.filter((m) => /metformin/i.test(m.text));
}

describe('samsyn summarize --drug-codes', () => {
  it('without a table, an NPL-only drug stays its own item: nothing is matched by name', async () => {
    const meds = await metformin();
    expect(meds).toHaveLength(2);
    expect(meds.flatMap((m) => m.codes).some((c) => c.mapped)).toBe(false);
  });

  it('with the table, the NPL-id gains its ATC (marked as mapped) and both sources stand on one item', async () => {
    const meds = await metformin('--drug-codes', table);
    expect(meds).toHaveLength(1);
    const [item] = meds;
    expect(new Set(item?.sources.map((s) => s.sourceId))).toEqual(new Set(['file-1', 'file-2']));
    expect(item?.codes).toContainEqual({ system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'metformin', mapped: true });
  });

  it('a missing or broken table is a coded error naming it by position', async () => {
    const missing = await cli('summarize', nord, '--patient', '19121212-1212', '--drug-codes', join(fixtures, 'terminology', 'nope.csv'));
    expect(missing.code).toBe(EXIT.badFile);
    expect(missing.err).toMatch(/^samsyn: FILE_NOT_FOUND/);
    expect(missing.err).not.toContain('nope.csv');
    const broken = await cli('summarize', nord, '--patient', '19121212-1212', '--drug-codes', npl);
    expect(broken.code).toBe(EXIT.badFile);
    expect(broken.err).toMatch(/^samsyn: TERMINOLOGY_INVALID.*line 1.*header/);
  });
});
