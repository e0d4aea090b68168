import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDrugCodeMaps, parseDrugCodeTable, withMappedAtc } from '../../../../src/main/summary/drugCodes';
import { CodedError } from '../../../../src/shared/errors';
import type { ClinicalItem } from '../../../../src/shared/summary';

const ATC = 'http://www.whocc.no/atc';
const NPL = 'urn:oid:1.2.752.129.2.1.5.1';

function med(codes: ClinicalItem['codes'], section: ClinicalItem['section'] = 'medications'): ClinicalItem {
  return {
    section,
    codes,
    text: 'X',
    sealed: false,
    details: section === 'medications' ? { recordKind: 'stated', dosage: [] } : {},
    provenance: { sourceId: 's', sourceName: 'S', recordId: 'R/1', fetchedAt: '2026-11-30T00:00:00Z' },
  } as ClinicalItem;
}

function codedError(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('drug-code tables', () => {
  it('reads a CSV with comments, a BOM, quoting and the HL7 name or OID of a system alike', () => {
    const map = parseDrugCodeTable('\uFEFF# comment\nsystem,code,atc,display\nNPL,111,b01af02,apixaban\n"urn:oid:1.2.752.129.2.1.5.1","222","C10AA05","atorvastatin, 40 mg"\r\n\n');
    expect(map.get(`${NPL}|111`)).toEqual({ atc: 'B01AF02', display: 'apixaban' });
    expect(map.get(`${NPL}|222`)).toEqual({ atc: 'C10AA05', display: 'atorvastatin, 40 mg' });
  });

  it('refuses a broken table with a coded error naming the line, never a partial map', () => {
    expect(codedError(() => parseDrugCodeTable('code,system,atc\n')).params).toMatchObject({ reason: 'header', line: 1 });
    expect(codedError(() => parseDrugCodeTable('')).code).toBe('TERMINOLOGY_INVALID');
    expect(codedError(() => parseDrugCodeTable('system,code,atc\nNPL,1,B01AF02\nNPL,2,not-atc\n')).params).toMatchObject({ line: 3, reason: 'atc' });
    expect(codedError(() => parseDrugCodeTable('system,code,atc\nNPL,,B01AF02\n')).params).toMatchObject({ line: 2, reason: 'empty' });
    // One product code, two substances: refused, not resolved by order.
    expect(codedError(() => parseDrugCodeTable('system,code,atc\nNPL,1,B01AF02\nNPL,1,B01AF01\n')).params).toMatchObject({ line: 3, reason: 'conflict' });
  });

  it('holds its limits: rows and bytes', () => {
    const rows = ['system,code,atc', ...Array.from({ length: 6 }, (_, i) => `NPL,${i},A10BA02`)].join('\n');
    expect(codedError(() => parseDrugCodeTable(rows, new Map(), { maxBytes: 1_000_000, maxRows: 5 })).params).toMatchObject({ limit: 'maxRows', max: 5 });
    expect(codedError(() => parseDrugCodeTable(rows, new Map(), { maxBytes: 20, maxRows: 100 })).params).toMatchObject({ limit: 'maxBytes' });
  });

  const dir = mkdtempSync(join(tmpdir(), 'samsyn-drugcodes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads tables relative to a folder, names a missing or broken table by its position', () => {
    writeFileSync(join(dir, 'a.csv'), 'system,code,atc\nNPL,1,A10BA02\n');
    writeFileSync(join(dir, 'b.csv'), 'system,code,atc\nNPL,1,A10BA03\n');
    expect(loadDrugCodeMaps(['a.csv'], dir).size).toBe(1);
    expect(codedError(() => loadDrugCodeMaps(['a.csv', 'missing.csv'], dir))).toMatchObject({ code: 'FILE_NOT_FOUND', params: { table: 2 } });
    expect(codedError(() => loadDrugCodeMaps(['a.csv', 'b.csv'], dir))).toMatchObject({ code: 'TERMINOLOGY_INVALID', params: { table: 2, line: 2, reason: 'conflict' } });
  });

  it('adds the mapped ATC, marked, only to drug items without an ATC of their own, never in place', () => {
    const map = parseDrugCodeTable('system,code,atc,display\nNPL,111,B01AF02,apixaban\n');
    const nplOnly = med([{ system: 'NPL', code: '111' }]);
    const withOwn = med([{ system: NPL, code: '111' }, { system: ATC, code: 'B01AF01' }]);
    const unknown = med([{ system: NPL, code: '999' }]);
    const allergy = med([{ system: NPL, code: '111' }], 'allergies');
    const result = med([{ system: NPL, code: '111' }], 'results');
    const [a, b, c, d, e] = withMappedAtc([nplOnly, withOwn, unknown, allergy, result], map);
    expect(a?.codes).toEqual([{ system: 'NPL', code: '111' }, { system: ATC, code: 'B01AF02', display: 'apixaban', mapped: true }]);
    expect(nplOnly.codes).toHaveLength(1);
    expect(b).toBe(withOwn);
    expect(c).toBe(unknown);
    expect(d?.codes.at(-1)).toMatchObject({ system: ATC, code: 'B01AF02', mapped: true });
    expect(e).toBe(result);
    expect(withMappedAtc([nplOnly], undefined)[0]).toBe(nplOnly);
  });
});
