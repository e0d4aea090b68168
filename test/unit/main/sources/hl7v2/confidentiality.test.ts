/**
 * Sealed information in HL7 v2: the markers each source's profile names
 * (hl7SourceConfig.ts confidentiality). Scopes: PID/PD1 the patient in the
 * message, ORC/OBR the order group, any other segment its own items.
 */
import { describe, expect, it } from 'vitest';
import { mapHl7Message } from '../../../../../src/main/sources/hl7v2/hl7Map';
import { parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { confidentialityRuleSchema, mllpSourceSchema } from '../../../../../src/main/sources/hl7v2/hl7SourceConfig';

const MSH = 'MSH|^~\\&|EPJ|KV|SAMSYN|SAMSYN|20261101100000+0100||ORU^R01^ORU_R01|C1|P|2.5';
const PID = 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M';
const RULES = [
  confidentialityRuleSchema.parse({ segment: 'PD1', field: 12, values: ['Y'] }),
  confidentialityRuleSchema.parse({ segment: 'OBR', field: 47, values: ['R', 'V'] }),
  confidentialityRuleSchema.parse({ segment: 'AL1', field: 7, values: ['SEALED'] }),
];

function map(segments: string[], confidentiality = RULES) {
  const doc = parseHl7Document([MSH, ...segments].join('\r'));
  const view = doc.entries[0]?.view;
  if (!view) throw doc.entries[0]?.error ?? new Error('no message');
  return mapHl7Message(view, { sourceId: 'kv', sourceName: 'KV', fetchedAt: '2026-11-01T10:00:00Z', recordPrefix: '', confidentiality });
}

const OBR = (n: number, flag = '') => `OBR|${n}|P${n}||1988-5^CRP^LN|||20261101080000${'|'.repeat(40)}${flag}`;
const OBX = (n: number) => `OBX|${n}|NM|1988-5^CRP^LN||${n}|mg/L|||||F|||20261101080000`;
const sealedOf = (items: { sealed: boolean }[]) => items.map((i) => i.sealed);

describe('HL7 v2 sealed markers per source profile', () => {
  it('PD1-12 "Y" seals everything about that patient in the message', () => {
    expect(sealedOf(map([PID, `PD1${'|'.repeat(12)}Y`, OBR(1), OBX(1), 'AL1|1|DA|70618^Penicillin^RXNORM|SV']).items)).toEqual([true, true]);
    expect(sealedOf(map([PID, `PD1${'|'.repeat(12)}N`, OBR(1), OBX(1)]).items)).toEqual([false]);
  });

  it('an OBR marker seals its order group only', () => {
    const { items } = map([PID, OBR(1, 'R'), OBX(1), OBX(2), OBR(2), OBX(3)]);
    expect(sealedOf(items)).toEqual([true, true, false]);
  });

  it('a marker on a clinical segment seals that item only; a rule naming another value or no rules seal nothing', () => {
    const al1 = (n: number, mark: string) => `AL1|${n}|DA|70618^Penicillin^RXNORM|SV|Urtikaria||${mark}`;
    expect(sealedOf(map([PID, al1(1, 'SEALED'), al1(2, '')]).items)).toEqual([true, false]);
    expect(sealedOf(map([PID, al1(1, 'OPEN')]).items)).toEqual([false]);
    expect(sealedOf(map([PID, `PD1${'|'.repeat(12)}Y`, OBX(1)], []).items)).toEqual([false]);
  });

  it('is part of a source’s configuration, bounded', () => {
    const base = { id: 'kv', name: 'KV', kind: 'hl7v2-mllp', port: 2575 };
    expect(mllpSourceSchema.parse({ ...base, confidentiality: [{ segment: 'PD1', field: 12, values: ['Y'] }] }).confidentiality).toEqual([
      { segment: 'PD1', field: 12, component: 1, values: ['Y'] },
    ]);
    expect(mllpSourceSchema.safeParse({ ...base, confidentiality: [{ segment: 'pd1', field: 12, values: ['Y'] }] }).success).toBe(false);
    expect(mllpSourceSchema.safeParse({ ...base, confidentiality: [{ segment: 'PD1', field: 12, values: [] }] }).success).toBe(false);
  });
});
