/**
 * What the merge adds to an item beyond the facts: where it stands for the
 * clinician and what needs attention.
 *  - Medications: current (active, on hold, intended, unknown), recently
 *    stopped (ended within a window, default 6 months) or history; how the
 *    sources compare (identical / similar / single, by substance); possible
 *    double medication (two strengths of one substance current at once, or two
 *    current substances of a therapeutic group where that is a known risk).
 *  - Allergies: high criticality or anaphylaxis raises the item into critical
 *    information; resolved, refuted or inactive ones stay visible as inactive.
 *  - Problems: resolved, inactive or in remission are inactive.
 */
import { groupBy } from '../../shared/groupBy';
import type { ClinicalItem, Conflict, ItemGroup, MergedItem, Sections } from '../../shared/summary';

export interface AnnotateOptions {
  /** "Now" for the recently-stopped window. */
  now?: Date;
  /** How long after it ended a medication counts as recently stopped; default 183 days. */
  recentlyStoppedDays?: number;
}

const DAY_MS = 86_400_000;
export const DEFAULT_RECENTLY_STOPPED_DAYS = 183;

const CURRENT_MEDICATION = new Set(['active', 'on-hold', 'intended', 'unknown']);
const INACTIVE_ALLERGY = new Set(['inactive', 'resolved', 'refuted']);
const INACTIVE_PROBLEM = new Set(['inactive', 'resolved', 'remission']);
const ATC = 'http://www.whocc.no/atc';

/**
 * Therapeutic groups where two current substances together are a known
 * duplicate-therapy risk, by ATC prefix.
 */
export const DUPLICATE_THERAPY_GROUPS: readonly { name: string; prefixes: readonly string[] }[] = [
  { name: 'anticoagulants', prefixes: ['B01AA', 'B01AB', 'B01AE', 'B01AF'] },
  { name: 'nsaids', prefixes: ['M01A'] },
  { name: 'proton-pump-inhibitors', prefixes: ['A02BC'] },
  { name: 'ssri', prefixes: ['N06AB'] },
  { name: 'benzodiazepines-and-z-drugs', prefixes: ['N05BA', 'N05CD', 'N05CF'] },
  { name: 'opioids', prefixes: ['N02A'] },
  { name: 'renin-angiotensin', prefixes: ['C09A', 'C09B', 'C09C', 'C09D'] },
  { name: 'antipsychotics', prefixes: ['N05A'] },
];

/** Strength written in a product name ("Eliquis 2,5 mg filmdragerad tablett" → "2.5 mg"). */
export function strengthOf(text: string): string | undefined {
  const m = /(\d+(?:[.,]\d+)?)\s*(mg|g|µg|mikrog|mcg|ml|IE|E|%|mmol)(?:\s*\/\s*(ml|dos|h|g))?(?![\p{L}\d])/iu.exec(text);
  if (!m) return undefined;
  return `${(m[1] as string).replace(',', '.')} ${(m[2] as string).toLowerCase()}${m[3] ? `/${m[3].toLowerCase()}` : ''}`;
}

function atcCodes(codes: { system?: string | undefined; code?: string | undefined }[]): string[] {
  return codes.filter((c) => c.system === ATC && c.code).map((c) => (c.code as string).trim().toUpperCase());
}

function isCurrentMedication(item: ClinicalItem): boolean {
  return item.status === undefined || CURRENT_MEDICATION.has(item.status);
}

/** When a stopped medication ended: its stated end, else its last date. */
function endOf(item: ClinicalItem): string | undefined {
  if (item.section !== 'medications') return undefined;
  return item.details.periodEnd ?? item.details.validUntil ?? item.date ?? item.provenance.recordedAt;
}

function medicationGroup(items: ClinicalItem[], options: AnnotateOptions): ItemGroup {
  if (items.some(isCurrentMedication)) return 'current';
  const now = (options.now ?? new Date()).getTime();
  const window = (options.recentlyStoppedDays ?? DEFAULT_RECENTLY_STOPPED_DAYS) * DAY_MS;
  const ends = items.map(endOf).filter((e): e is string => e !== undefined).map((e) => Date.parse(e)).filter((t) => !Number.isNaN(t));
  if (ends.length === 0) return 'history';
  return Math.max(...ends) >= now - window ? 'recentlyStopped' : 'history';
}

const SIMILAR_FIELDS: ReadonlySet<Conflict['field']> = new Set(['strength', 'dose', 'form', 'route', 'status']);

function isAnaphylaxis(words: string): boolean {
  return /anafyla|anaphyla|anafylak|anafylaktisk/i.test(words);
}

/** Annotates one merged item from the records behind it. */
export function annotateItem(merged: MergedItem, items: ClinicalItem[], options: AnnotateOptions): void {
  if (merged.section === 'medications') {
    merged.group = medicationGroup(items, options);
    const sources = new Set(items.map((i) => i.provenance.sourceId));
    const similar = merged.conflicts.some((c) => SIMILAR_FIELDS.has(c.field));
    const atc = atcCodes(merged.codes)[0];
    const named = merged.codes.find((c) => c.system === ATC && c.code?.toUpperCase() === atc);
    merged.reconciliation = {
      class: sources.size < 2 ? 'single' : similar ? 'similar' : 'identical',
      ...(atc ? { substance: named?.display ? `${atc} ${named.display}` : atc } : {}),
    };
    const currentStrengths = new Set(items.filter(isCurrentMedication).map((i) => strengthOf(i.text)).filter((s) => s !== undefined));
    if (merged.group === 'current' && currentStrengths.size > 1) merged.doubleMedication = true;
    return;
  }
  if (merged.section === 'allergies') {
    const high = items.some((i) => i.section === 'allergies' && i.details.criticality === 'high');
    const words = items.flatMap((i) => (i.section === 'allergies' ? (i.details.reactions ?? []).flatMap((r) => r.manifestations) : [])).join(' ');
    if (high || isAnaphylaxis(words)) merged.critical = true;
    if (items.every((i) => i.status !== undefined && INACTIVE_ALLERGY.has(i.status))) merged.group = 'inactive';
    return;
  }
  if (merged.section === 'problems') {
    if (items.every((i) => i.status !== undefined && INACTIVE_PROBLEM.has(i.status))) merged.group = 'inactive';
  }
}

/**
 * "Only in one source" says something only where another source has a
 * medication list to compare with: with one source, the mark is left out.
 */
export function dropLoneSingles(sections: Sections): void {
  const sources = new Set(sections.medications.flatMap((m) => m.sources.map((s) => s.sourceId)));
  if (sources.size > 1) return;
  for (const m of sections.medications) if (m.reconciliation?.class === 'single') delete m.reconciliation;
}

/** Two current medications of one risky therapeutic group (or one substance) are flagged together. */
export function flagDoubleMedication(sections: Sections): void {
  const current = sections.medications.filter((m) => m.group === 'current');
  const keyed = current.flatMap((item) => {
    const keys = new Set<string>();
    for (const code of atcCodes(item.codes)) {
      keys.add(`substance:${code}`);
      for (const group of DUPLICATE_THERAPY_GROUPS) {
        if (group.prefixes.some((p) => code.startsWith(p))) keys.add(`group:${group.name}`);
      }
    }
    return [...keys].map((key) => ({ key, item }));
  });
  const byGroup = new Map([...groupBy(keyed, (k) => k.key)].map(([key, list]) => [key, list.map((k) => k.item)]));
  for (const items of byGroup.values()) {
    if (items.length > 1) for (const item of items) item.doubleMedication = true;
  }
}
