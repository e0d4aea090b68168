import { describe, expect, it } from 'vitest';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { mapFhirResource, type MapContext } from '../../../../../src/main/sources/fhir/mappers';
import type { ClinicalItem } from '../../../../../src/shared/summary';
import { loadFhirFixture } from '../../../../fixtures/fhir/load';

const ctx: MapContext = { sourceId: 'region-sthlm', sourceName: 'Region Stockholm', fetchedAt: '2024-11-02T10:00:00.000Z' };

/** The details as plain data, for reading one field whatever the item's section. */
const d = (item: ClinicalItem | null | undefined): Record<string, unknown> => (item?.details ?? {}) as Record<string, unknown>;

function map(name: string): ClinicalItem {
  const item = mapFhirResource(loadFhirFixture(name), ctx);
  if (!item) throw new Error(`fixture ${name} did not map`);
  return item;
}

describe('AllergyIntolerance', () => {
  it('maps codes, text, status, reactions and marks high criticality as critical', () => {
    const item = map('allergy-penicillin-high.json');
    expect(item.section).toBe('allergies');
    expect(item.text).toBe('Penicillin');
    expect(item.status).toBe('active');
    expect(item.codes).toContainEqual({ system: 'http://www.whocc.no/atc', code: 'J01CE02', display: 'Fenoximetylpenicillin' });
    expect(item.details).toMatchObject({
      criticality: 'high',
      category: ['medication'],
      type: 'allergy',
      reactions: [{ manifestations: ['Anafylaxi', 'Urtikaria'], severity: 'severe' }],
    });
    expect(item.details.absence).toBeUndefined();
    expect(item.provenance).toEqual({
      sourceId: 'region-sthlm',
      sourceName: 'Region Stockholm',
      recordId: 'AllergyIntolerance/alg-pc-1',
      recordedAt: '2019-06-14',
      fetchedAt: ctx.fetchedAt,
    });
    expect(item.sealed).toBe(false);
  });

  it('marks a stated absence and uses the display as text', () => {
    const item = map('allergy-no-known.json');
    expect(item.details.absence).toBe('noneKnown');
    expect(item.text).toBe('No known allergy');
    expect(d(item).criticality).toBeUndefined();
  });

  it('keeps a refuted allergy with status refuted instead of dropping it', () => {
    const item = map('allergy-refuted.json');
    expect(item.status).toBe('refuted');
    expect(d(item).clinicalStatus).toBe('inactive');
    expect(item.text).toBe('Jordnöt');
    // No recorded date: meta.lastUpdated is the record's own date.
    expect(item.provenance.recordedAt).toBe('2022-08-01T12:00:00+02:00');
  });

  it('dates a refuted allergy by its abatement, or by its last change labelled as such, never an active one', () => {
    const base = { resourceType: 'AllergyIntolerance', id: 'a', patient: { reference: 'Patient/p' }, code: { text: 'Sulfa' } } as const;
    const refuted = {
      ...base,
      meta: { lastUpdated: '2022-01-01T00:00:00Z' },
      clinicalStatus: { coding: [{ code: 'inactive' }] },
      verificationStatus: { coding: [{ code: 'refuted' }] },
    };
    const ext = (value: Record<string, unknown>) => [{ url: 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-abatement', ...value }];
    const abated = mapFhirResource({ ...refuted, extension: ext({ valueDateTime: '2021-03-02' }) }, ctx);
    expect(abated?.details).toMatchObject({ statusDate: '2021-03-02', statusDateKind: 'abatement' });
    const period = mapFhirResource({ ...refuted, extension: ext({ valuePeriod: { start: '2020-01-01', end: '2021-04-01' } }) }, ctx);
    expect(period?.details).toMatchObject({ statusDate: '2021-04-01', statusDateKind: 'abatement' });
    const undated = mapFhirResource(refuted, ctx);
    expect(undated?.details).toMatchObject({ statusDate: '2022-01-01T00:00:00Z', statusDateKind: 'lastUpdated' });
    const active = mapFhirResource({ ...base, meta: { lastUpdated: '2022-01-01T00:00:00Z' }, clinicalStatus: { coding: [{ code: 'active' }] } }, ctx);
    expect(active?.details).not.toHaveProperty('statusDate');
  });

  it('falls back to the code when there is neither text nor display', () => {
    const item = mapFhirResource(
      {
        resourceType: 'AllergyIntolerance',
        id: 'a',
        patient: { reference: 'Patient/p' },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '91936005' }] },
      },
      ctx,
    );
    expect(item?.text).toBe('91936005');
  });
});

