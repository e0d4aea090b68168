/**
 * The batch folder's memory budget (ADR 0038): past `maxHeldItems` a batch
 * message is kept as the patients it names and where its bytes lie in
 * processed/, and mapped again when a query names one of them. What a query
 * answers is the same whatever the budget — the same items, in the same
 * order, after a restart too — and a processed/ file changed after it was
 * imported is never mapped as if it were the same: its messages are left out
 * and the folder says HL7_IMPORTED_FILE_CHANGED.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/shared/errors';
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import type { PatientQuery } from '../../../src/main/sources/types';
import { largeBatch, TOLVAN_ID } from '../sources/hl7/largeBatch';

const FIXTURES = join(__dirname, '../../fixtures/hl7');
const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TOLVAN_ID } };
const OTHER: PatientQuery = { identifier: { system: '1.2.752.999.1', value: 'RN-7' } };
const signal = () => new AbortController().signal;
const FETCHED = new Date('2026-11-30T08:00:00.000Z');

describe('batch folder past its memory budget', () => {
  let held: string;
  let located: string;
  beforeEach(() => {
    held = mkdtempSync(join(tmpdir(), 'samsyn-hl7-held-'));
    located = mkdtempSync(join(tmpdir(), 'samsyn-hl7-located-'));
  });
  afterEach(() => {
    rmSync(held, { recursive: true, force: true });
    rmSync(located, { recursive: true, force: true });
  });
  const open = (folder: string, maxHeldItems?: number) =>
    createBatchFolderSource({
      id: 'lab',
      name: 'Lab',
      folder,
      timeoutMs: 60_000,
      settleMs: 0,
      clock: { now: () => FETCHED },
      ...(maxHeldItems !== undefined ? { maxHeldItems } : {}),
    });
  const without = (r: { items: unknown[]; subjects: unknown[] }) => ({ items: r.items, subjects: r.subjects });

  it('answers the same items, in the same order, held or read again; and so after a restart', async () => {
    const bytes = largeBatch(300);
    for (const folder of [held, located]) {
      writeFileSync(join(folder, 'big.hl7'), bytes);
      copyFileSync(join(FIXTURES, 'batch-malformed-middle.hl7'), join(folder, 'small.hl7'));
    }
    const all = open(held);
    const budget = open(located, 40);
    const reports = [await all.importNew(), await budget.importNew()];
    expect(reports[1]).toEqual(reports[0]);
    expect(budget.folderStatus().messages).toBe(all.folderStatus().messages);
    for (const query of [TOLVAN, OTHER]) {
      const expected = without(await all.fetchPatient(query, signal()));
      expect(expected.items.length).toBeGreaterThan(0);
      expect(without(await budget.fetchPatient(query, signal()))).toEqual(expected);
      // A restart reads processed/ again under the same budget.
      expect(without(await open(located, 40).fetchPatient(query, signal()))).toEqual(expected);
    }
    // The quarantined message of the small batch is the same bytes either way.
    const q = (folder: string) => readdirSync(join(folder, 'quarantine')).sort().map((n) => (n.endsWith('.json') ? n : readFileSync(join(folder, 'quarantine', n)).toString('latin1')));
    expect(q(located)).toEqual(q(held));
  });

  it('holds only what fits the budget: the rest is read again from processed/ when asked for', async () => {
    writeFileSync(join(located, 'big.hl7'), largeBatch(300));
    const source = open(located, 80);
    await source.importNew();
    // 8 results a message: 10 messages held, the other 290 kept by where they lie.
    expect(source.folderStatus().messages).toBe(300);
    const tolvan = await source.fetchPatient(TOLVAN, signal());
    expect(tolvan.items).toHaveLength(100 * 8);
    expect(new Set(tolvan.items.map((i) => i.provenance.recordId)).size).toBe(800);
  });

  it("refuses, coded, a patient whose messages hold more than the summary takes (maxItems), before reading them again", async () => {
    writeFileSync(join(located, 'big.hl7'), largeBatch(300));
    const source = open(located, 80);
    await source.importNew();
    // 800 items for Tolvan; over 100 the answer would be refused whole (askSource), so reading stops there.
    const refused = await source.fetchPatient({ ...TOLVAN, maxItems: 100 }, signal()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(CodedError);
    expect((refused as CodedError).code).toBe('SOURCE_RESPONSE_TOO_LARGE');
    const params = (refused as CodedError).params as { limit: string; expected: number; found: number };
    expect(params).toMatchObject({ limit: 'items', expected: 100 });
    // Counted from what the import recorded, before any message is read again: all 800.
    expect(params.found).toBe(800);
    // At the limit exactly, the whole answer.
    expect((await source.fetchPatient({ ...TOLVAN, maxItems: 800 }, signal())).items).toHaveLength(800);
  });

  it('a processed/ file changed after the import: its messages past the budget are left out and the change is said', async () => {
    writeFileSync(join(located, 'big.hl7'), largeBatch(300));
    const source = open(located, 80);
    await source.importNew();
    const file = join(located, 'processed', 'big.hl7');
    // Another patient's number written over Tolvan's in the file's second half (same length).
    const text = readFileSync(file, 'latin1');
    const half = Math.floor(text.length / 2);
    writeFileSync(file, Buffer.from(text.slice(0, half) + text.slice(half).replaceAll('Kalium', 'Natrium'), 'latin1'));
    const tolvan = await source.fetchPatient(TOLVAN, signal());
    expect(tolvan.items.every((i) => !JSON.stringify(i).includes('Natrium'))).toBe(true);
    expect(tolvan.items.length).toBeLessThan(800);
    expect(source.folderStatus().unverified).toEqual([{ code: 'HL7_IMPORTED_FILE_CHANGED', params: { reason: 'changed' } }]);
    expect(source.health?.().notes).toContainEqual({ code: 'HL7_IMPORTED_FILE_CHANGED', count: 1 });
  });
});
