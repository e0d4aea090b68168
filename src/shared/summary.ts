/**
 * The summary's shapes, declared once as zod schemas; every TypeScript type
 * here derives from them (z.output), and the bridge validates with the same
 * schemas. Main, the CLI and the renderer all use these types.
 */
import { z } from 'zod';
import { codingSchema, DETAILS_SCHEMAS, quantitySchema, type DetailsOf } from './details';
import { ERROR_CODES } from './errors';
import { SECTION_KEYS, type SectionKey } from './sections';

export { SECTION_KEYS, SECTIONS, isPointInTime, sectionDefinition, type SectionKey } from './sections';

export const sectionKeySchema = z.enum(SECTION_KEYS);

export const identifierSchema = z.object({ system: z.string().optional(), value: z.string() });

export const provenanceSchema = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  /** The record's id in the source system (FHIR logical id, HL7 placer number...). */
  recordId: z.string(),
  /** When the source says the fact was recorded or asserted. */
  recordedAt: z.string().optional(),
  /** When Samsyn received it from the source. */
  fetchedAt: z.string(),
  /**
   * True when the item comes from the local cache, not from this request's
   * answer: its age is then `fetchedAt`'s, and it must never be shown as fresh.
   */
  cached: z.boolean().optional(),
});

const valueSchema = z.union([quantitySchema, z.string()]);

/** What every item carries, whatever its section. */
const itemFields = {
  codes: z.array(codingSchema),
  text: z.string(),
  status: z.string().optional(),
  /** The clinically relevant date (onset, effective, administered...), ISO 8601. */
  date: z.string().optional(),
  value: valueSchema.optional(),
  sealed: z.boolean(),
};

/** What sources can disagree on; every disagreement is shown with each source's value. */
export const CONFLICT_FIELDS = [
  'status',
  'value',
  'date',
  'text',
  'strength',
  'dose',
  'frequency',
  'route',
  'form',
  'criticality',
  'reaction',
  'verification',
] as const;

export const conflictSchema = z.object({
  field: z.enum(CONFLICT_FIELDS),
  values: z.array(z.object({ sourceId: z.string(), value: z.string() })),
});

/** An earlier version of a record that a correction replaced: kept, shown on request. */
export const historyEntrySchema = z.object({
  text: z.string(),
  status: z.string().optional(),
  date: z.string().optional(),
  value: valueSchema.optional(),
  provenance: provenanceSchema,
});

/**
 * Where an item stands for the clinician: medications are current, recently
 * stopped or history; allergies and problems that are resolved, refuted or
 * inactive stay visible apart as inactive (de-labelling matters).
 */
export const itemGroupSchema = z.enum(['current', 'recentlyStopped', 'history', 'inactive']);

/**
 * Medication reconciliation across sources: the same substance stated alike by
 * every source that has it ('identical'), with differences in strength, dose,
 * form, route or status ('similar'), or by one source only ('single').
 */
export const reconciliationSchema = z.object({
  class: z.enum(['identical', 'similar', 'single']),
  /** The substance (ATC code and name) the sources were compared by. */
  substance: z.string().optional(),
});

const clinicalItemBase = z.object({ ...itemFields, provenance: provenanceSchema });
const mergedItemBase = z.object({
  /** Stable merge key: items with the same key are one fact. */
  key: z.string(),
  ...itemFields,
  /** Every record behind the item, from every source (a refill repeats its source). */
  sources: z.array(provenanceSchema),
  conflicts: z.array(conflictSchema),
  /** A correction (FHIR corrected/amended, HL7 OBX-11 C) replaced what a source first sent. */
  corrected: z.boolean().optional(),
  /** What the correction replaced. */
  history: z.array(historyEntrySchema).optional(),
  group: itemGroupSchema.optional(),
  /** Raised into critical information (high criticality, anaphylaxis). */
  critical: z.boolean().optional(),
  reconciliation: reconciliationSchema.optional(),
  /** A possible double medication: the same substance or a risky therapeutic group twice, current. */
  doubleMedication: z.boolean().optional(),
  /** The item kinds the signed-in role's view profile raises (an anticoagulant for dental care...): ids from src/main/access/itemKinds.ts. */
  relevance: z.array(z.string()).optional(),
  /**
   * On a care unit's medication, when a national medication list answered:
   * what the list holds current for the same substance (prescribed, dispensed,
   * the last dispensing). Both false: the list has nothing current for it.
   */
  nationalList: z
    .object({ prescribed: z.boolean(), dispensed: z.boolean(), lastDispensed: z.string().optional() })
    .optional(),
  /** On a national list's record: the care-unit sources whose own lists hold the same substance (names). */
  careUnits: z.array(z.string()).optional(),
});

