/**
 * Hazard H6 (SAFETY.md): a unit or value misread. Nordic labs send decimal
 * commas and comparators; the value shown is the number sent, with its unit
 * and comparator, never a truncated or re-scaled one.
 * Control: HL7 result value parsing (src/main/sources/hl7v2/mappers/result.ts numberOf / valueOf).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dropFolder, hl7Message, openTolvan } from './hazardFixtures';

const drop = dropFolder({
  'lab.hl7': hl7Message(
    'U1',
    'OBX|1|NM|2823-3^Kalium^LN||4,4|mmol/L|3.5-5.0|N|||F|||20260915090000+0100',
    'OBX|2|SN|1988-5^CRP^LN||<^5|mg/L|<10|N|||F|||20260915090000+0100',
    'OBX|3|NM|2160-0^Kreatinin^LN||85|µmol/L|45-90|N|||F|||20260915090000+0100',
  ),
});
afterAll(() => drop.cleanup());

describe('H6 unit or value misread', () => {
  it('keeps the number, its decimal, its unit and its comparator', async () => {
    const s = await openTolvan([drop.source]);
    const byCode = (code: string) => s.sections.results.find((i) => i.codes.some((c) => c.code === code))?.value;
    expect(byCode('2823-3')).toEqual({ value: 4.4, unit: 'mmol/L' });
    expect(byCode('1988-5')).toEqual({ value: 5, unit: 'mg/L', comparator: '<' });
    expect(byCode('2160-0')).toEqual({ value: 85, unit: 'µmol/L' });
  });
});
