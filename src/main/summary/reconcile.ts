/**
 * What the merge adds to an item beyond the facts: where it stands for the
 * clinician and what needs attention.
 *  - Medications: current (active, on hold, intended, unknown), recently
 *    stopped (ended within a window, default 6 months) or history; how the
 *    sources compare (identical / similar / single, by substance); possible
 *    double medication (two strengths of one substance current at once, or two
 *    current substances of a therapeutic group where that is a known risk).
 *  - National medication lists: their records (prescriptions, dispensings)
 *    stay apart from the care units' lists; each side is told what the other
 *    holds for the same substance (reconcileNationalList).
 *  - Allergies: high criticality or anaphylaxis raises the item into critical
 *    information; resolved, refuted or inactive ones stay visible as inactive.
 *  - Problems: resolved, inactive or in remission are inactive.
 */
import type { ClinicalItem, Conflict, ItemGroup, MergedItem, SectionKey, Sections } from '../../shared/summary';

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
  // Refills and repeated prescriptions repeat one text: read each distinct text once per process (bounded).
  const known = strengthCache.get(text);
  if (known !== undefined) return known === NO_STRENGTH ? undefined : known;
  const found = readStrength(text);
  if (strengthCache.size >= STRENGTH_CACHE_MAX) strengthCache.clear();
  strengthCache.set(text, found ?? NO_STRENGTH);
  return found;
}

const NO_STRENGTH = '';
const STRENGTH_CACHE_MAX = 4096;
const strengthCache = new Map<string, string>();

function readStrength(text: string): string | undefined {
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
  return stoppedGroup(items, options);
}

/** Recently stopped or history, by the latest end of the records. */
function stoppedGroup(items: ClinicalItem[], options: AnnotateOptions): ItemGroup {
  const now = (options.now ?? new Date()).getTime();
  const window = (options.recentlyStoppedDays ?? DEFAULT_RECENTLY_STOPPED_DAYS) * DAY_MS;
  const ends = items.map(endOf).filter((e): e is string => e !== undefined).map((e) => Date.parse(e)).filter((t) => !Number.isNaN(t));
  if (ends.length === 0) return 'history';
  return Math.max(...ends) >= now - window ? 'recentlyStopped' : 'history';
}

const SIMILAR_FIELDS: ReadonlySet<Conflict['field']> = new Set(['strength', 'dose', 'frequency', 'form', 'route', 'status']);

function isAnaphylaxis(words: string): boolean {
  return /anafyla|anaphyla|anafylak|anafylaktisk/i.test(words);
}

/**
 * Whether any of the record's reactions names anaphylaxis. Each manifestation
 * alone: the words hold no space, so none can match across two of them (the
 * same answer as testing them all joined, without joining a group's every
 * reaction into one string).
 */
function statesAnaphylaxis(item: ClinicalItem): boolean {
  if (item.section !== 'allergies') return false;
  for (const r of item.details.reactions ?? []) for (const m of r.manifestations) if (isAnaphylaxis(m)) return true;
  return false;
}

/** Whether annotateItem adds anything to an item of this section (the others need no call). */
export function isAnnotated(section: SectionKey): boolean {
  return section === 'medications' || section === 'allergies' || section === 'problems';
}

/** Annotates one merged item from the records behind it. */
export function annotateItem(merged: MergedItem, items: ClinicalItem[], options: AnnotateOptions): void {
  if (merged.section === 'medications' && merged.details.nationalList) {
    annotateNational(merged, items, options);
    return;
  }
  if (merged.section === 'medications') {
    merged.group = medicationGroup(items, options);
    const similar = merged.conflicts.some((c) => SIMILAR_FIELDS.has(c.field));
    const atc = atcCodes(merged.codes)[0];
    const named = merged.codes.find((c) => c.system === ATC && c.code?.toUpperCase() === atc);
    merged.reconciliation = {
      class: !severalSources(items) ? 'single' : similar ? 'similar' : 'identical',
      ...(atc ? { substance: named?.display ? `${atc} ${named.display}` : atc } : {}),
    };
    if (merged.group === 'current' && severalCurrentStrengths(items)) merged.doubleMedication = true;
    return;
  }
  if (merged.section === 'allergies') {
    const high = items.some((i) => i.section === 'allergies' && i.details.criticality === 'high');
    if (high || items.some(statesAnaphylaxis)) merged.critical = true;
    if (items.every((i) => i.status !== undefined && INACTIVE_ALLERGY.has(i.status))) merged.group = 'inactive';
    return;
  }
  if (merged.section === 'problems') {
    if (items.every((i) => i.status !== undefined && INACTIVE_PROBLEM.has(i.status))) merged.group = 'inactive';
  }
}

/** Records from more than one source (a loop, no set or list per merged item: ADR 0033). */
function severalSources(items: readonly ClinicalItem[]): boolean {
  const first = items[0]?.provenance.sourceId;
  for (let i = 1; i < items.length; i++) if ((items[i] as ClinicalItem).provenance.sourceId !== first) return true;
  return false;
}

/** Two current records naming different strengths. */
function severalCurrentStrengths(items: readonly ClinicalItem[]): boolean {
  let one: string | undefined;
  for (const item of items) {
    if (!isCurrentMedication(item)) continue;
    const strength = strengthOf(item.text);
    if (strength === undefined) continue;
    if (one === undefined) one = strength;
    else if (strength !== one) return true;
  }
  return false;
}

function isNational(item: MergedItem | ClinicalItem): boolean {
  return item.section === 'medications' && item.details.nationalList !== undefined;
}

