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
  /**
   * True when the item comes from the local cache, not from this request's
   * answer: its age is then `fetchedAt`'s, and it must never be shown as fresh.
   */
  cached?: boolean;
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
  /**
   * When the source last answered. For state 'cached' this is when the cached
   * snapshot was taken (its age), and `error`, if present, is why the refresh
   * just now failed.
   */
  fetchedAt?: string;
  itemCount: number;
  ms?: number;
  /** A fresh answer is being fetched; this status is preliminary (stale-while-revalidate). */
  refreshing?: boolean;
}

/**
 * How the local cache stood for this summary. Absent where no cache is
 * configured (the CLI). `available: false` means the summary was built live and
 * nothing is kept; `setAside` means an unreadable cache file was moved aside
 * (kept, never deleted) and a new one started.
 */
export interface CacheNotice {
  available: boolean;
  error?: ErrorCode;
  setAside?: boolean;
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
  /** True when any data shown comes from the local cache (see each source's state). */
  fromCache: boolean;
  hiddenSealed: number;
  /** The cached answer given at once; the fresh summary follows as a 'summary.updated' event. */
  refreshing?: boolean;
  cache?: CacheNotice;
}

export function emptySections(): Sections {
  return Object.fromEntries(SECTION_KEYS.map((k) => [k, [] as MergedItem[]])) as Sections;
}
