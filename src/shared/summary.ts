import type { ErrorCode } from './errors';

/** IPS order: the UI shows sections in exactly this order. */
export const SECTION_KEYS = [
  'alerts',
  'allergies',
  'medications',
  'problems',
  'results',
  'immunizations',
  'encounters',
  'procedures',
  'documents',
  'carePlans',
  'pregnancy',
  'homeMeasurements',
] as const;

export type SectionKey = (typeof SECTION_KEYS)[number];

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface Quantity {
  value: number;
  unit?: string;
  comparator?: string;
}

export interface Identifier {
  system?: string;
  value: string;
}

export interface Provenance {
  sourceId: string;
  sourceName: string;
  /** The record's id in the source system (FHIR logical id, HL7 placer number...). */
  recordId: string;
  /** When the source says the fact was recorded or asserted. */
  recordedAt?: string;
  /** When Samsyn received it from the source. */
  fetchedAt: string;
}

export interface ClinicalItem {
  section: SectionKey;
  codes: Coding[];
  text: string;
  status?: string;
  /** The clinically relevant date (onset, effective, administered...), ISO 8601. */
  date?: string;
  value?: Quantity | string;
  details: Record<string, unknown>;
  sealed: boolean;
  provenance: Provenance;
}

export interface Conflict {
  field: 'status' | 'value' | 'date' | 'text';
  values: { sourceId: string; value: string }[];
}

export interface MergedItem extends Omit<ClinicalItem, 'provenance'> {
  /** Stable merge key: items with the same key are one fact. */
  key: string;
  sources: Provenance[];
  conflicts: Conflict[];
}

export type SourceState = 'ok' | 'cached' | 'failed' | 'timeout' | 'rejected' | 'disabled';

export interface SourceStatus {
  sourceId: string;
  name: string;
  state: SourceState;
  error?: ErrorCode;
  fetchedAt?: string;
  itemCount: number;
  ms?: number;
}

export interface PatientHeader {
  /** The identifier that was asked for. */
  identifier: Identifier;
  /** Present when the identifier is a validated national id. */
  nationalId?: { country: 'SE' | 'NO' | 'FI'; kind: string; value: string };
  name?: string;
  birthDate?: string;
  gender?: string;
  /** Names as each source gave them, when they differ. */
  nameConflicts?: { sourceId: string; value: string }[];
}

export type Sections = Record<SectionKey, MergedItem[]>;

export interface Summary {
  patient: PatientHeader;
  sections: Sections;
  sources: SourceStatus[];
  generatedAt: string;
  fromCache: boolean;
  hiddenSealed: number;
}

export function emptySections(): Sections {
  return Object.fromEntries(SECTION_KEYS.map((k) => [k, [] as MergedItem[]])) as Sections;
}
