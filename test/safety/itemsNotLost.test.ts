/**
 * Hazard H4 (SAFETY.md): an allergy, medication or result lost, altered or
 * merged away. Two sources (a FHIR region and an HL7 drop folder) both speak
 * of Tolvan: every record either sent reaches exactly one shown item, with
 * its value unchanged; the same allergy from both is one item naming both
 * sources; results of the same test at different times stay apart, even when alike.
 * Control: the merge's fact keys (events keyed by their time; src/main/summary/merge.ts factKeys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main/app/config';
import { createSourceAdapters } from '../../src/main/app/createServices';
import { startFhirSandbox, type FhirSandbox } from '../../src/main/sandbox/fhirServer';
import { allItems, dropFolder, hl7Message, openTolvan, type DropFolder } from './hazardFixtures';

let nord: FhirSandbox;
let drop: DropFolder;

const HB = '718-7^Hemoglobin^LN';
beforeAll(async () => {
  nord = await startFhirSandbox({ region: 'nord' });
  drop = dropFolder({
    'allergies.hl7': hl7Message('A1', 'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria', 'AL1|2|MA|111088007^Latex^SCT|MO|Eksem'),
    'hb-march.hl7': hl7Message('R1', `OBX|1|NM|${HB}||113|g/L|117-153|L|||F|||20260301080000+0100`),
    'hb-june.hl7': hl7Message('R2', `OBX|1|NM|${HB}||131|g/L|117-153|N|||F|||20260601080000+0100`),
    // The same value again three months later: another measurement, not the same one.
    'hb-september.hl7': hl7Message('R3', `OBX|1|NM|${HB}||131|g/L|117-153|N|||F|||20260901080000+0100`),
  });
});
afterAll(async () => {
  await nord.close();
  drop.cleanup();
});

describe('H4 allergy, medication or result lost, altered or merged away', () => {
  it('reaches every record from one item, keeps values, merges only the same fact', async () => {
    const [fhir] = createSourceAdapters(
      readConfig({ sources: [{ id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 10_000 }] }),
    );
    const s = await openTolvan([fhir!, drop.source]);
    const sent = s.sources.reduce((n, x) => n + x.itemCount, 0);
    const shown = allItems(s).flatMap((i) => i.sources.map((p) => `${p.sourceId}|${p.recordId}`));
    // Nothing lost, nothing shown twice.
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown).toHaveLength(sent);
    // The same allergy from both sources is one item, naming both; the other allergy stays its own.
    const penicillin = s.sections.allergies.filter((i) => i.codes.some((c) => c.code === '764146007'));
    expect(penicillin).toHaveLength(1);
    expect(new Set(penicillin[0]?.sources.map((p) => p.sourceId))).toEqual(new Set(['region-nord', 'lab']));
    expect(s.sections.allergies.filter((i) => i.codes.some((c) => c.code === '111088007'))).toHaveLength(1);
    // Medications from the region, all still there.
    expect(s.sections.medications.length).toBeGreaterThan(0);
    // Three Hb measurements at three times (two alike): three items, each with its own value.
    const hb = s.sections.results.filter((i) => i.codes.some((c) => c.code === '718-7') && i.sources.some((p) => p.sourceId === 'lab'));
    expect(hb.map((i) => [i.date?.slice(0, 10), i.value]).sort()).toEqual([
      ['2026-03-01', { value: 113, unit: 'g/L' }],
      ['2026-06-01', { value: 131, unit: 'g/L' }],
      ['2026-09-01', { value: 131, unit: 'g/L' }],
    ]);
  });
});
