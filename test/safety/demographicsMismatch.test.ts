/**
 * Hazard H12 (SAFETY.md, found missing from the list): a record filed
 * under the right national id but about another person (a mistyped or reused
 * number: the birth date and sex in the record contradict what the id says).
 * The source's answer is rejected as PATIENT_DEMOGRAPHICS_MISMATCH and none of
 * it is shown.
 * Control: the identity guard's demographic check (src/main/summary/identityGuard.ts, ADR 0011).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromSource, msh, openTolvan, statusOf, dropFolder } from './hazardFixtures';

// Tolvan's id, but a woman born 1985: not the man born 1912-12-12 the id names.
const drop = dropFolder({
  'lab.hl7': [msh('M1'), 'PID|1||191212121212^^^1.2.752.129.2.1.3.1||Tolvansson^Tova||19850101|F', 'AL1|1|DA|227493005^Cashew^SCT|SV|Anafylaxi'].join('\r'),
});
afterAll(() => drop.cleanup());

describe('H12 another person under the right id', () => {
  it('rejects the answer whose demographics contradict the national id', async () => {
    const s = await openTolvan([drop.source]);
    expect(statusOf(s, 'lab')).toMatchObject({ state: 'rejected', error: 'PATIENT_DEMOGRAPHICS_MISMATCH', itemCount: 0 });
    expect(fromSource(s, 'lab')).toEqual([]);
  });
});
