/**
 * Hazard H11 (SAFETY.md, found missing from the list): a record its
 * source retracted (entered in error) shown as valid. The lab sends Hb 113
 * g/L, then withdraws it (OBX-11 W); another test stays. The withdrawn value
 * is not shown, and the summary counts the retraction.
 * Control: the merge's retraction rule (src/main/summary/merge.ts RETRACTED / isRetracted).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dropFolder, hl7Message, openTolvan } from './hazardFixtures';

const drop = dropFolder({
  'lab.hl7': hl7Message(
    'W1',
    'OBX|1|NM|718-7^Hemoglobin^LN||113|g/L|117-153|L|||W|||20260301080000+0100',
    'OBX|2|NM|2823-3^Kalium^LN||4,1|mmol/L|3.5-5.0|N|||F|||20260301080000+0100',
  ),
});
afterAll(() => drop.cleanup());

describe('H11 retracted record shown as valid', () => {
  it('leaves the withdrawn result out and counts it', async () => {
    const s = await openTolvan([drop.source]);
    expect(s.sections.results.map((i) => i.codes.map((c) => c.code)).flat()).toEqual(['2823-3']);
    expect(s.retracted).toEqual({ results: 1 });
  });
});
