/**
 * hl7Item builds items without common/items.ts `item` (its spread and
 * Object.entries were a fifth of a batch's time, ADR 0022). It must still build
 * exactly what `item({ ...fields, sealed: false })` builds: same keys, same
 * order (JSON of a summary is hashed and compared), same dropped values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { item } from '../../../../../src/main/sources/common/items';
import { hl7Item } from '../../../../../src/main/sources/hl7v2/mappers/common';
import type { MedicationDetails } from '../../../../../src/shared/details';
import type { SectionKey } from '../../../../../src/shared/summary';

const value = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant([]),
  fc.constant(''),
  fc.constant(0),
  fc.constant(false),
  fc.string({ maxLength: 4 }),
  fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  fc.record({ system: fc.string({ maxLength: 3 }), code: fc.string({ maxLength: 3 }) }),
);
const key = fc.constantFrom('reactions', 'category', 'dose', 'route', 'notes', 'order', '0', '10', 'specimen', 'a b', 'constructor');
const maybeText = fc.oneof(fc.constant(undefined), fc.constant(''), fc.constant('  '), fc.string({ maxLength: 5 }));

const fields = fc.record({
  section: fc.constantFrom<SectionKey>('allergies', 'medications', 'results', 'problems', 'encounters', 'immunizations'),
  codes: fc.array(fc.record({ system: fc.string({ maxLength: 3 }), code: fc.string({ maxLength: 3 }) }), { maxLength: 2 }),
  text: fc.string({ maxLength: 5 }),
  status: maybeText,
  date: maybeText,
  value: fc.oneof(fc.constant(undefined), fc.constant(''), fc.string({ maxLength: 3 }), fc.record({ value: fc.integer(), unit: fc.string({ maxLength: 3 }) })),
  details: fc.dictionary(key, value, { maxKeys: 8 }),
  provenance: fc.record({ sourceId: fc.string({ maxLength: 3 }), sourceName: fc.string({ maxLength: 3 }), recordId: fc.string({ maxLength: 5 }), fetchedAt: fc.constant('2026-01-01T00:00:00Z') }),
});

describe('hl7Item', () => {
  it('builds what item({ ...fields, sealed: false }) builds, key order included', () => {
    fc.assert(
      fc.property(fields, (f) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- random details of any section
        const ours = hl7Item(f as any);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same fields
        const shared = item({ ...(f as any), sealed: false });
        expect(ours).toStrictEqual(shared);
        expect(JSON.stringify(ours)).toBe(JSON.stringify(shared));
        expect(Object.keys(ours.details)).toEqual(Object.keys(shared.details));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores inherited properties of details, as Object.entries does', () => {
    const details = Object.create({ inherited: 'x' }) as MedicationDetails;
    details.recordKind = 'prescribed';
    details.route = 'PO';
    details.dose = undefined;
    const provenance = { sourceId: 's', sourceName: 'S', recordId: 'r', fetchedAt: '2026-01-01T00:00:00Z' };
    const ours = hl7Item({ section: 'medications', codes: [], text: 't', details, provenance });
    expect(ours.details).toStrictEqual({ recordKind: 'prescribed', route: 'PO' });
    expect(ours.details).toStrictEqual(item({ section: 'medications', codes: [], text: 't', details, provenance, sealed: false }).details);
  });
});
