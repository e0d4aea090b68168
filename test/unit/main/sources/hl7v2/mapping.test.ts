import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapHl7Message } from '../../../../../src/main/sources/hl7v2/hl7Map';
import { parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';
import { decodeHl7Bytes, declaredCharset } from '../../../../../src/main/sources/hl7v2/hl7Text';
import { readHl7File } from '../../../../../src/main/sources/hl7v2/hl7File';
import { hl7Date } from '../../../../../src/main/sources/hl7v2/mappers/common';

const CTX = { sourceId: 'kv', sourceName: 'Kommun Väst', fetchedAt: '2026-11-01T10:00:00.000Z', recordPrefix: '' };
const MSH = 'MSH|^~\\&|EPJ|KV|SAMSYN|SAMSYN|20261101100000+0100||RSP^K11^RSP_K11|C1|P|2.5';
const PID = 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE~KV-55012^^^KOMMUN-VAST&1.2.752.999.1&ISO^PI||Tolvansson^Tolvan||19121212|M';

function map(...segments: string[]) {
  const doc = parseHl7Document([MSH, ...segments].join('\r'));
  const view = doc.entries[0]?.view;
  if (!view) throw doc.entries[0]?.error ?? new Error('no message');
  return mapHl7Message(view, CTX);
}

describe('PID → subject', () => {
  it('lists every PID-3 repetition, a national-id authority as urn:oid:, others as given (namespace and universal id)', () => {
    const { subjects } = map(PID);
    expect(subjects).toEqual([
      {
        identifiers: [
          { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' },
          { system: 'KOMMUN-VAST', value: 'KV-55012' },
          { system: '1.2.752.999.1', value: 'KV-55012' },
        ],
        name: 'Tolvan Tolvansson',
        birthDate: '1912-12-12',
        gender: 'male',
      },
    ]);
  });

  it('keeps a PID-3 identifier without authority without a system, never guessing one', () => {
    const { subjects } = map('PID|1||191212121212^^^^NNSWE||X^Y');
    expect(subjects[0]?.identifiers).toEqual([{ value: '191212121212' }]);
  });

  it('gives a clinical segment before any PID a subject with no identifiers, so the guard rejects it', () => {
    const { subjects, items } = map('AL1|1|DA|764146007^Penicillin^SCT|SV');
    expect(items).toHaveLength(1);
    expect(subjects).toEqual([{ identifiers: [] }]);
  });
});

describe('allergies', () => {
  it('does not give the answer time (MSH-7) as the date a fact was recorded', () => {
    const [item] = map(PID, 'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria|').items;
    expect(item?.provenance.recordedAt).toBeUndefined();
    expect(item?.provenance.fetchedAt).toBe(CTX.fetchedAt);
  });

  it('maps AL1 with severity, reactions (repetitions), type and date', () => {
    const [item] = map(PID, 'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria~Andnöd|20090317').items;
    expect(item).toMatchObject({
      section: 'allergies',
      codes: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }],
      text: 'Penicillin',
      status: 'active',
      date: '2009-03-17',
      details: {
        criticality: 'high',
        category: ['drug'],
        reactions: [
          { manifestations: ['Urtikaria'], severity: 'severe' },
          { manifestations: ['Andnöd'], severity: 'severe' },
        ],
      },
      provenance: { sourceId: 'kv', sourceName: 'Kommun Väst', recordId: 'AL1/1', fetchedAt: CTX.fetchedAt },
    });
  });

  it('keeps a mild or moderate severity on the reactions without calling the allergy low-risk, and a severity with no reaction', () => {
    const [mild, moderate] = map(
      PID,
      'AL1|1|FA|256349002^Jordnötter^SCT|MI|Klåda|20230512',
      'AL1|2|DA|J01CE^Penicilliner^WC|MO||20190101',
    ).items;
    expect(mild?.details).toEqual({ category: ['food'], reactions: [{ manifestations: ['Klåda'], severity: 'mild' }] });
    expect(moderate?.details).toEqual({ category: ['drug'], reactions: [{ manifestations: [], severity: 'moderate' }] });
  });

  it('maps IAM, with a delete action kept visible as entered-in-error', () => {
    const [active, deleted] = map(
      PID,
      'IAM|1|FA|256349002^Jordnötter^SCT|MI|Klåda|A|ALG-1||||20230512||||||C^Bekräftad',
      'IAM|2|DA|J01CE^Penicilliner^WC|MO||D|ALG-2',
    ).items;
    expect(active).toMatchObject({ status: 'active', date: '2023-05-12', details: { verificationStatus: 'confirmed' } });
    expect(active?.provenance.recordId).toBe('IAM/ALG-1');
    expect(deleted).toMatchObject({ status: 'entered-in-error', codes: [{ system: 'http://www.whocc.no/atc', code: 'J01CE' }] });
  });

  it('dates an inactive IAM allergy by IAM-20 (statused at)', () => {
    const [inactive, undated] = map(
      PID,
      'IAM|1|DA|J01E^Sulfonamider^WC|MO||U|ALG-3||||20090514||||||I^Inaktiv|||20210302',
      'IAM|2|DA|J01CE^Penicilliner^WC|MO||U|ALG-4||||20100101||||||C^Bekräftad',
    ).items;
    expect(inactive).toMatchObject({ status: 'inactive', date: '2009-05-14', details: { statusDate: '2021-03-02', statusDateKind: 'statused' } });
    expect(undated?.details).not.toHaveProperty('statusDate');
  });
});