describe('medications', () => {
  it('maps a MedicationStatement with ATC code, dosage and period', () => {
    const item = map('medication-statement-omeprazol.json');
    expect(item.section).toBe('medications');
    expect(item.text).toBe('Omeprazol');
    expect(item.codes[0]).toEqual({ system: 'http://www.whocc.no/atc', code: 'A02BC01', display: 'Omeprazol' });
    expect(item.status).toBe('active');
    expect(item.date).toBe('2024-01-15');
    expect(item.details).toMatchObject({ recordKind: 'stated', dosage: ['1 kapsel 1 gång dagligen'], periodEnd: '2024-12-31' });
    expect(item.provenance.recordedAt).toBe('2024-01-15T14:20:00+01:00');
  });

  it('reads a medication frequency from Dosage.timing (repeat, else code), never from its text', () => {
    const request = (dosageInstruction: unknown[]) =>
      mapFhirResource({ resourceType: 'MedicationRequest', id: 'm', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, medicationCodeableConcept: { text: 'Metoprolol' }, dosageInstruction } as never, ctx);
    expect(request([{ text: '1 x 2', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } }])?.details).toMatchObject({ frequency: '2×/d' });
    expect(request([{ timing: { code: { coding: [{ code: 'Q8H' }] } } }])?.details).toMatchObject({ frequency: '1×/8h' });
    expect(request([{ text: 'två gånger dagligen' }])?.details).not.toHaveProperty('frequency');
  });

  it('maps a MedicationRequest whose medicine is a contained Medication', () => {
    const item = map('medication-request-contained.json');
    expect(item.text).toBe('Metformin 500 mg tablett');
    expect(item.codes).toEqual([{ system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'Metformin' }]);
    expect(item.date).toBe('2024-02-01T10:05:00+01:00');
    expect(item.details).toMatchObject({
      recordKind: 'prescribed',
      intent: 'order',
      form: 'Tablett',
      dosage: ['1 tablett 2 gånger dagligen'],
      validUntil: '2025-02-01',
    });
    expect(item.provenance.recordedAt).toBe('2024-02-01T10:05:00+01:00');
  });

  it('resolves a referenced Medication through the context', () => {
    const medication: Resource = {
      resourceType: 'Medication',
      id: 'm1',
      code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'N02BE01', display: 'Paracetamol' }] },
    };
    const item = mapFhirResource(
      {
        resourceType: 'MedicationStatement',
        id: 's',
        status: 'active',
        subject: { reference: 'Patient/p' },
        medicationReference: { reference: 'Medication/m1', display: 'Alvedon' },
      },
      { ...ctx, resolve: (ref) => (ref === 'Medication/m1' ? medication : undefined) },
    );
    expect(item?.text).toBe('Paracetamol');
    expect(item?.codes[0]?.code).toBe('N02BE01');
  });
});

describe('Condition', () => {
  it('maps ICD-10-SE and SNOMED codes, onset, category and sealing', () => {
    const item = map('condition-diabetes-sealed.json');
    expect(item.section).toBe('problems');
    expect(item.codes.map((c) => c.code)).toEqual(['E11.9', '44054006']);
    expect(item.text).toBe('Diabetes mellitus typ 2 utan komplikationer');
    expect(item.status).toBe('active');
    expect(item.date).toBe('2018-05-03');
    expect(d(item).category).toEqual(['problem-list-item']);
    expect(item.sealed).toBe(true);
    expect(item.provenance.recordedAt).toBe('2018-05-04T09:00:00+02:00');
  });

  it('treats very restricted (V) as sealed and normal (N) as not', () => {
    const base = { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p' }, code: { text: 'X' } } as const;
    const sealed = (code: string): boolean | undefined =>
      mapFhirResource(
        { ...base, meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] } },
        ctx,
      )?.sealed;
    expect(sealed('V')).toBe(true);
    expect(sealed('N')).toBe(false);
  });
});

