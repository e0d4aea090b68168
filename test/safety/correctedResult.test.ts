/**
 * Hazard H5 (SAFETY.md): a corrected result shown as the original. The lab
 * sends Hb 113 g/L (OBX-11 F), then corrects it to 131 g/L (OBX-11 C) for the
 * same test at the same time: one item is shown, the corrected value, marked
 * corrected, with the original in its history.
 * Control: the merge's correction rule (src/main/summary/merge.ts CORRECTION).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dropFolder, hl7Message, openTolvan } from './hazardFixtures';

const HB = '718-7^Hemoglobin^LN';
const drop = dropFolder({
  '1-final.hl7': hl7Message('C1', `OBX|1|NM|${HB}||113|g/L|117-153|L|||F|||20260301080000+0100`),
  '2-corrected.hl7': hl7Message('C2', `OBX|1|NM|${HB}||131|g/L|117-153|N|||C|||20260301080000+0100`),
});
afterAll(() => drop.cleanup());

describe('H5 corrected result shown as the original', () => {
  it('shows the correction, marked, with what it replaced', async () => {
    const s = await openTolvan([drop.source]);
    const hb = s.sections.results.filter((i) => i.codes.some((c) => c.code === '718-7'));
    expect(hb).toHaveLength(1);
    expect(hb[0]).toMatchObject({ value: { value: 131, unit: 'g/L' }, status: 'corrected', corrected: true });
    expect(hb[0]?.history?.map((h) => h.value)).toEqual([{ value: 113, unit: 'g/L' }]);
  });
});