describe('medications and immunizations', () => {
  it('reads the frequency from RXE-1 (TQ.2 interval), never from the dosage text', () => {
    const [timed, untimed] = map(
      PID,
      'ORC|NW|ORD-7||||IP||||20260301080000+0100',
      'RXE|^BID^^20260301|C07AB02^Metoprolol^WC|50||mg|TAB^Tablett|1 tablett morgon och kväll',
      'ORC|NW|ORD-8||||IP||||20260301080000+0100',
      'RXE|^^^20260301|C07AB02^Metoprolol^WC|50||mg|TAB^Tablett|1 tablett två gånger dagligen',
    ).items;
    expect(timed?.details).toMatchObject({ frequency: '2×/d' });
    expect(untimed?.details).not.toHaveProperty('frequency');
  });

  it('maps ORC + RXE + RXR keeping every code system (national product id and ATC)', () => {
    const [item] = map(
      PID,
      'ORC|NW|ORD-2||||IP||||20260301080000+0100',
      'RXE|^^^20260301|20110318000016^Eliquis 5 mg^NPL^B01AF02^apixaban^WC|5||mg|TAB^Tablett|1 tablett två gånger dagligen',
      'RXR|PO^Oralt',
    ).items;
    expect(item).toMatchObject({
      section: 'medications',
      codes: [
        // HL7 v2's "NPL" is Läkemedelsverket's NPL-id, the system FHIR sources name by its OID.
        { system: 'urn:oid:1.2.752.129.2.1.5.1', code: '20110318000016' },
        { system: 'http://www.whocc.no/atc', code: 'B01AF02', display: 'apixaban' },
      ],
      text: 'Eliquis 5 mg',
      status: 'active',
      date: '2026-03-01',
      details: { dose: '5 mg', form: 'Tablett', route: 'Oralt', placerOrder: 'ORD-2' },
    });
  });

  it('maps RXO with a discontinued order status', () => {
    const [item] = map(PID, 'ORC|DC|ORD-3||||DC', 'RXO|C07AB02^Metoprolol^WC|50||mg').items;
    expect(item).toMatchObject({ section: 'medications', status: 'stopped', details: { dose: '50 mg' } });
  });

  it('sorts a vaccine RXA into immunizations and another RXA into medications', () => {
    const [vaccine, drug] = map(
      PID,
      'RXA|0|1|20251021090000+0100|20251021090000+0100|J07BB02^Influensavaccin^WC|0.5|mL',
      'RXA|0|1|20251022|20251022|N02BE01^Paracetamol^WC|1|g|||||||||||||RE',
    ).items;
    expect(vaccine).toMatchObject({ section: 'immunizations', date: '2025-10-21T09:00:00+01:00', status: 'completed' });
    expect(drug).toMatchObject({ section: 'medications', status: 'not-done' });
  });
});