describe('Observation', () => {
  it('maps a laboratory result with quantity, reference range and interpretation', () => {
    const item = map('observation-hba1c.json');
    expect(item.section).toBe('results');
    expect(item.text).toBe('HbA1c');
    expect(item.value).toEqual({ value: 58, unit: 'mmol/mol' });
    expect(item.date).toBe('2024-10-01T08:10:00+02:00');
    expect(item.provenance.recordedAt).toBe('2024-10-01T13:45:00+02:00');
    expect(item.details).toMatchObject({
      category: ['laboratory'],
      interpretation: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' }],
      referenceRange: [{ text: '31 mmol/mol–46 mmol/mol', low: { value: 31, unit: 'mmol/mol' }, high: { value: 46, unit: 'mmol/mol' } }],
    });
  });

  it('keeps the comparator of a censored value and a textual reference range', () => {
    const item = map('observation-crp-less-than.json');
    expect(item.value).toEqual({ value: 5, unit: 'mg/L', comparator: '<' });
    expect(d(item).referenceRange).toEqual([{ text: '< 5 mg/L' }]);
    expect(item.section).toBe('results');
  });

  it('reads a blood pressure panel from its components', () => {
    const item = map('observation-blood-pressure.json');
    expect(item.section).toBe('results');
    expect(item.value).toBe('Systoliskt: 142 mm[Hg]; Diastoliskt: 88 mm[Hg]');
    expect(d(item).components).toEqual([
      { text: 'Systoliskt', codes: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }], value: { value: 142, unit: 'mm[Hg]' } },
      { text: 'Diastoliskt', codes: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }], value: { value: 88, unit: 'mm[Hg]' } },
    ]);
  });

  it('puts an estimated delivery date in the pregnancy section', () => {
    const item = map('observation-edd.json');
    expect(item.section).toBe('pregnancy');
    expect(item.value).toBe('2025-01-28');
    expect(item.text).toBe('Delivery date Estimated');
  });

  it('puts a patient-performed measurement in homeMeasurements', () => {
    const item = map('observation-home-weight.json');
    expect(item.section).toBe('homeMeasurements');
    expect(d(item).selfReported).toBe('performer');
    expect(item.value).toEqual({ value: 84.2, unit: 'kg' });
  });

  it.each([
    ['survey category', { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }] }, 'category'],
    ['patient-reported tag', { meta: { tag: [{ system: 'https://samsyn.example/tag', code: 'patient-reported' }] } }, 'tag'],
  ])('recognizes a home measurement by %s', (_label, extra, reason) => {
    const obs: Observation = {
      resourceType: 'Observation',
      id: 'o',
      status: 'final',
      code: { text: 'Blodsocker' },
      subject: { reference: 'Patient/p' },
      valueQuantity: { value: 6.1, unit: 'mmol/L' },
      ...extra,
    };
    const item = mapFhirResource(obs, ctx);
    expect(item?.section).toBe('homeMeasurements');
    expect(d(item).selfReported).toBe(reason);
  });

  it('maps a pregnancy status given as a coded value', () => {
    const item = mapFhirResource(
      {
        resourceType: 'Observation',
        id: 'p',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '82810-3', display: 'Pregnancy status' }] },
        subject: { reference: 'Patient/p' },
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '77386006', display: 'Pregnant' }] },
      },
      ctx,
    );
    expect(item?.section).toBe('pregnancy');
    expect(item?.value).toBe('Pregnant');
  });
});

