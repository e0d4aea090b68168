import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_SOURCE_KIND } from '../../../../../src/main/sources/hl7v2/hl7Kinds';
import { readHl7File, selectForPatient } from '../../../../../src/main/sources/hl7v2/hl7File';
import { mllpSourceSchema } from '../../../../../src/main/sources/hl7v2/hl7SourceConfig';
import { withDefaultAuthority } from '../../../../../src/main/sources/hl7v2/mappers/patient';
import type { PatientQuery } from '../../../../../src/main/sources/types';
import { guardIdentity } from '../../../../../src/main/summary/identityGuard';
import { NATIONAL_ID_SYSTEMS } from '../../../../../src/shared/identity';
import { codeOf } from '../../../../fixtures/codeOf';

const CTX = { sourceId: 'file-0', sourceName: 'adt.hl7', fetchedAt: '2026-11-01T10:00:00.000Z' };
/** PID-2 `0493575^^^2^ID 1` (authority 2), PID-3 `454721` with no assigning authority. */
const ADT_A04 = readFileSync(join(__dirname, '../../../../fixtures/thirdparty/adt-a04-simple-hl7.hl7'));

const fileAnswer = (query: PatientQuery) => {
  const read = BATCH_SOURCE_KIND.files?.read;
  if (!read) throw new Error('the batch kind reads files');
  return read(ADT_A04, { ...CTX, identifier: query.identifier });
};

describe('an HL7 v2 message whose PID-3 carries no assigning authority', () => {
  it('is opened by |VALUE, an identifier with no system', () => {
    const query: PatientQuery = { identifier: { value: '454721' } };
    const result = fileAnswer(query);
    expect(result.items.length).toBeGreaterThan(0);
    expect(codeOf(() => guardIdentity(result, query))).toBeUndefined();
  });

  it('is never matched under a system: neither an authority nor a national id OID', () => {
    for (const system of ['EPIC', NATIONAL_ID_SYSTEMS.personnummer, '2']) {
      const query: PatientQuery = { identifier: { system, value: '454721' } };
      expect(codeOf(() => guardIdentity(fileAnswer(query), query)), system).toBe('PATIENT_MISMATCH');
    }
  });

  it('does not let |VALUE claim PID-2, another system’s number', () => {
    const query: PatientQuery = { identifier: { value: '0493575' } };
    expect(codeOf(() => guardIdentity(fileAnswer(query), query))).toBe('PATIENT_MISMATCH');
    // With its authority it is an identifier like any other.
    const withSystem: PatientQuery = { identifier: { system: '2', value: '0493575' } };
    expect(codeOf(() => guardIdentity(fileAnswer(withSystem), withSystem))).toBeUndefined();
  });
});

