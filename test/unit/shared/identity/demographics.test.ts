import { describe, expect, it } from 'vitest';
import { demographicConflicts, NATIONAL_ID_SYSTEMS, nationalIdOf } from '../../../../src/shared/identity';
import { TEST_IDS } from '../../../fixtures/testIds';

const TOLVAN = TEST_IDS.se.tolvan; // 1912-12-12, male
const AINO = TEST_IDS.fi.aino; // 1985-01-01, female
const PER_D = TEST_IDS.noD.tenorD; // D-nummer, 1980-09-01, male

describe('demographicConflicts', () => {
  it('finds a birth date or sex that contradicts the number, in each country', () => {
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-12-13', gender: 'male' })).toEqual(['birthDate']);
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-12-12', gender: 'female' })).toEqual(['sex']);
    expect(demographicConflicts(AINO, { birthDate: '1958-01-01', gender: 'male' })).toEqual(['birthDate', 'sex']);
    expect(demographicConflicts(PER_D, { birthDate: '1980-09-41', gender: 'male' })).toEqual(['birthDate']);
  });

  it('accepts what agrees', () => {
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-12-12', gender: 'male' })).toEqual([]);
    expect(demographicConflicts(AINO, { birthDate: '1985-01-01', gender: 'FEMALE' })).toEqual([]);
    expect(demographicConflicts(PER_D, { birthDate: '1980-09-01', gender: 'male' })).toEqual([]);
  });

  it('compares a partial birth date or a dateTime as far as it goes', () => {
    expect(demographicConflicts(TOLVAN, { birthDate: '1912' })).toEqual([]);
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-12' })).toEqual([]);
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-12-12T08:30:00+01:00' })).toEqual([]);
    expect(demographicConflicts(TOLVAN, { birthDate: '1913' })).toEqual(['birthDate']);
    expect(demographicConflicts(TOLVAN, { birthDate: '1912-11' })).toEqual(['birthDate']);
  });

  it('never counts an absence: no birth date, an unreadable one, or a sex other than female or male', () => {
    expect(demographicConflicts(TOLVAN, {})).toEqual([]);
    for (const birthDate of ['', '12/12/1912', 'unknown', '19121212']) {
      expect(demographicConflicts(TOLVAN, { birthDate }), birthDate).toEqual([]);
    }
    for (const gender of ['other', 'unknown', '', 'U']) {
      expect(demographicConflicts(TOLVAN, { gender }), gender).toEqual([]);
    }
  });
});

describe('nationalIdOf', () => {
  it('reads a valid number of the system’s kind, and nothing else', () => {
    expect(nationalIdOf({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '19121212-1212' })?.birthDate).toBe('1912-12-12');
    expect(nationalIdOf({ system: '1.2.246.21', value: AINO.value })?.sex).toBe('female');
    // 10 digits: the century would be a guess.
    expect(nationalIdOf({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '121212-1212' })).toBeUndefined();
    // Another kind than the system names, another system, no system, a bad number.
    expect(nationalIdOf({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '191212721219' })).toBeUndefined();
    expect(nationalIdOf({ system: 'urn:oid:1.2.3', value: '191212121212' })).toBeUndefined();
    expect(nationalIdOf({ value: '191212121212' })).toBeUndefined();
    expect(nationalIdOf({ system: NATIONAL_ID_SYSTEMS.personnummer, value: '191212121213' })).toBeUndefined();
  });
});
