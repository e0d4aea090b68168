import { describe, expect, it } from 'vitest';
import { patientHeader } from '../../../../src/main/summary/patientHeader';

const query = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const ids = [query.identifier];

describe('patient header', () => {
  it('shows different names and addresses from the sources side by side, and the same one once', () => {
    const header = patientHeader(query, [
      { sourceId: 'nord', subjects: [{ identifiers: ids, name: 'Tolvan Tolvansson', address: 'Tolvgatan 12, 97231 Älvby' }] },
      { sourceId: 'syd', subjects: [{ identifiers: ids, name: 'Tolvan Tolvansson', address: 'Storgatan 1, 21111 Malmö' }] },
      { sourceId: 'vast', subjects: [{ identifiers: ids, name: 'Tolvan Tolvansson', address: 'tolvgatan 12,  97231 älvby' }] },
    ]);
    expect(header.nameConflicts).toBeUndefined();
    expect(header.addressConflicts).toEqual([
      { sourceId: 'nord', value: 'Tolvgatan 12, 97231 Älvby' },
      { sourceId: 'syd', value: 'Storgatan 1, 21111 Malmö' },
      { sourceId: 'vast', value: 'tolvgatan 12,  97231 älvby' },
    ]);
  });
});