type ClinicalItemBase = z.output<typeof clinicalItemBase>;
type MergedItemBase = z.output<typeof mergedItemBase>;

/** An item of section K: its details are K's shape (details.ts). */
export type ClinicalItemOf<K extends SectionKey> = ClinicalItemBase & { section: K; details: DetailsOf<K> };
export type MergedItemOf<K extends SectionKey> = MergedItemBase & { section: K; details: DetailsOf<K> };
/** One fact from one source, discriminated by section. */
export type ClinicalItem = { [K in SectionKey]: ClinicalItemOf<K> }[SectionKey];
/** One fact as the summary shows it: every source that stated it, and where they disagree. */
export type MergedItem = { [K in SectionKey]: MergedItemOf<K> }[SectionKey];

function perSection<T extends z.ZodObject>(base: T) {
  return SECTION_KEYS.map((key) => base.extend({ section: z.literal(key), details: DETAILS_SCHEMAS[key] }));
}

type Members = [z.ZodObject, z.ZodObject, ...z.ZodObject[]];

/** The zod union behind ClinicalItem (section is the discriminator). */
export const clinicalItemSchema = z.discriminatedUnion('section', perSection(clinicalItemBase) as unknown as Members) as unknown as z.ZodType<ClinicalItem>;

const mergedBySection = Object.fromEntries(
  perSection(mergedItemBase).map((schema, i) => [SECTION_KEYS[i], z.array(schema)]),
) as unknown as { [K in SectionKey]: z.ZodType<MergedItemOf<K>[]> };

export const sectionsSchema = z.object(mergedBySection);
export type Sections = { [K in SectionKey]: MergedItemOf<K>[] };

/** 'pending': asked, no answer yet (no cached copy to show meanwhile); its answer, failure or deadline follows as an update. */
export const sourceStateSchema = z.enum(['ok', 'cached', 'failed', 'timeout', 'rejected', 'disabled', 'pending']);

/** The limits a source's answer can pass (SOURCE_RESPONSE_TOO_LARGE), named in its status. */
export const RESPONSE_LIMITS = ['items', 'entries', 'bytes', 'segments', 'continuations'] as const;
export type ResponseLimit = (typeof RESPONSE_LIMITS)[number];

export const sourceStatusSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  state: sourceStateSchema,
  error: z.enum(ERROR_CODES).optional(),
  /**
   * When the source last answered. For state 'cached' this is when the cached
   * snapshot was taken (its age), and `error`, if present, is why the refresh
   * just now failed.
   */
  fetchedAt: z.string().optional(),
  itemCount: z.number(),
  ms: z.number().optional(),
  /** The source's deadline in ms (shown while it is pending, and when it passed). */
  deadlineMs: z.number().optional(),
  /** A fresh answer is being fetched; this status is preliminary (stale-while-revalidate). */
  refreshing: z.boolean().optional(),
  /**
   * What the source reports about itself beside its answer, by code: files a
   * drop folder quarantined or skipped, and why. Shown, never only logged.
   */
  notes: z.array(z.object({ code: z.enum(ERROR_CODES), count: z.number() })).optional(),
  /** Files (or messages) the source holds that are not complete yet and wait. */
  waiting: z.number().optional(),
  /**
   * Records of this answer that could not be read (a FHIR resource of the
   * wrong shape), by code and how many: left out, the source's other records
   * shown, and said in the source's status, never silently dropped.
   */
  skipped: z.object({ code: z.enum(ERROR_CODES), count: z.number() }).optional(),
  /**
   * With SOURCE_RESPONSE_TOO_LARGE: the limit the answer passed and its value
   * (items: records per source; entries: per FHIR search; bytes: a response
   * body or MLLP reply; segments: per MLLP reply; continuations: MLLP
   * continuation queries), so the status names it in words, not only the code.
   */
  limit: z.object({ name: z.enum(RESPONSE_LIMITS), max: z.number() }).optional(),
});

/**
 * How the local cache stood for this summary. Absent where no cache is
 * configured (the CLI). `available: false` means the summary was built live and
 * nothing is kept; `setAside` means an unreadable cache file was moved aside
 * (kept, never deleted) and a new one started.
 */
export const cacheNoticeSchema = z.object({
  available: z.boolean(),
  error: z.enum(ERROR_CODES).optional(),
  setAside: z.boolean().optional(),
});

export const patientHeaderSchema = z.object({
  /** The identifier that was asked for. */
  identifier: identifierSchema,
  /** Present when the identifier is a validated national id. */
  nationalId: z.object({ country: z.enum(['SE', 'NO', 'FI']), kind: z.string(), value: z.string() }).optional(),
  name: z.string().optional(),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
  /** Names as each source gave them, when they differ. */
  nameConflicts: z.array(z.object({ sourceId: z.string(), value: z.string() })).optional(),
  /** Home addresses as each source gave them, when they differ. */
  addressConflicts: z.array(z.object({ sourceId: z.string(), value: z.string() })).optional(),
});

