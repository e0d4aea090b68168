import { describe, expect, it } from 'vitest';
import { displayUnit, formatQuantity } from '../../../../src/renderer/i18n/formatters';
import { offered } from '../../../../src/renderer/views/PatientSummaryView';
import { emptySections, type Summary } from '../../../../src/shared/summary';

const summary = (gender: string | undefined, pregnancy = 0, birthDate?: string): Summary =>
  ({
    patient: { identifier: { value: '1' }, ...(gender ? { gender } : {}), ...(birthDate ? { birthDate } : {}) },
    sections: { ...emptySections(), pregnancy: Array.from({ length: pregnancy }, () => ({}) as never) },
    sources: [],
    generatedAt: '2026-11-29T10:00:00Z',
    fromCache: false,
    hiddenSealed: 0,
  }) as Summary;

describe('readable results', () => {
  it('never shows UCUM annotations raw', () => {
    expect(displayUnit('{INR}')).toBeUndefined();
    expect(displayUnit('10*9/L')).toBe('10*9/L');
    expect(displayUnit('{cells}/uL')).toBe('/uL');
    expect(formatQuantity({ value: 1.2, unit: '{INR}' }, 'sv')).toBe('1,2');
  });
});

describe('sections offered', () => {
  it('leaves out pregnancy for a male patient unless a source has pregnancy data', () => {
    expect(offered('pregnancy', summary('male'))).toBe(false);
    expect(offered('pregnancy', summary('male', 1))).toBe(true);
    expect(offered('pregnancy', summary('female'))).toBe(true);
    expect(offered('pregnancy', summary(undefined))).toBe(true);
    expect(offered('allergies', summary('male'))).toBe(true);
  });

  it('leaves out pregnancy for a child under ten unless a source has pregnancy data', () => {
    // Compiled 2026-11-29: born 2017-01-02 is 9, born 2016-11-29 turned 10 that day.
    expect(offered('pregnancy', summary('female', 0, '2017-01-02'))).toBe(false);
    expect(offered('pregnancy', summary('female', 1, '2017-01-02'))).toBe(true);
    expect(offered('pregnancy', summary('female', 0, '2016-11-30'))).toBe(false);
    expect(offered('pregnancy', summary('female', 0, '2016-11-29'))).toBe(true);
    expect(offered('pregnancy', summary('female', 0, '1990-01-01'))).toBe(true);
    expect(offered('pregnancy', summary(undefined, 0, 'not a date'))).toBe(true);
  });
});

describe('text notes apart from lab rows', () => {
  const result = (value: unknown, valueType?: string) =>
    ({ key: 'k', section: 'results', codes: [], text: 'X', value, details: valueType ? { valueType } : {}, sealed: false, sources: [], conflicts: [] }) as never;
  it('tells a written note from a measured value', async () => {
    const { isTextNote } = await import('../../../../src/renderer/components/ResultTable');
    expect(isTextNote(result('Tolvan är pigg och äter bra. Går själv med rollator.', 'TX'))).toBe(true);
    expect(isTextNote(result('Ökat kreatinin jämfört med föregående prov; åtgärd enligt rutin.'))).toBe(true);
    expect(isTextNote(result({ value: 4.1, unit: 'mmol/L' }))).toBe(false);
    expect(isTextNote(result('positiv'))).toBe(false);
    const panel = { ...(result('Systolic blood pressure: 134 mmHg; Diastolic blood pressure: 82 mmHg') as object), details: { components: [{ text: 'Systolic', codes: [] }] } };
    expect(isTextNote(panel as never)).toBe(false);
  });
});