describe('other sections', () => {
  it('maps an Immunization', () => {
    const item = map('immunization-tbe.json');
    expect(item.section).toBe('immunizations');
    expect(item.text).toBe('TBE-vaccin');
    expect(item.status).toBe('completed');
    expect(item.date).toBe('2023-04-18T13:00:00+02:00');
    expect(item.details).toMatchObject({ lotNumber: 'TBE-2023-0042', doseNumber: '2', targetDisease: ['Fästingburen encefalit'] });
    expect(item.provenance.recordedAt).toBe('2023-04-18T13:05:00+02:00');
  });

  it('maps an Encounter', () => {
    const item = map('encounter-visit.json');
    expect(item.section).toBe('encounters');
    expect(item.text).toBe('Diabetesmottagning, återbesök');
    expect(item.date).toBe('2024-10-01T09:00:00+02:00');
    expect(item.details).toMatchObject({
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      periodEnd: '2024-10-01T09:40:00+02:00',
      careUnit: 'Vårdcentralen Solna',
      reason: ['Årskontroll diabetes'],
    });
    expect(item.provenance.recordedAt).toBe('2024-10-01T12:00:00+02:00');
  });

  it('maps a Procedure coded in KVÅ', () => {
    const item = map('procedure-appendectomy.json');
    expect(item.section).toBe('procedures');
    expect(item.text).toBe('Laparoskopisk appendektomi');
    expect(item.codes[0]?.code).toBe('JEA01');
    expect(item.date).toBe('2015-03-02T14:00:00+01:00');
    expect(item.details).toMatchObject({ performedEnd: '2015-03-02T15:10:00+01:00', bodySite: ['Appendix'] });
    expect(item.provenance.recordedAt).toBeUndefined();
  });

  it('maps a DocumentReference', () => {
    const item = map('document-discharge.json');
    expect(item.section).toBe('documents');
    expect(item.text).toBe('Epikris efter vårdtillfälle 2024-05-06 – 2024-05-10');
    expect(item.status).toBe('final');
    expect(item.date).toBe('2024-05-10T16:00:00+02:00');
    expect(item.details).toMatchObject({
      type: 'Epikris',
      authors: ['Kirurgkliniken, Karolinska'],
      attachments: [{ contentType: 'application/pdf', title: 'Epikris.pdf', url: 'Binary/doc-1-pdf' }],
    });
  });

  it('maps a CarePlan', () => {
    const item = map('careplan-diabetes.json');
    expect(item.section).toBe('carePlans');
    expect(item.text).toBe('Vårdplan diabetes typ 2');
    expect(item.status).toBe('active');
    expect(item.date).toBe('2024-02-01');
    expect(item.details).toMatchObject({ intent: 'plan', periodEnd: '2025-02-01', description: 'Kost, motion och metformin; årskontroll.' });
    expect(item.provenance.recordedAt).toBe('2024-02-01T10:30:00+01:00');
  });

  it('maps a Flag to alerts', () => {
    const item = map('flag-interpreter.json');
    expect(item.section).toBe('alerts');
    expect(item.text).toBe('Behöver tolk (finska)');
    expect(item.status).toBe('active');
    expect(item.date).toBe('2023-12-01');
    expect(d(item).category).toEqual(['Safety']);
  });

  it('returns null for resource types that are not part of the summary', () => {
    expect(mapFhirResource(loadFhirFixture('patient-tolvan.json'), ctx)).toBeNull();
    expect(mapFhirResource({ resourceType: 'Composition', status: 'final', type: {}, date: '2024', author: [], title: 't' }, ctx)).toBeNull();
  });

  it('never produces an empty text', () => {
    const bare = ['Flag', 'Encounter', 'CarePlan', 'DocumentReference', 'Observation', 'Procedure'].map((t) =>
      mapFhirResource({ resourceType: t, id: 'x' } as Resource, ctx),
    );
    for (const item of bare) expect(item?.text.trim().length).toBeGreaterThan(0);
  });
});

describe('wording', () => {
  it("prefers a national or local display over LOINC's English long name when the source gives no text", () => {
    const item = mapFhirResource(
      {
        resourceType: 'Observation',
        id: 'crp',
        status: 'final',
        code: {
          coding: [
            { system: 'http://loinc.org', code: '1988-5', display: 'C reactive protein [Mass/volume] in Serum or Plasma' },
            { system: 'urn:oid:1.2.208.176.2.1', code: 'NPU19748', display: 'P-CRP' },
          ],
        },
        subject: { reference: 'Patient/p' },
        effectiveDateTime: '2026-09-15',
        valueQuantity: { value: 4, unit: 'mg/L' },
      } as Observation,
      ctx,
    );
    expect(item?.text).toBe('P-CRP');
  });
});