/**
 * What one source said about one section: it has items; it states there are
 * none ("no known allergies"); it has no information (states it, or sent
 * nothing); or it did not answer. An empty section is never a clean bill of health.
 * 'noneOfKind': in a section the role receives only some kinds of item in
 * (roleFilter.ts), the source has entries, none of those kinds.
 */
export const coverageStateSchema = z.enum(['items', 'noneKnown', 'noInformation', 'notAnswered', 'noneOfKind']);

export const sourceCoverageSchema = z.object({
  sourceId: z.string(),
  sections: z.partialRecord(sectionKeySchema, coverageStateSchema),
});

/**
 * The role view profile the summary was filtered for, in the main process:
 * which sections the role receives and in which order, and which of them hold
 * only the item kinds the role is given (the others were never sent).
 */
export const summaryViewSchema = z.object({
  role: z.string(),
  sections: z.array(sectionKeySchema),
  filtered: z.array(sectionKeySchema),
});

/**
 * What the user may be told of sealed information (src/main/access/sealedPolicy.ts):
 * never anything of a Finnish source's; Swedish holders only in an emergency with consent.
 */
export const sealedNoticeSchema = z.object({
  hidden: z.number(),
  holders: z.array(z.object({ sourceId: z.string(), law: z.enum(['SE', 'NO']), revealableWith: z.array(z.enum(['consent', 'emergency'])) })),
  revealed: z.array(z.string()),
  /** Sources that gave nothing because the patient's consent is not recorded. */
  consentNeeded: z.array(z.string()),
  /** Opened as an emergency (nödöppning, nødrett, hätätilanne): marked on the screen and in the log. */
  emergency: z.boolean().optional(),
});

export const summarySchema = z.object({
  patient: patientHeaderSchema,
  sections: sectionsSchema,
  sources: z.array(sourceStatusSchema),
  generatedAt: z.string(),
  /** True when any data shown comes from the local cache (see each source's state). */
  fromCache: z.boolean(),
  hiddenSealed: z.number(),
  /** Records kept out of a section because their source retracted them (entered in error, cancelled...), by section. */
  retracted: z.partialRecord(sectionKeySchema, z.number()).optional(),
  /** Per source, what it said about each section. */
  coverage: z.array(sourceCoverageSchema).optional(),
  /** The cached answer given at once; the fresh summary follows as a 'summary.updated' event. */
  refreshing: z.boolean().optional(),
  cache: cacheNoticeSchema.optional(),
  /** The role view this summary was filtered for (absent: unfiltered, every section in IPS order). */
  view: summaryViewSchema.optional(),
  /** Sealed information and consent, as the access policy lets the user know of it. */
  sealed: sealedNoticeSchema.optional(),
  /**
   * Which open this summary belongs to and where in its sequence: summary.open
   * answers with seq 0 at once, each source's ending pushes the whole re-merged
   * summary with the next seq ('summary.updated'), and the last one is final
   * (the one written to the cache). The renderer drops an update whose openId
   * is not its open's, or whose seq is not newer than the one shown.
   */
  progress: z.object({ openId: z.string(), seq: z.number(), final: z.boolean() }).optional(),
});

export type Coding = z.output<typeof codingSchema>;
export type Quantity = z.output<typeof quantitySchema>;
export type Identifier = z.output<typeof identifierSchema>;
export type Provenance = z.output<typeof provenanceSchema>;
export type Conflict = z.output<typeof conflictSchema>;
export type ConflictField = (typeof CONFLICT_FIELDS)[number];
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type ItemGroup = z.output<typeof itemGroupSchema>;
export type Reconciliation = z.output<typeof reconciliationSchema>;
export type CoverageState = z.output<typeof coverageStateSchema>;
export type SourceCoverage = z.output<typeof sourceCoverageSchema>;
export type SourceState = z.output<typeof sourceStateSchema>;
export type SourceStatus = z.output<typeof sourceStatusSchema>;
export type CacheNotice = z.output<typeof cacheNoticeSchema>;
export type SummaryView = z.output<typeof summaryViewSchema>;
export type SealedNotice = z.output<typeof sealedNoticeSchema>;
export type PatientHeader = z.output<typeof patientHeaderSchema>;
export type Summary = z.output<typeof summarySchema>;

export function emptySections(): Sections {
  return Object.fromEntries(SECTION_KEYS.map((k) => [k, []])) as unknown as Sections;
}