describe('a default assigning authority', () => {
  const read = (defaultAuthority?: string) =>
    readHl7File(ADT_A04, { ...CTX, ...(defaultAuthority ? { defaultAuthority } : {}) }).messages.flatMap((m) =>
      m.mapped ? [m.mapped] : [],
    );

  it('becomes the system of PID-3 values without one, so the feed is matched exactly', () => {
    const messages = read('EPIC-MRN');
    expect(messages[0]?.subjects[0]?.identifiers).toEqual([
      { system: 'EPIC-MRN', value: '454721' },
      { system: '2', value: '0493575' },
    ]);
    const query: PatientQuery = { identifier: { system: 'EPIC-MRN', value: '454721' } };
    const result = selectForPatient(messages, query.identifier, CTX.fetchedAt);
    expect(result.items.length).toBeGreaterThan(0);
    expect(codeOf(() => guardIdentity(result, query))).toBeUndefined();
  });

  it('then no longer matches |VALUE or another authority: nothing is matched across systems', () => {
    const messages = read('EPIC-MRN');
    for (const identifier of [{ value: '454721' }, { system: 'OTHER', value: '454721' }]) {
      const result = selectForPatient(messages, identifier, CTX.fetchedAt);
      expect(codeOf(() => guardIdentity(result, { identifier })), JSON.stringify(identifier)).toBe('PATIENT_MISMATCH');
    }
  });

  it('names a national id system when it is that OID, and leaves identifiers with a system alone', () => {
    const subject = {
      identifiers: [{ value: '191212121212' }, { system: 'KOMMUN-VAST', value: 'KV-1' }],
      name: 'Tolvan Tolvansson',
    };
    expect(withDefaultAuthority(subject, '1.2.752.129.2.1.3.1')).toEqual({
      identifiers: [
        { system: NATIONAL_ID_SYSTEMS.personnummer, value: '191212121212' },
        { system: 'KOMMUN-VAST', value: 'KV-1' },
      ],
      name: 'Tolvan Tolvansson',
    });
    expect(withDefaultAuthority(subject, undefined)).toBe(subject);
  });

  it('is configured per MLLP source, without blanks around it or HL7 delimiters in it', () => {
    const base = { id: 'kv', name: 'KV', kind: 'hl7v2-mllp', port: 2575 };
    expect(mllpSourceSchema.parse({ ...base, defaultAuthority: 'EPIC MRN' }).defaultAuthority).toBe('EPIC MRN');
    expect(mllpSourceSchema.parse(base).defaultAuthority).toBeUndefined();
    for (const bad of ['', ' EPIC', 'EPIC ', 'A^B', 'A&B', 'A|B', 'A~B', 'A\\B']) {
      expect(mllpSourceSchema.safeParse({ ...base, defaultAuthority: bad }).success, bad).toBe(false);
    }
  });
});

describe('a PID whose birth date or sex contradicts its national id', () => {
  const OLA = '31129956715'; // fødselsnummer, 1899-12-31, male
  const file = (pid: string) =>
    Buffer.from(['MSH|^~\\&|EPJ|NORD|SAMSYN|SAMSYN|20261101100000||ADT^A08|C1|P|2.5', pid, 'AL1|1|DA|764146007^Penicillin^SCT|SV'].join('\r'));
  const query: PatientQuery = { identifier: { system: NATIONAL_ID_SYSTEMS.fodselsnummer, value: OLA } };
  const answer = (pid: string) => {
    const read = BATCH_SOURCE_KIND.files?.read;
    if (!read) throw new Error('the batch kind reads files');
    return read(file(pid), { ...CTX, identifier: query.identifier });
  };

  it('is rejected with its own code, its data never passed on', () => {
    expect(codeOf(() => guardIdentity(answer(`PID|1||${OLA}^^^2.16.578.1.12.4.1.4.1||Nordmann^Ola||18991231|F`), query))).toBe(
      'PATIENT_DEMOGRAPHICS_MISMATCH',
    );
    expect(codeOf(() => guardIdentity(answer(`PID|1||${OLA}^^^2.16.578.1.12.4.1.4.1||Nordmann^Ola||19991231|M`), query))).toBe(
      'PATIENT_DEMOGRAPHICS_MISMATCH',
    );
  });

  it('passes when they agree or are not given', () => {
    expect(codeOf(() => guardIdentity(answer(`PID|1||${OLA}^^^2.16.578.1.12.4.1.4.1||Nordmann^Ola||18991231|M`), query))).toBeUndefined();
    expect(codeOf(() => guardIdentity(answer(`PID|1||${OLA}^^^2.16.578.1.12.4.1.4.1||Nordmann^Ola|||U`), query))).toBeUndefined();
  });
});

describe('PID-11', () => {
  it('gives the address as one line, for showing disagreements only', () => {
    const bytes = Buffer.from(
      'MSH|^~\\&|EPJ|KV|SAMSYN|SAMSYN|20261101100000||ADT^A08|C1|P|2.5\rPID|1||191212121212^^^1.2.752.129.2.1.3.1||Tolvansson^Tolvan||19121212|M|||Tolvgatan 12^^Älvby^^97231^SE',
    );
    const [message] = readHl7File(bytes, CTX).messages;
    expect(message?.mapped?.subjects[0]?.address).toBe('Tolvgatan 12, 97231 Älvby, SE');
  });
});
