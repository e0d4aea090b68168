/**
 * The merged summary as kept in the cache: a small JSON header, a newline and
 * the sections as ASCII-only JSON, read back without parsing the sections; a
 * row written in the earlier one-JSON layout is still read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../../../src/main/cache/cacheDatabase';
import { createCacheStore, type CachedSummary, type CacheStore } from '../../../../src/main/cache/cacheStore';
import { createPatientKeyer } from '../../../../src/main/cache/patientKey';
import { createLogger } from '../../../../src/main/platform/logger';
import { emptySections } from '../../../../src/shared/summary';

const KEY = Buffer.alloc(32, 9);
const NOW = new Date('2026-11-25T09:00:00Z');
const patient = { system: 'urn:test', value: 'merged-1' };
const dirs: string[] = [];
const stores: CacheStore[] = [];

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-merged-'));
  dirs.push(dir);
  const db = openCacheDatabase(join(dir, 'cache.db'), { key: KEY });
  const patientKey = createPatientKeyer(KEY);
  const store = createCacheStore({ db, patientKey, clock: { now: () => NOW }, logger: createLogger('test.cache') });
  stores.push(store);
  return { db, store, patientKey };
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function merged(): CachedSummary {
  return {
    patient: { identifier: patient, name: 'Åsa Öberg' },
    sections: {
      ...emptySections(),
      allergies: [
        {
          key: 'allergies:penicillin',
          section: 'allergies',
          codes: [{ display: 'Penicillin — svår' }],
          text: 'Penicillinallergi',
          details: { criticality: 'high' },
          sealed: false,
          sources: [{ sourceId: 'region-nord', sourceName: 'Region Nord', recordId: 'A/1', fetchedAt: '2026-11-25T08:30:00Z', cached: true }],
          conflicts: [],
        },
      ],
    },
    hiddenSealed: 1,
    sources: [{ sourceId: 'region-nord', answeredAt: '2026-11-25T08:30:00Z', itemCount: 1 }],
  };
}

describe('merged summary in the cache', () => {
  it('reads back the header parsed and the sections as ASCII-only JSON of the same value', () => {
    const { store } = open();
    const written = merged();
    store.write(patient, [], written);
    const read = store.readMerged(patient);
    expect(read).toBeDefined();
    const { sections, ...header } = written;
    expect({ ...read, sectionsJson: undefined }).toEqual({ ...header, sectionsJson: undefined });
    expect(read?.sectionsJson.every((b) => b < 0x80)).toBe(true);
    expect(JSON.parse(read?.sectionsJson.toString('latin1') ?? '')).toEqual(sections);
  });

  it('still reads a row written as one JSON document', () => {
    const { db, store, patientKey } = open();
    const written = merged();
    db.prepare('INSERT INTO merged_summary (patient_key, answered_ms, payload) VALUES (?, ?, ?)').run(
      patientKey(patient),
      Date.parse('2026-11-25T08:30:00Z'),
      JSON.stringify(written),
    );
    const read = store.readMerged(patient);
    expect(read?.patient).toEqual(written.patient);
    expect(read?.hiddenSealed).toBe(1);
    expect(JSON.parse(read?.sectionsJson.toString('latin1') ?? '')).toEqual(written.sections);
  });
});