describe('problems', () => {
  it('maps DG1 with ICD-10-SE (system from DG1-2 when DG1-3 names none) and PRB with ICPC-2', () => {
    const [dg1, prb] = map(
      PID,
      'DG1|1|I10SE|I48.9^Förmaksflimmer|||W',
      'PRB|AD|20240114|K86^Hypertoni^ICPC2|PRB-7|||19980520||||||C^Bekräftad|active^Aktiv||19980520',
    ).items;
    expect(dg1).toMatchObject({ section: 'problems', codes: [{ system: 'urn:oid:1.2.752.116.1.1.1.1.3', code: 'I48.9' }] });
    expect(prb).toMatchObject({
      codes: [{ system: 'http://hl7.org/fhir/sid/icpc-2', code: 'K86' }],
      status: 'active',
      date: '1998-05-20',
      details: { verificationStatus: 'Bekräftad' },
    });
  });

  it('maps an ICD-10 DG1 to the FHIR ICD-10 system', () => {
    const [dg1] = map(PID, 'DG1|1||I10^Essentiell hypertoni^I10').items;
    expect(dg1?.codes).toEqual([{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Essentiell hypertoni' }]);
  });
});

describe('results', () => {
  const items = map(
    PID,
    'OBR|1|P-1|F-1|14682-9^Kreatinin^LN|||20260915090000+0100||||||||||||||||||F',
    'OBX|1|NM|14682-9^Creatinine^LN||112|umol/L^umol/L^UCUM|60-105|H~A|||F',
    'OBX|2|SN|1988-5^CRP^LN||<^5|mg/L|<5|N|||P|||20260915100000+0100',
    'OBX|3|TX|11506-3^Anteckning^LN||Rad ett\\.br\\rad två~Rad tre||||||C',
    'OBX|4|NM|2823-3^Kalium^LN||4,4|mmol/L|||||X',
    'OBX|5|CE|883-9^Blodgrupp^LN||A^Blodgrupp A^L||||||F',
  ).items;

  it('maps a numeric value with unit, reference range, abnormal flags (repetitions) and status; time from OBR-7', () => {
    expect(items[0]).toMatchObject({
      section: 'results',
      codes: [{ system: 'http://loinc.org', code: '14682-9' }],
      value: { value: 112, unit: 'umol/L' },
      status: 'final',
      date: '2026-09-15T09:00:00+01:00',
      details: {
        referenceRange: [{ text: '60-105' }],
        interpretation: [
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0078', code: 'H' },
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0078', code: 'A' },
        ],
        order: 'Kreatinin',
        fillerOrder: 'F-1',
      },
    });
  });

  it('maps SN with a comparator, preliminary status and the OBX-14 time', () => {
    expect(items[1]).toMatchObject({
      value: { comparator: '<', value: 5, unit: 'mg/L' },
      status: 'preliminary',
      date: '2026-09-15T10:00:00+01:00',
    });
  });

  it('maps a text result with every repetition and line break, and reads a decimal comma', () => {
    expect(items[2]).toMatchObject({ value: 'Rad ett\nrad två\nRad tre', status: 'corrected' });
    expect(items[3]).toMatchObject({ value: { value: 4.4, unit: 'mmol/L' }, status: 'cancelled' });
    expect(items[4]).toMatchObject({ value: 'Blodgrupp A' });
  });
});

describe('encounters', () => {
  it('maps PV1 with PV2 reason, class, location, visit number and times', () => {
    const pv1 = ['PV1', '1', 'O', 'Elevhälsan^^^Kommun Väst', ...Array(6).fill(''), 'SKH', ...Array(8).fill(''), 'V-44']
      .concat(Array(24).fill(''))
      .concat(['20250910100000+0200', '20250910103000+0200'])
      .join('|');
    const [item] = map(PID, pv1, 'PV2|||Z00.1^Hälsokontroll^I10SE').items;
    expect(item).toMatchObject({
      section: 'encounters',
      text: 'Hälsokontroll',
      status: 'finished',
      date: '2025-09-10T10:00:00+02:00',
      codes: [{ system: 'urn:oid:1.2.752.116.1.1.1.1.3', code: 'Z00.1' }],
      details: {
        class: { system: 'http://terminology.hl7.org/CodeSystem/v2-0004', code: 'O' },
        careUnit: 'Elevhälsan, Kommun Väst',
        service: 'SKH',
        periodEnd: '2025-09-10T10:30:00+02:00',
      },
      provenance: { recordId: 'PV1/V-44' },
    });
  });
});

describe('escape sequences, repetitions, character sets', () => {
  it('decodes \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ and \\X..\\ in values', () => {
    const [item] = map(PID, 'AL1|1|MA|X1^A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\F\\X41\\^L|MI').items;
    expect(item?.text).toBe('A|B^C&D~E\\FA');
  });

  it('decodes MSH-18 8859/1 so å ä ö æ ø survive', () => {
    const text = `MSH|^~\\&|A|B|C|D|2026||ORU^R01|X|P|2.5|||||NOR|8859/1\rPID|1||191212121212^^^1.2.752.129.2.1.3.1||Ørnæs^Åsa\rOBX|1|TX|x^y^L||blåbär, smør, grød||||||F`;
    const bytes = Buffer.from(text, 'latin1');
    expect(declaredCharset(bytes)).toBe('8859/1');
    const decoded = decodeHl7Bytes(bytes);
    expect(decoded).toContain('Ørnæs^Åsa');
    const content = readHl7File(bytes, CTX);
    expect(content.messages[0]?.mapped?.items[0]?.value).toBe('blåbär, smør, grød');
    expect(content.messages[0]?.mapped?.subjects[0]?.name).toBe('Åsa Ørnæs');
  });

  it('refuses an undeclared message that is not UTF-8 instead of guessing its character set', () => {
    const bytes = Buffer.from('MSH|^~\\&|A|B|C|D|2026||ORU^R01|X|P|2.5\rPID|1||x||Åsa', 'latin1');
    expect(() => decodeHl7Bytes(bytes)).toThrow('HL7_CHARSET_UNSUPPORTED');
  });

  it('reads a latin1 lab file from disk with its Swedish text intact', () => {
    const bytes = readFileSync(join(__dirname, '../../../../fixtures/hl7/oru-latin1-tolvan.hl7'));
    const content = readHl7File(bytes, CTX);
    expect(content.messages[0]?.mapped?.items[0]?.value).toBe('Ökat kreatinin jämfört med föregående prov; åtgärd enligt rutin.');
  });
});

describe('HL7 dates', () => {
  it.each([
    ['2026', '2026'],
    ['202609', '2026-09'],
    ['20260915', '2026-09-15'],
    ['202609150900', '2026-09-15T09:00:00'],
    ['20260915090000+0100', '2026-09-15T09:00:00+01:00'],
    ['20260915090000.123-0500', '2026-09-15T09:00:00.123-05:00'],
    ['20261315', undefined],
    ['yesterday', undefined],
  ])('%s → %s', (input, expected) => {
    expect(hl7Date(input)).toBe(expected);
  });
});

describe('structure checks', () => {
  it('names the message and segment position of a malformed message, never its content', () => {
    const doc = parseHl7Document(`${MSH}\r${PID}\rnot a segment`);
    expect(doc.entries[0]?.error?.code).toBe('HL7_MALFORMED');
    expect(doc.entries[0]?.error?.params).toEqual({ message: 1, segment: 3 });
  });

  it('rejects a batch whose BTS count does not match the messages found', () => {
    expect(() => parseHl7Document(`BHS|^~\\&\r${MSH}\r${PID}\rBTS|2`)).toThrow('HL7_MALFORMED');
  });
});

describe('HL7 v2 record ids', () => {
  it('never have an empty part and never repeat within a message, even when OBX set ids restart per order', () => {
    const { items } = map(
      PID,
      'OBX|1|NM|2823-3^Kalium^LN||4.1|mmol/L|||||F',
      'OBR|1||F-9|24326-1^Elektrolyter^LN',
      'OBX|1|NM|2823-3^Kalium^LN||4.2|mmol/L|||||F',
      'OBR|2||F-9|24326-1^Elektrolyter^LN',
      'OBX|1|NM|2823-3^Kalium^LN||4.3|mmol/L|||||F',
      'RXA|0||20250101|20250101|J07BB02^Influensavaccin^WC|0.5|mL',
    );
    const ids = items.map((i) => i.provenance.recordId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).not.toMatch(/\/\/|\/$|^$/);
  });
});

describe('HL7 v2 wording', () => {
  it('states "no known allergies" as a stated absence, not as an allergy', () => {
    const [nka] = map(PID, 'AL1|1||NKA^No known allergies^L').items;
    expect(nka?.details.absence).toBe('noneKnown');
  });

  it("prefers the source's own name of a test over LOINC's English long name", () => {
    const viaOrder = map(PID, 'OBR|1||F-1|1988-5^CRP^LN', 'OBX|1|NM|1988-5^C reactive protein [Mass/volume] in Serum or Plasma^LN||4|mg/L|||||F|||20260915').items[0];
    expect(viaOrder?.text).toBe('CRP');
    const viaAlternate = map(PID, 'OBX|1|NM|1988-5^C reactive protein [Mass/volume] in Serum or Plasma^LN^NPU19748^P-CRP^NPU||4|mg/L|||||F|||20260915').items[0];
    expect(viaAlternate?.text).toBe('P-CRP');
    const plain = map(PID, 'OBR|1||F-1|24326-1^Elektrolyter^LN', 'OBX|1|NM|2823-3^Kalium^LN||4.1|mmol/L|||||F|||20260915').items[0];
    expect(plain?.text).toBe('Kalium');
  });
});
