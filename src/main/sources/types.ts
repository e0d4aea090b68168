import type { ErrorCode } from '../../shared/errors';
import type { ClinicalItem, Identifier } from '../../shared/summary';
import type { NationalId } from '../../shared/identity/types';

/** A kind's name in the source registry (registry.ts): 'fhir-r4', 'hl7v2-mllp', 'hl7v2-batch'... */
export type SourceKind = string;

/** Who is asked for: a national id (validated) or any other identifier, matched exactly. */
export interface PatientQuery {
  /** The identifier sent to the source (for a national id: its OID system and canonical value). */
  identifier: Identifier;
  nationalId?: NationalId;
  /**
   * The most records the summary takes from one source (summary.maxItemsPerSource):
   * an answer with more is refused whole (askSource). A source may stop reading
   * as soon as it has more, with SOURCE_RESPONSE_TOO_LARGE (limit 'items').
   */
  maxItems?: number;
}

/** A patient as one source describes it. */
export interface SubjectIdentity {
  /** The source's own reference for the patient (FHIR logical id, ...). */
  ref?: string;
  identifiers: Identifier[];
  name?: string;
  birthDate?: string;
  gender?: string;
  /**
   * The home address as one line (street, postal code and town, country), for
   * showing a disagreement between sources; never used to decide identity.
   */
  address?: string;
}

export interface SourceResult {
  /**
   * Every patient the response spoke about. The identity guard rejects the whole
   * response unless each one carries the requested identifier. An item that refers
   * to a patient the adapter could not identify adds a subject with no identifiers.
   */
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
  fetchedAt: string;
  /**
   * Records the answer held that could not be read (a FHIR resource of the
   * wrong shape) and so are not among `items`: counted, by code, for the
   * source's status. Never a record about another patient: that refuses the answer.
   */
  skipped?: { code: ErrorCode; count: number };
}

export interface SourceAdapter {
  readonly id: string;
  readonly name: string;
  readonly kind: SourceKind;
  /** Per-source deadline in milliseconds; the aggregator enforces it with the signal. */
  readonly timeoutMs: number;
  /** Throws CodedError on failure; must stop work when `signal` aborts. */
  fetchPatient(query: PatientQuery, signal: AbortSignal): Promise<SourceResult>;
  /** What the source reports about itself (quarantined or skipped files, waiting ones), by code only. */
  health?(): SourceHealth;
  /**
   * A connection check before go-live (`samsyn check-sources`): reaches the
   * system without asking about any patient. Throws CodedError on failure.
   */
  check?(signal: AbortSignal): Promise<SourceCheck>;
  /**
   * A journal document's content (DocumentReference attachment), fetched on
   * demand: only a record of the patient the query names, only from the
   * source's own base URL or inline data, size-limited, allowed types only.
   */
  openDocument?(query: PatientQuery, recordId: string, signal: AbortSignal): Promise<DocumentContent>;
}

export interface DocumentContent {
  contentType: 'text/plain' | 'text/html' | 'application/pdf';
  bytes: Uint8Array;
  title?: string;
}

/** What a connection check found: small facts (FHIR version, software), never patient data. */
export interface SourceCheck {
  details: Record<string, string | number | boolean>;
}

export interface SourceHealth {
  notes: { code: ErrorCode; count: number }[];
  waiting?: number;
}
