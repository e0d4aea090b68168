/**
 * The "heavy chronic" sandbox patient: twelve years of type 1 diabetes with
 * progressing kidney disease, so paging, long result lists and trend charts are
 * exercised against realistic volume. Generated at load time from a seeded PRNG
 * (same seed, same resources, same ids) instead of committing megabytes of JSON.
 */
import type {
  AllergyIntolerance,
  CarePlan,
  CodeableConcept,
  Condition,
  DocumentReference,
  Encounter,
  Flag,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';

/** Skatteverket test personnummer (published test list), male, born 1982-04-21. */
export const HEAVY_PATIENT_PERSONNUMMER = '198204212396';
export const HEAVY_PATIENT_ID = 'nord-pat-5b8d20';
export const HEAVY_PATIENT_REGION = 'nord';
export const HEAVY_PATIENT_NAME = 'Sven Kronberg';

const SEED = 0x5a3d_2014;
const FIRST_VISIT = Date.UTC(2014, 10, 3, 7, 30); // 2014-11-03
const LAST_DAY = Date.UTC(2026, 9, 31, 23, 59); // 2026-10-31
const DAY = 86_400_000;

const SCT = 'http://snomed.info/sct';
const ATC = 'http://www.whocc.no/atc';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const LOINC = 'http://loinc.org';
const NPU = 'urn:oid:1.2.208.176.2.1';
const UCUM = 'http://unitsofmeasure.org';
const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem/';

const NORD_HOSPITAL = 'Nordlands sjukhus, Medicinkliniken';
const DIABETES_CLINIC = 'Nordlands sjukhus, Diabetesmottagningen';
const RENAL_CLINIC = 'Nordlands sjukhus, Njurmottagningen';
const HEALTH_CENTRE = 'Vårdcentralen Älvby';
const LAB = 'Nordlands sjukhus, Klinisk kemi';

/** mulberry32: tiny, fast, and good enough for plausible synthetic noise. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function codeable(system: string, code: string, display: string, text?: string): CodeableConcept {
  return text ? { coding: [{ system, code, display }], text } : { coding: [{ system, code, display }] };
}

interface LabDefinition {
  loinc: string;
  loincDisplay: string;
  npu?: { code: string; display: string };
  text: string;
  unit: string;
  ucum: string;
  decimals: number;
  low?: number;
  high?: number;
}

const LABS = {
  hba1c: {
    loinc: '59261-8',
    loincDisplay: 'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol',
    npu: { code: 'NPU27300', display: 'B—Haemoglobin A1c(IFCC); substance fraction' },
    text: 'B-HbA1c',
    unit: 'mmol/mol',
    ucum: 'mmol/mol',
    decimals: 0,
    low: 31,
    high: 46,
  },
  glucose: {
    loinc: '14749-6',
    loincDisplay: 'Glucose [Moles/volume] in Serum or Plasma',
    text: 'P-Glukos',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 1,
    low: 4.0,
    high: 6.0,
  },
  creatinine: {
    loinc: '14682-9',
    loincDisplay: 'Creatinine [Moles/volume] in Serum or Plasma',
    text: 'P-Kreatinin',
    unit: 'µmol/L',
    ucum: 'umol/L',
    decimals: 0,
    low: 60,
    high: 105,
  },
  egfr: {
    loinc: '62238-1',
    loincDisplay:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
    text: 'eGFR (kreatinin)',
    unit: 'mL/min/1,73 m²',
    ucum: 'mL/min/{1.73_m2}',
    decimals: 0,
    low: 60,
  },
  hemoglobin: {
    loinc: '718-7',
    loincDisplay: 'Hemoglobin [Mass/volume] in Blood',
    npu: { code: 'NPU02319', display: 'B—Haemoglobin; mass concentration' },
    text: 'B-Hb',
    unit: 'g/L',
    ucum: 'g/L',
    decimals: 0,
    low: 134,
    high: 170,
  },
  potassium: {
    loinc: '2823-3',
    loincDisplay: 'Potassium [Moles/volume] in Serum or Plasma',
    text: 'P-Kalium',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 1,
    low: 3.5,
    high: 4.6,
  },
  sodium: {
    loinc: '2951-2',
    loincDisplay: 'Sodium [Moles/volume] in Serum or Plasma',
    text: 'P-Natrium',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 0,
    low: 137,
    high: 145,
  },
  albuminCreatinine: {
    loinc: '14958-3',
    loincDisplay: 'Microalbumin/Creatinine [Molar ratio] in Urine',
    text: 'U-Albumin/Kreatinin',
    unit: 'mg/mmol',
    ucum: 'mg/mmol',
    decimals: 1,
    high: 3.0,
  },
  ldl: {
    loinc: '22748-8',
    loincDisplay: 'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
    text: 'P-LDL-kolesterol',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 1,
    high: 3.0,
  },
} satisfies Record<string, LabDefinition>;

interface Medication {
  atc: string;
  atcDisplay: string;
  product: string;
  dosage: string;
  reason: string;
  start: string;
  end?: string;
  status?: MedicationStatement['status'];
}

const MEDICATIONS: Medication[] = [
  { atc: 'A10AE04', atcDisplay: 'insulin glargine', product: 'Lantus 100 E/ml injektionsvätska, SoloStar', dosage: '22 E subkutant till kvällen', reason: 'Typ 1-diabetes', start: '2008-01-15' },
  { atc: 'A10AB05', atcDisplay: 'insulin aspart', product: 'NovoRapid FlexPen 100 E/ml', dosage: 'Enligt kolhydraträkning, ca 4–10 E till måltid', reason: 'Typ 1-diabetes', start: '2003-05-01' },
  { atc: 'C09AA05', atcDisplay: 'ramipril', product: 'Ramipril Actavis 5 mg tablett', dosage: '1 tablett dagligen', reason: 'Diabetesnefropati', start: '2012-03-01', end: '2016-08-20', status: 'stopped' },
  { atc: 'C09CA01', atcDisplay: 'losartan', product: 'Losartan Krka 100 mg tablett', dosage: '1 tablett dagligen', reason: 'Diabetesnefropati, hypertoni', start: '2016-08-22' },
  { atc: 'C08CA01', atcDisplay: 'amlodipine', product: 'Amlodipin Bluefish 5 mg tablett', dosage: '1 tablett dagligen', reason: 'Hypertoni', start: '2018-02-10' },
  { atc: 'C10AA05', atcDisplay: 'atorvastatin', product: 'Atorvastatin Krka 40 mg filmdragerad tablett', dosage: '1 tablett till kvällen', reason: 'Hyperkolesterolemi', start: '2014-11-20' },
  { atc: 'B01AC06', atcDisplay: 'acetylsalicylic acid', product: 'Trombyl 75 mg tablett', dosage: '1 tablett dagligen', reason: 'Sekundärprevention', start: '2019-01-10', end: '2022-05-01', status: 'stopped' },
  { atc: 'C03CA01', atcDisplay: 'furosemide', product: 'Furosemid Accord 40 mg tablett', dosage: '1 tablett på morgonen', reason: 'Ödem vid njursvikt', start: '2021-04-12' },
  { atc: 'A10BK01', atcDisplay: 'dapagliflozin', product: 'Forxiga 10 mg filmdragerad tablett', dosage: '1 tablett dagligen', reason: 'Kronisk njursjukdom', start: '2022-06-01' },
  { atc: 'A02BC01', atcDisplay: 'omeprazole', product: 'Omeprazol Actavis 20 mg enterokapsel', dosage: '1 kapsel dagligen', reason: 'Gastroesofageal reflux', start: '2019-09-02' },
  { atc: 'N06AB06', atcDisplay: 'sertraline', product: 'Sertralin Hexal 50 mg tablett', dosage: '1 tablett dagligen', reason: 'Depression', start: '2017-03-01', end: '2018-09-15', status: 'completed' },
  { atc: 'N03AX16', atcDisplay: 'pregabalin', product: 'Pregabalin Sandoz 75 mg kapsel', dosage: '1 kapsel morgon och kväll', reason: 'Diabetesneuropati', start: '2021-10-01' },
  { atc: 'B03XA01', atcDisplay: 'erythropoietin', product: 'Eprex 4000 IE/0,4 ml injektionsvätska', dosage: '4000 IE subkutant en gång i veckan', reason: 'Renal anemi', start: '2023-03-15' },
  { atc: 'A11CC05', atcDisplay: 'colecalciferol', product: 'Benferol 800 IE tablett', dosage: '1 tablett dagligen', reason: 'D-vitaminbrist', start: '2020-11-01' },
  { atc: 'A12AX', atcDisplay: 'calcium, combinations with vitamin D and/or other drugs', product: 'Calcichew-D3 500 mg/400 IE tuggtablett', dosage: '1 tablett dagligen', reason: 'Benskörhetsprofylax', start: '2023-03-15' },
];

interface Problem {
  code: string;
  display: string;
  text: string;
  onset: string;
  abatement?: string;
}

const PROBLEMS: Problem[] = [
  { code: 'E10.9', display: 'Type 1 diabetes mellitus without complications', text: 'Typ 1-diabetes', onset: '1995-06-12' },
  { code: 'E10.2', display: 'Type 1 diabetes mellitus with renal complications', text: 'Diabetesnefropati', onset: '2012-02-20' },
  { code: 'N18.3', display: 'Chronic kidney disease, stage 3', text: 'Kronisk njursjukdom stadium 3', onset: '2020-09-14' },
  { code: 'I10', display: 'Essential (primary) hypertension', text: 'Hypertoni', onset: '2012-02-20' },
  { code: 'E78.0', display: 'Pure hypercholesterolaemia', text: 'Hyperkolesterolemi', onset: '2014-11-20' },
  { code: 'H36.0', display: 'Diabetic retinopathy', text: 'Diabetesretinopati, icke-proliferativ', onset: '2017-05-22' },
  { code: 'G63.2', display: 'Diabetic polyneuropathy', text: 'Diabetesneuropati i fötterna', onset: '2021-09-30' },
  { code: 'D63.8', display: 'Anaemia in other chronic diseases classified elsewhere', text: 'Renal anemi', onset: '2023-03-10' },
  { code: 'K21.9', display: 'Gastro-oesophageal reflux disease without oesophagitis', text: 'Gastroesofageal reflux', onset: '2019-09-02' },
  { code: 'F32.1', display: 'Moderate depressive episode', text: 'Depression, medelsvår episod', onset: '2017-02-14', abatement: '2018-09-15' },
  { code: 'S93.4', display: 'Sprain and strain of ankle', text: 'Fotledsdistorsion höger', onset: '2016-01-18', abatement: '2016-03-01' },
  { code: 'E16.0', display: 'Drug-induced hypoglycaemia without coma', text: 'Svår hypoglykemi', onset: '2019-12-23', abatement: '2019-12-24' },
];

/** Every resource of the heavy patient, Patient first, in a stable order. */
export function generateHeavyPatient(): Resource[] {
  const random = createRandom(SEED);
  const noise = (amplitude: number): number => (random() * 2 - 1) * amplitude;
  const subject: Reference<Patient> = { reference: `Patient/${HEAVY_PATIENT_ID}` };
  const counters = new Map<string, number>();
  const nextId = (kind: string): string => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `nord-hv-${kind}-${String(n).padStart(5, '0')}`;
  };
  const meta = (ms: number) => ({ lastUpdated: isoDateTime(ms + 3 * 3_600_000) });

  const patient: Patient = {
    resourceType: 'Patient',
    id: HEAVY_PATIENT_ID,
    meta: { lastUpdated: '2026-10-31T12:00:00Z' },
    identifier: [
      { use: 'official', system: 'urn:oid:1.2.752.129.2.1.3.1', value: HEAVY_PATIENT_PERSONNUMMER },
      { use: 'secondary', system: 'https://sandbox.samsyn.example/region-nord/patient', value: 'RN-0019523' },
    ],
    active: true,
    name: [{ use: 'official', family: 'Kronberg', given: ['Sven'], text: HEAVY_PATIENT_NAME }],
    gender: 'male',
    birthDate: '1982-04-21',
    address: [{ line: ['Långvägen 7'], postalCode: '97234', city: 'Älvby', country: 'SE' }],
    telecom: [{ system: 'phone', value: '+46701740677', use: 'mobile' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'sv' }] }, preferred: true }],
    generalPractitioner: [{ display: HEALTH_CENTRE }],
  };

  const labs: Observation[] = [];
  const vitals: Observation[] = [];
  const lab = (def: LabDefinition, at: number, raw: number): Observation => {
    const value = round(raw, def.decimals);
    const quantity = (v: number): Quantity => ({ value: v, unit: def.unit, system: UCUM, code: def.ucum });
    const interpretation =
      def.low !== undefined && value < def.low ? 'L' : def.high !== undefined && value > def.high ? 'H' : 'N';
    const coding = [{ system: LOINC, code: def.loinc, display: def.loincDisplay }];
    if (def.npu) coding.push({ system: NPU, code: def.npu.code, display: def.npu.display });
    return {
      resourceType: 'Observation',
      id: nextId('lab'),
      meta: meta(at),
      status: 'final',
      category: [codeable(`${TERMINOLOGY}observation-category`, 'laboratory', 'Laboratory')],
      code: { coding, text: def.text },
      subject,
      effectiveDateTime: isoDateTime(at),
      issued: isoDateTime(at + 5 * 3_600_000),
      performer: [{ display: LAB }],
      valueQuantity: quantity(value),
      interpretation: [
        codeable(`${TERMINOLOGY}v3-ObservationInterpretation`, interpretation, { L: 'Low', H: 'High', N: 'Normal' }[interpretation]),
      ],
      referenceRange: [
        {
          ...(def.low !== undefined ? { low: quantity(def.low) } : {}),
          ...(def.high !== undefined ? { high: quantity(def.high) } : {}),
        },
      ],
    };
  };
  const vital = (at: number, code: string, display: string, text: string, extra: Partial<Observation>): Observation => ({
    resourceType: 'Observation',
    id: nextId('vs'),
    meta: meta(at),
    status: 'final',
    category: [codeable(`${TERMINOLOGY}observation-category`, 'vital-signs', 'Vital Signs')],
    code: { coding: [{ system: LOINC, code, display }], text },
    subject,
    effectiveDateTime: isoDateTime(at),
    ...extra,
  });

  // Visits every one to three weeks: a patient with falling kidney function and
  // unstable glucose is followed closely, which is where the volume comes from.
  const span = LAST_DAY - FIRST_VISIT;
  let visit = 0;
  for (let at = FIRST_VISIT; at <= LAST_DAY; at += Math.round(8 + random() * 10) * DAY, visit++) {
    const t = (at - FIRST_VISIT) / span;
    const egfr = Math.max(22, 78 - 40 * t ** 1.3 + noise(4));
    const hba1c = 64 + 7 * Math.sin(t * Math.PI * 5) + noise(4);
    labs.push(lab(LABS.glucose, at, Math.max(2.6, (hba1c - 20) / 5.5 + noise(3.5))));
    labs.push(lab(LABS.creatinine, at, 88 * (75 / egfr) ** 1.15 + noise(5)));
    labs.push(lab(LABS.egfr, at, egfr));
    labs.push(lab(LABS.potassium, at, 4.1 + 0.7 * t + noise(0.35)));
    labs.push(lab(LABS.sodium, at, 140 + noise(3)));
    labs.push(lab(LABS.hemoglobin, at, 144 - 24 * t + noise(5)));
    if (visit % 3 === 0) {
      labs.push(lab(LABS.hba1c, at, hba1c));
      labs.push(lab(LABS.albuminCreatinine, at, Math.max(0.5, 2 + 45 * t ** 1.5 + noise(2.5))));
    }
    if (visit % 12 === 0) labs.push(lab(LABS.ldl, at, 2.4 - 0.6 * t + noise(0.3)));

    const systolic = Math.round(128 + 16 * t + noise(10));
    const diastolic = Math.round(78 + 6 * t + noise(7));
    vitals.push(
      vital(at, '85354-9', 'Blood pressure panel with all children optional', 'Blodtryck', {
        component: [
          {
            code: codeable(LOINC, '8480-6', 'Systolic blood pressure'),
            valueQuantity: { value: systolic, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
          },
          {
            code: codeable(LOINC, '8462-4', 'Diastolic blood pressure'),
            valueQuantity: { value: diastolic, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
          },
        ],
      }),
    );
    if (visit % 3 === 0) {
      vitals.push(
        vital(at, '29463-7', 'Body weight', 'Vikt', {
          valueQuantity: { value: round(82 + 6 * t + noise(1.5), 1), unit: 'kg', system: UCUM, code: 'kg' },
        }),
      );
    }
  }

  const allergies: AllergyIntolerance[] = [
    {
      resourceType: 'AllergyIntolerance',
      id: nextId('alg'),
      meta: { lastUpdated: '2016-08-22T10:00:00Z' },
      clinicalStatus: codeable(`${TERMINOLOGY}allergyintolerance-clinical`, 'active', 'Active'),
      verificationStatus: codeable(`${TERMINOLOGY}allergyintolerance-verification`, 'confirmed', 'Confirmed'),
      type: 'intolerance',
      category: ['medication'],
      criticality: 'low',
      code: { coding: [{ system: ATC, code: 'C09AA', display: 'ACE inhibitors, plain' }], text: 'ACE-hämmare' },
      patient: subject,
      recordedDate: '2016-08-22T10:00:00Z',
      reaction: [{ manifestation: [codeable(SCT, '49727002', 'Cough', 'Torrhosta')], severity: 'moderate' }],
    },
    {
      resourceType: 'AllergyIntolerance',
      id: nextId('alg'),
      meta: { lastUpdated: '2011-05-03T10:00:00Z' },
      clinicalStatus: codeable(`${TERMINOLOGY}allergyintolerance-clinical`, 'active', 'Active'),
      verificationStatus: codeable(`${TERMINOLOGY}allergyintolerance-verification`, 'confirmed', 'Confirmed'),
      type: 'allergy',
      category: ['medication'],
      criticality: 'high',
      code: { coding: [{ system: ATC, code: 'J01EE01', display: 'sulfamethoxazole and trimethoprim' }], text: 'Trimetoprim-sulfa' },
      patient: subject,
      recordedDate: '2011-05-03T10:00:00Z',
      reaction: [
        {
          manifestation: [codeable(SCT, '271807003', 'Eruption of skin', 'Utbrett hudutslag')],
          severity: 'severe',
          description: 'Generaliserat exantem med blåsbildning dag 6 av behandling.',
        },
      ],
    },
  ];

  const conditions: Condition[] = PROBLEMS.map((p) => ({
    resourceType: 'Condition',
    id: nextId('cond'),
    meta: { lastUpdated: `${p.abatement ?? p.onset}T12:00:00Z` },
    clinicalStatus: p.abatement
      ? codeable(`${TERMINOLOGY}condition-clinical`, 'resolved', 'Resolved')
      : codeable(`${TERMINOLOGY}condition-clinical`, 'active', 'Active'),
    verificationStatus: codeable(`${TERMINOLOGY}condition-ver-status`, 'confirmed', 'Confirmed'),
    category: [codeable(`${TERMINOLOGY}condition-category`, 'problem-list-item', 'Problem List Item')],
    code: { coding: [{ system: ICD10, code: p.code, display: p.display }], text: p.text },
    subject,
    onsetDateTime: p.onset,
    recordedDate: `${p.onset}T12:00:00Z`,
    ...(p.abatement ? { abatementDateTime: p.abatement } : {}),
  }));

  const statements: MedicationStatement[] = MEDICATIONS.map((m) => ({
    resourceType: 'MedicationStatement',
    id: nextId('ms'),
    meta: { lastUpdated: `${m.end ?? m.start}T12:00:00Z` },
    status: m.status ?? 'active',
    medicationCodeableConcept: codeable(ATC, m.atc, m.atcDisplay, m.product),
    subject,
    effectivePeriod: m.end ? { start: m.start, end: m.end } : { start: m.start },
    dateAsserted: `${m.start}T12:00:00Z`,
    reasonCode: [{ text: m.reason }],
    dosage: [{ text: m.dosage }],
  }));

  // One prescription per drug and year it was in use: what a prescription
  // register really holds, and why the medication list is long.
  const requests: MedicationRequest[] = [];
  for (let year = 2015; year <= 2026; year++) {
    for (const m of MEDICATIONS) {
      const start = Number(m.start.slice(0, 4));
      const end = m.end ? Number(m.end.slice(0, 4)) : 9999;
      if (year < start || year >= end) continue;
      const authored = Date.UTC(year, Math.floor(random() * 3), 2 + Math.floor(random() * 25), 9);
      const validTo = authored + 365 * DAY;
      requests.push({
        resourceType: 'MedicationRequest',
        id: nextId('mr'),
        meta: meta(authored),
        status: validTo < LAST_DAY ? 'completed' : 'active',
        intent: 'order',
        medicationCodeableConcept: codeable(ATC, m.atc, m.atcDisplay, m.product),
        subject,
        authoredOn: isoDateTime(authored),
        requester: { display: year < 2020 ? 'Dr. Karin Öberg, Diabetesmottagningen' : 'Dr. Per Nilsson, Njurmottagningen' },
        reasonCode: [{ text: m.reason }],
        dosageInstruction: [{ text: m.dosage }],
        dispenseRequest: { numberOfRepeatsAllowed: 3, validityPeriod: { start: isoDate(authored), end: isoDate(validTo) } },
      });
    }
  }

  const immunizations: Immunization[] = [];
  for (let year = 2015; year <= 2025; year++) {
    const at = Date.UTC(year, 9, 5 + Math.floor(random() * 20), 10);
    immunizations.push({
      resourceType: 'Immunization',
      id: nextId('imm'),
      meta: meta(at),
      status: 'completed',
      vaccineCode: codeable(ATC, 'J07BB02', 'influenza, inactivated, split virus or surface antigen', 'Influensavaccin'),
      patient: subject,
      occurrenceDateTime: isoDateTime(at),
      recorded: isoDateTime(at),
      primarySource: true,
      performer: [{ actor: { display: HEALTH_CENTRE } }],
    });
  }
  for (const [i, date] of ['2021-03-02', '2021-04-13', '2021-10-19'].entries()) {
    immunizations.push({
      resourceType: 'Immunization',
      id: nextId('imm'),
      meta: { lastUpdated: `${date}T15:00:00Z` },
      status: 'completed',
      vaccineCode: codeable(ATC, 'J07BN01', 'covid-19, RNA-based vaccine', 'Comirnaty'),
      patient: subject,
      occurrenceDateTime: `${date}T10:00:00Z`,
      recorded: `${date}T10:00:00Z`,
      primarySource: true,
      performer: [{ actor: { display: HEALTH_CENTRE } }],
      protocolApplied: [{ doseNumberPositiveInt: i + 1 }],
    });
  }

  const encounters: Encounter[] = [];
  const documents: DocumentReference[] = [];
  const procedures: Procedure[] = [];
  for (let year = 2015; year <= 2026; year++) {
    for (const month of [2, 8]) {
      const at = Date.UTC(year, month, 4 + Math.floor(random() * 20), 8, 30);
      if (at > LAST_DAY) continue;
      const renal = year >= 2020 && month === 8;
      const provider = renal ? RENAL_CLINIC : DIABETES_CLINIC;
      const clinician = renal ? 'Dr. Per Nilsson' : 'Dr. Karin Öberg';
      encounters.push({
        resourceType: 'Encounter',
        id: nextId('enc'),
        meta: meta(at),
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
        type: [{ text: renal ? 'Njurmottagning, återbesök' : 'Diabetesmottagning, återbesök' }],
        subject,
        participant: [{ individual: { display: clinician } }],
        period: { start: isoDateTime(at), end: isoDateTime(at + 45 * 60_000) },
        reasonCode: [{ text: renal ? 'Kronisk njursjukdom' : 'Typ 1-diabetes, kontroll' }],
        serviceProvider: { display: provider },
      });
      documents.push({
        resourceType: 'DocumentReference',
        id: nextId('doc'),
        meta: meta(at),
        status: 'current',
        docStatus: 'final',
        type: codeable(LOINC, '11506-3', 'Progress note', 'Mottagningsanteckning'),
        category: [{ text: 'Journalanteckning' }],
        subject,
        date: isoDateTime(at + 2 * 3_600_000),
        author: [{ display: clinician }],
        custodian: { display: provider },
        description: renal
          ? 'Fortsatt långsam försämring av njurfunktionen. Blodtryck och kalium följs. Dietistkontakt.'
          : 'Glukoskurva från sensor genomgången. Justerad basdos. Inga svåra hypoglykemier sedan förra besöket.',
        content: [{ attachment: { contentType: 'text/plain', language: 'sv', title: renal ? 'Njurmottagning' : 'Diabetesmottagning' } }],
      });
    }
    if (year % 2 === 1) {
      const at = Date.UTC(year, 4, 10 + Math.floor(random() * 10), 13);
      procedures.push({
        resourceType: 'Procedure',
        id: nextId('proc'),
        meta: meta(at),
        status: 'completed',
        code: { text: 'Ögonbottenfotografering' },
        subject,
        performedDateTime: isoDateTime(at),
        performer: [{ actor: { display: 'Nordlands sjukhus, Ögonmottagningen' } }],
        outcome: { text: year < 2017 ? 'Ingen retinopati' : 'Lätt icke-proliferativ retinopati, oförändrad' },
      });
    }
  }
  procedures.push({
    resourceType: 'Procedure',
    id: nextId('proc'),
    meta: { lastUpdated: '2020-09-14T15:00:00Z' },
    status: 'completed',
    code: { text: 'Njurbiopsi, ultraljudsledd' },
    subject,
    performedDateTime: '2020-09-14T09:00:00Z',
    performer: [{ actor: { display: NORD_HOSPITAL } }],
    outcome: { text: 'Diabetesnefropati, ingen annan njursjukdom' },
  });

  const carePlans: CarePlan[] = [
    {
      resourceType: 'CarePlan',
      id: nextId('cp'),
      meta: { lastUpdated: '2024-09-12T12:00:00Z' },
      status: 'active',
      intent: 'plan',
      category: [{ text: 'Vårdplan' }],
      title: 'Diabetesvård med njurskydd',
      description: 'HbA1c-mål under 55 mmol/mol utan svåra hypoglykemier, blodtryck under 130/80, albuminuri följs var tredje månad.',
      subject,
      period: { start: '2020-09-14' },
      created: '2020-09-14T12:00:00Z',
      author: { display: 'Dr. Per Nilsson' },
      activity: [
        { detail: { status: 'in-progress', description: 'Kontinuerlig glukosmätning (CGM) med larm för låga värden' } },
        { detail: { status: 'in-progress', description: 'Provtagning var fjortonde dag: kreatinin, kalium, Hb' } },
        { detail: { status: 'scheduled', description: 'Information om dialys och njurtransplantation när eGFR under 20' } },
      ],
    },
    {
      resourceType: 'CarePlan',
      id: nextId('cp'),
      meta: { lastUpdated: '2021-10-01T12:00:00Z' },
      status: 'active',
      intent: 'plan',
      category: [{ text: 'Egenvårdsplan' }],
      title: 'Fotvård vid diabetesneuropati',
      description: 'Daglig inspektion av fötterna, medicinsk fotvård var åttonde vecka.',
      subject,
      period: { start: '2021-10-01' },
      created: '2021-10-01T12:00:00Z',
      author: { display: 'Diabetessjuksköterska Elin Strand' },
      activity: [{ detail: { status: 'in-progress', description: 'Medicinsk fotvård var åttonde vecka' } }],
    },
  ];

  const flag: Flag = {
    resourceType: 'Flag',
    id: nextId('flag'),
    meta: { lastUpdated: '2019-12-24T12:00:00Z' },
    status: 'active',
    category: [codeable(`${TERMINOLOGY}flag-category`, 'safety', 'Safety')],
    code: { text: 'Uppmärksamhetssignal: Insulinbehandlad diabetes med svåra hypoglykemier' },
    subject,
    period: { start: '2019-12-24' },
    author: { display: 'Dr. Karin Öberg, Diabetesmottagningen' },
  };

  return [
    patient,
    ...allergies,
    ...statements,
    ...requests,
    ...conditions,
    ...labs,
    ...vitals,
    ...immunizations,
    ...encounters,
    ...procedures,
    ...documents,
    ...carePlans,
    flag,
  ];
}
