import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../../../../src/shared/identity';
import { INVALID_TEST_IDS, TEST_IDS } from '../../../fixtures/testIds';

const today = new Date(2026, 10, 25);
const COUNTRY = { se: 'SE', seCoordination: 'SE', no: 'NO', noD: 'NO', noSynthetic: 'NO', fi: 'FI' } as const;

describe('test/fixtures/testIds', () => {
  for (const [group, entries] of Object.entries(TEST_IDS)) {
    for (const [key, id] of Object.entries(entries)) {
      it(`${group}.${key} is valid, canonical and described truly`, () => {
        expect(parseNationalId(id.value, { today })).toEqual({
          ok: true,
          value: {
            country: COUNTRY[group as keyof typeof COUNTRY],
            kind: id.kind,
            value: id.value,
            birthDate: id.birthDate,
            sex: id.sex,
            test: id.test,
          },
        });
      });
    }
  }

  it('holds what the other tests and the sandbox rely on', () => {
    expect(Object.values(TEST_IDS.se).map((i) => i.value)).toContain('191212121212');
    expect(Object.keys(TEST_IDS.se).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(TEST_IDS.seCoordination).length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(TEST_IDS.noD).length).toBeGreaterThanOrEqual(1);
    const synthetic = Object.values(TEST_IDS.noSynthetic).map((i) => Number(i.value.slice(2, 4)));
    expect(synthetic.some((m) => m > 80)).toBe(true);
    expect(synthetic.some((m) => m > 40 && m <= 52)).toBe(true);
    const fi = Object.values(TEST_IDS.fi);
    expect(fi.filter((i) => i.test).length).toBeGreaterThanOrEqual(2);
    expect(fi.some((i) => /[B-FU-Y]/.test(i.value.charAt(6)))).toBe(true);
  });

  for (const bad of INVALID_TEST_IDS) {
    it(`refuses ${bad.why}`, () => {
      const r = parseNationalId(bad.input, bad.country ? { today, country: bad.country } : { today });
      expect(r.ok ? 'accepted' : r.error.code).toBe(bad.code);
    });
  }
});
