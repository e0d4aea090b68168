/**
 * The summary's sections, declared once. Everything that depends on what a
 * section is derives from this table: the section list and its IPS order (the
 * row order), the merge's rule for telling one fact from another (a
 * point-in-time section keys by time as well as code), what the screen raises
 * as critical, and the title each language gives it. Adding a section is one
 * row here, one details schema (details.ts) and its words.
 */

export interface SectionDefinition {
  readonly key: string;
  /**
   * 'event': each item happened at a time (a result, a vaccination), so the
   * same code at another time is another fact. 'standing': a fact that holds
   * until changed (an allergy, a medication), so the same code is the same fact.
   */
  readonly kind: 'event' | 'standing';
  /** Critical for safe care: shown first, marked, and shown even when empty. */
  readonly critical: boolean;
  /** The i18n key of its title. */
  readonly titleKey: `sections.titles.${string}`;
}

/** In IPS order: the screen shows sections in exactly this order. */
export const SECTIONS = [
  { key: 'alerts', kind: 'standing', critical: true, titleKey: 'sections.titles.alerts' },
  { key: 'allergies', kind: 'standing', critical: true, titleKey: 'sections.titles.allergies' },
  { key: 'medications', kind: 'standing', critical: false, titleKey: 'sections.titles.medications' },
  { key: 'problems', kind: 'standing', critical: false, titleKey: 'sections.titles.problems' },
  { key: 'results', kind: 'event', critical: false, titleKey: 'sections.titles.results' },
  { key: 'immunizations', kind: 'event', critical: false, titleKey: 'sections.titles.immunizations' },
  { key: 'encounters', kind: 'event', critical: false, titleKey: 'sections.titles.encounters' },
  { key: 'procedures', kind: 'event', critical: false, titleKey: 'sections.titles.procedures' },
  { key: 'documents', kind: 'event', critical: false, titleKey: 'sections.titles.documents' },
  { key: 'carePlans', kind: 'standing', critical: false, titleKey: 'sections.titles.carePlans' },
  { key: 'pregnancy', kind: 'event', critical: false, titleKey: 'sections.titles.pregnancy' },
  { key: 'homeMeasurements', kind: 'event', critical: false, titleKey: 'sections.titles.homeMeasurements' },
] as const satisfies readonly SectionDefinition[];

export type SectionKey = (typeof SECTIONS)[number]['key'];

/** The keys in IPS order, as the non-empty tuple zod's enum wants. */
export const SECTION_KEYS = SECTIONS.map((s) => s.key) as unknown as readonly [SectionKey, ...SectionKey[]];

const BY_KEY = new Map<string, SectionDefinition>(SECTIONS.map((s) => [s.key, s]));

export function sectionDefinition(key: SectionKey): SectionDefinition {
  return BY_KEY.get(key) as SectionDefinition;
}

/** Sections whose items are events: the same code at another time is another fact. */
export function isPointInTime(key: SectionKey): boolean {
  return sectionDefinition(key).kind === 'event';
}