/**
 * A national list's record: a valid prescription is current; a dispensing
 * counts as current while its last dispensing is within the recently-stopped
 * window (it says the medicine was handed over, not that it is taken). Several
 * dispensings of one medicine are one item carrying the newest date and amount.
 */
function annotateNational(merged: MergedItem, items: ClinicalItem[], options: AnnotateOptions): void {
  if (merged.section !== 'medications') return;
  const now = (options.now ?? new Date()).getTime();
  const window = (options.recentlyStoppedDays ?? DEFAULT_RECENTLY_STOPPED_DAYS) * DAY_MS;
  const atc = atcCodes(merged.codes)[0];
  const named = merged.codes.find((c) => c.system === ATC && c.code?.toUpperCase() === atc);
  if (atc) merged.reconciliation = { class: 'single', substance: named?.display ? `${atc} ${named.display}` : atc };
  if (merged.details.recordKind === 'dispensed') {
    const dispensings = items.filter((i) => i.section === 'medications' && i.details.lastDispensed !== undefined);
    if (dispensings.length > 1) merged.details = { ...merged.details, dispenseCount: dispensings.length };
    const last = Date.parse(merged.details.lastDispensed ?? merged.date ?? '');
    merged.group = !Number.isNaN(last) && last >= now - window ? 'current' : 'history';
    return;
  }
  const until = Date.parse(merged.details.validUntil ?? '');
  const expired = !Number.isNaN(until) && until < now;
  merged.group = !expired && items.some(isCurrentMedication) ? 'current' : stoppedGroup(items, options);
}

/** The keys a medication is compared by across the two kinds of list: its ATC codes, else its other codes, else its text. */
function substanceKeys(item: MergedItem): string[] {
  const atc = atcCodes(item.codes);
  if (atc.length > 0) return atc.map((c) => `atc:${c}`);
  const codes = item.codes.filter((c) => c.code).map((c) => `${c.system ?? ''}|${(c.code as string).trim().toUpperCase()}`);
  return codes.length > 0 ? codes : [`text:${item.text.trim().toLowerCase()}`];
}

/**
 * Places a national medication list beside the care units' lists: each care
 * unit's medication says whether the national list holds the same substance
 * prescribed and/or dispensed (and the last dispensing), and each national
 * record names the care-unit sources that list it. Nothing is merged or hidden.
 */
export function reconcileNationalList(sections: Sections): void {
  const national = sections.medications.filter(isNational);
  if (national.length === 0) return;
  const careUnits = sections.medications.filter((m) => !isNational(m) && m.details.absence === undefined);
  const byKey = new Map<string, MergedItem[]>();
  for (const n of national) {
    if (n.group !== 'current') continue;
    for (const key of substanceKeys(n)) byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  const careByKey = new Map<string, MergedItem[]>();
  for (const c of careUnits) for (const key of substanceKeys(c)) careByKey.set(key, [...(careByKey.get(key) ?? []), c]);
  for (const c of careUnits) {
    const matches = [...new Set(substanceKeys(c).flatMap((k) => byKey.get(k) ?? []))];
    const dispensed = matches.filter((m) => m.section === 'medications' && m.details.recordKind === 'dispensed');
    const last = dispensed
      .map((m) => (m.section === 'medications' ? m.details.lastDispensed : undefined))
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1);
    // A care unit's stopped medication is compared only where the list still has it (dispensed after stopping...).
    if (matches.length === 0 && c.group !== 'current') continue;
    const entry = {
      prescribed: matches.some((m) => m.section === 'medications' && m.details.recordKind === 'prescribed'),
      dispensed: dispensed.length > 0,
      ...(last ? { lastDispensed: last } : {}),
    };
    c.nationalList = entry;
  }
  for (const n of national) {
    const listing = substanceKeys(n).flatMap((k) => careByKey.get(k) ?? []).filter((c) => c.group === 'current' || c.group === undefined);
    const names = [...new Set(listing.flatMap((c) => c.sources.map((p) => p.sourceName)))].sort();
    n.careUnits = names;
  }
}

/**
 * "Only in one source" says something only where another source has a
 * medication list to compare with: with one source, the mark is left out.
 */
export function dropLoneSingles(sections: Sections): void {
  // A national list is not another care unit's list to compare with.
  let first: string | undefined;
  for (const m of sections.medications) {
    if (isNational(m)) continue;
    for (const s of m.sources) {
      if (first === undefined) first = s.sourceId;
      else if (s.sourceId !== first) return;
    }
  }
  for (const m of sections.medications) if (!isNational(m) && m.reconciliation?.class === 'single') delete m.reconciliation;
}

/** Two current medications of one risky therapeutic group (or one substance) are flagged together. */
export function flagDoubleMedication(sections: Sections): void {
  // A national list's prescription or dispensing restates a therapy; it is not a second one.
  // Per substance or group key, its current medications (each once); loops, not a list of pairs (ADR 0033).
  const byGroup = new Map<string, MergedItem[]>();
  const add = (key: string, item: MergedItem): void => {
    const list = byGroup.get(key);
    if (!list) byGroup.set(key, [item]);
    else if (list[list.length - 1] !== item) list.push(item);
  };
  for (const item of sections.medications) {
    if (item.group !== 'current' || isNational(item)) continue;
    for (const code of atcCodes(item.codes)) {
      add(`substance:${code}`, item);
      for (const group of DUPLICATE_THERAPY_GROUPS) {
        if (group.prefixes.some((p) => code.startsWith(p))) add(`group:${group.name}`, item);
      }
    }
  }
  for (const items of byGroup.values()) {
    if (items.length > 1) for (const item of items) item.doubleMedication = true;
  }
}
