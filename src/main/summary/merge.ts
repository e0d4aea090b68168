/**
 * Merge items from all sources into sections in IPS order, so that no record
 * is ever merged away:
 *  - Records a source retracted (entered in error, cancelled, ...) leave their
 *    section and are counted (`retracted`).
 *  - Records that state the same fact become one item: in the same section,
 *    sharing a code (in any system, aliases normalized), or uncoded with the
 *    same text; for events (results, vaccinations...) also at the same time.
 *    An event with no time is never merged: two undated values may be two facts.
 *  - A correction (FHIR corrected/amended, HL7 OBX-11 C) replaces what its
 *    source sent before for that fact, visibly: the item is marked corrected
 *    and the replaced versions are kept in its history.
 *  - One source stating two different values for one fact states two facts:
 *    the group splits by value, and other sources join the value they share.
 *  - Where sources disagree (status, value, date, strength, dose, route, form,
 *    criticality, reactions, verification), each source's value is kept side by
 *    side, never resolved by picking a winner.
 * Every input record stays reachable from exactly one item (its provenance in
 * `sources` or `history`) or is counted as retracted. The result does not
 * depend on the order of the input.
 */
import { normalizeSystem } from '../../shared/codeSystems';
import { groupBy } from '../../shared/groupBy';
import {
  CONFLICT_FIELDS,
  SECTION_KEYS,
  emptySections,
  isPointInTime,
  type ClinicalItem,
  type Coding,
  type Conflict,
  type ConflictField,
  type HistoryEntry,
  type MergedItem,
  type Quantity,
  type SectionKey,
  type Sections,
} from '../../shared/summary';
import {
  annotateItem,
  dropLoneSingles,
  isAnnotated,
  flagDoubleMedication,
  reconcileNationalList,
  strengthOf,
  type AnnotateOptions,
} from './reconcile';

export type MergeOptions = AnnotateOptions;

export interface MergeResult {
  sections: Sections;
  /** Records left out because their source retracted them, by section. */
  retracted: Partial<Record<SectionKey, number>>;
}

/** Statuses that say a record is not a fact about the patient: it leaves the section, counted. */
const RETRACTED: Partial<Record<SectionKey, ReadonlySet<string>>> = {};
const ALWAYS_RETRACTED = new Set(['entered-in-error']);
for (const section of SECTION_KEYS) RETRACTED[section] = ALWAYS_RETRACTED;
RETRACTED.medications = new Set(['entered-in-error', 'cancelled']);
RETRACTED.results = new Set(['entered-in-error', 'cancelled']);
RETRACTED.procedures = new Set(['entered-in-error']);
RETRACTED.problems = new Set(['entered-in-error', 'refuted']);
RETRACTED.encounters = new Set(['entered-in-error', 'cancelled']);
RETRACTED.documents = new Set(['entered-in-error']);

/** Statuses by which a source corrects what it sent before. */
const CORRECTION = new Set(['corrected', 'amended']);

export function isRetracted(item: ClinicalItem): boolean {
  return item.status !== undefined && (RETRACTED[item.section]?.has(item.status) ?? false);
}

function normalizeText(text: string): string {
  // toLowerCase, not toLocaleLowerCase: the same for å, ä, ö, æ, ø, and many times faster.
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Swedish collation, made at the first sort that needs it: building it costs ~18 ms, which module load would add to every start. */
let collator: Intl.Collator | undefined;
function compareText(a: string, b: string): number {
  collator ??= new Intl.Collator('sv');
  return collator.compare(a, b);
}

/** normalizeSystem per distinct system string, once: a merge sees a handful of systems over thousands of codes. */
const systemCache = new Map<string, string>();
function cachedSystem(system: string | undefined): string {
  const s = system ?? '';
  let normalized = systemCache.get(s);
  if (normalized === undefined) {
    normalized = normalizeSystem(s);
    // Bounded: input systems are data; past this size, normalize without remembering.
    if (systemCache.size < 1024) systemCache.set(s, normalized);
  }
  return normalized;
}

function codeKey(c: Coding): string {
  return `${cachedSystem(c.system)}|${(c.code ?? '').trim().toUpperCase()}`;
}

/**
 * `prefix` + codeKey(c), remembered per prefix, system and code: a merge sees
 * few distinct codes over many records, and building and hashing the same
 * key again for each record is a measurable part of a 50,000-item merge.
 * Bounded: past the bound it is built without remembering.
 */
const prefixedKeys = new Map<string, Map<string, Map<string, string>>>();
let prefixedCount = 0;
const PREFIXED_MAX = 16_384;
function prefixedCodeKey(prefix: string, c: Coding): string {
  const system = c.system ?? '';
  const code = c.code ?? '';
  let bySystem = prefixedKeys.get(prefix);
  let byCode = bySystem?.get(system);
  let key = byCode?.get(code);
  if (key !== undefined) return key;
  key = `${prefix}${codeKey(c)}`;
  if (prefixedCount >= PREFIXED_MAX) {
    prefixedKeys.clear();
    prefixedCount = 0;
    bySystem = undefined;
    byCode = undefined;
  }
  if (!bySystem) prefixedKeys.set(prefix, (bySystem = new Map()));
  if (!byCode) bySystem.set(system, (byCode = new Map()));
  byCode.set(code, key);
  prefixedCount++;
  return key;
}

function codeKeys(codes: Coding[]): string[] {
  // One code is the common case: no intermediate arrays.
  if (codes.length === 1) {
    const only = codes[0] as Coding;
    return only.code && only.code.trim() !== '' ? [codeKey(only)] : [];
  }
  return codes
    .filter((c) => c.code && c.code.trim() !== '')
    .map(codeKey)
    .sort();
}

export function valueToString(value: Quantity | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  return `${value.comparator ?? ''}${value.value}${value.unit ? ` ${value.unit}` : ''}`;
}

/** Set by onlyFact: the time of the fact it returned, for an event; else undefined. */
let onlyFactDate: string | undefined;

/**
 * The item's fact (without its time) when it has exactly one (one code, or
 * text only, or an undated event), else undefined: the common case, without
 * an array. An event's time goes to `onlyFactDate`: the fact key with its
 * time is at(fact, date), built only for the item's own key.
 */
function onlyFact(item: ClinicalItem): string | undefined {
  const event = isPointInTime(item.section);
  onlyFactDate = undefined;
  if (event && !item.date) return `${item.section}:record:${item.provenance.sourceId}|${item.provenance.recordId}`;
  const codes = item.codes;
  if (codes.length > 1) return undefined;
  const prefix = item.section === 'medications' ? `${item.section}:${nationalListKey(item)}` : SECTION_PREFIX[item.section];
  const only = codes[0];
  const fact = only?.code && only.code.trim() !== '' ? prefixedCodeKey(prefix, only) : `${prefix}text:${normalizeText(item.text)}`;
  if (event) onlyFactDate = item.date;
  return fact;
}

/** `${fact}@${date}`: an event's fact at its time. */
function at(fact: string, date: string | undefined): string {
  return `${fact}@${date ?? ''}`;
}

const SECTION_PREFIX = Object.fromEntries(SECTION_KEYS.map((k) => [k, `${k}:`])) as Record<SectionKey, string>;

/** The identity keys of one item: each code (or its text), at its time for events. */
function factKeys(item: ClinicalItem): string[] {
  const facts = untimedFacts(item);
  const date = factTime(item);
  if (date !== undefined) for (let k = 0; k < facts.length; k++) facts[k] = at(facts[k] as string, date);
  return facts;
}

/** An event's time, part of its identity; undefined for a standing fact and for an undated event (its record is its identity). */
function factTime(item: ClinicalItem): string | undefined {
  return isPointInTime(item.section) && item.date ? item.date : undefined;
}

/** The identity keys of one item without its time: each code (or its text), in key order; an undated event's record. */
function untimedFacts(item: ClinicalItem): string[] {
  if (isPointInTime(item.section) && !item.date) {
    // No time: nothing says this is the same event as another one.
    return [`${item.section}:record:${item.provenance.sourceId}|${item.provenance.recordId}`];
  }
  // A national list's record is another kind of fact than a care unit's: kept beside it, never merged into it.
  const prefix = `${item.section}:${nationalListKey(item)}`;
  // One code (the common case): one key, no intermediate arrays or closures.
  const only = item.codes.length === 1 ? (item.codes[0] as Coding) : undefined;
  if (only?.code && only.code.trim() !== '') return [`${prefix}${codeKey(only)}`];
  const codes = codeKeys(item.codes);
  if (codes.length === 0) return [`${prefix}text:${normalizeText(item.text)}`];
  for (let k = 0; k < codes.length; k++) codes[k] = `${prefix}${codes[k] as string}`;
  return codes;
}

/** `national:SE:dispensed:` for a national medication list's record, else ''. */
function nationalListKey(item: ClinicalItem): string {
  if (item.section !== 'medications' || !item.details.nationalList) return '';
  return `national:${item.details.nationalList}:${item.details.recordKind}:`;
}

/** The stable key of an item alone: its smallest fact key (two items with a shared key are one fact). */
export function mergeKey(item: ClinicalItem): string {
  return factKeys(item)[0] as string;
}

/** The groups of facts: per item its group's root, the group's size (at its root) and smallest key (at its root). */
interface FactGroups {
  root: Int32Array;
  size: Int32Array;
  key: string[];
}

/**
 * Union-find over items, joined by any shared fact key; each group with its
 * smallest key. Typed arrays and key maps: no per-item closures, and no group
 * object or list for the many facts only one record states (a hot path).
 *
 * An event's fact and its time are looked up in two steps (per fact, a map by
 * time) rather than as one `fact@time` string: the fact is one remembered
 * string (prefixedCodeKey) and the time the item's own, so no key is built,
 * flattened and hashed per record, and the `fact@time` key an item carries is
 * a string that is never hashed. Two records share a key exactly when they
 * share a fact and, for events, the time.
 */
function* groupByFact(items: readonly ClinicalItem[], grain: number): Generator<void, FactGroups, void> {
  const n = items.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const owners: Owners = { plain: new Map(), timed: new Map() };
  const smallest: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    if (i % grain === grain - 1) yield;
    const item = items[i] as ClinicalItem;
    const one = onlyFact(item);
    if (one !== undefined) {
      const date = onlyFactDate;
      smallest[i] = date === undefined ? one : at(one, date);
      claim(owners, parent, one, date, i);
      continue;
    }
    const facts = untimedFacts(item);
    const date = factTime(item);
    smallest[i] = date === undefined ? (facts[0] as string) : at(facts[0] as string, date);
    for (let k = 0; k < facts.length; k++) claim(owners, parent, facts[k] as string, date, i);
  }
  yield;
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (i % grain === grain - 1) yield;
    const r = findRoot(parent, i);
    parent[i] = r;
    size[r] = (size[r] as number) + 1;
    // The group's key is its smallest: kept at the root (the root is the group's first item, its own key seen first).
    if (r !== i && (smallest[i] as string) < (smallest[r] as string)) smallest[r] = smallest[i] as string;
  }
  return { root: parent, size, key: smallest };
}

/** Who owns each key: a standing fact (or an undated event's record) by its fact; an event by its fact, then its time. */
interface Owners {
  plain: Map<string, number>;
  timed: Map<string, Map<string, number>>;
}

/** Record i owns the key if nobody does yet, else joins the group of the record that does (the smaller root stays root). */
function claim(owners: Owners, parent: Int32Array, fact: string, date: string | undefined, i: number): void {
  let owner = owners.plain;
  let key = fact;
  if (date !== undefined) {
    let byDate = owners.timed.get(fact);
    if (!byDate) owners.timed.set(fact, (byDate = new Map()));
    owner = byDate;
    key = date;
  }
  const j = owner.get(key);
  if (j === undefined) {
    owner.set(key, i);
    return;
  }
  const a = findRoot(parent, i);
  const b = findRoot(parent, j);
  if (a !== b) parent[a > b ? a : b] = a > b ? b : a;
}

function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const up = parent[parent[i] as number] as number;
    parent[i] = up;
    i = up;
  }
  return i;
}

/** Descending string order (a hoisted helper: a closure per comparison is measurable in a 50,000-item sort). */
function desc(x: string, y: string): number {
  return x === y ? 0 : x < y ? 1 : -1;
}

/** A total order on records, so every choice below is independent of input order. */
function byRecency(a: ClinicalItem, b: ClinicalItem): number {
  // Newest first by date, then recorded date, then source and record id: no arrays per comparison (a hot path).
  return (
    desc(a.date ?? '', b.date ?? '') ||
    desc(a.provenance.recordedAt ?? '', b.provenance.recordedAt ?? '') ||
    desc(a.provenance.sourceId, b.provenance.sourceId) ||
    desc(a.provenance.recordId, b.provenance.recordId)
  );
}

/**
 * Ascending by source, then record id (the order of an item's `sources`).
 * Source ids hold no NUL, so this is the order of `${sourceId}\u0000${recordId}`
 * strings, without building two strings per comparison.
 */
function byRecord(a: ClinicalItem, b: ClinicalItem): number {
  const x = a.provenance;
  const y = b.provenance;
  if (x.sourceId !== y.sourceId) return x.sourceId < y.sourceId ? -1 : 1;
  return x.recordId < y.recordId ? -1 : x.recordId > y.recordId ? 1 : 0;
}

/**
 * Per source, a correction replaces that source's earlier versions of the fact:
 * the newest correction stays current, what it replaced goes to its history.
 */
function applyCorrections(group: ClinicalItem[]): { current: ClinicalItem[]; replacedBy: Map<ClinicalItem, ClinicalItem[]> } {
  if (!group.some(isCorrection)) return { current: group, replacedBy: NO_REPLACEMENTS as Map<ClinicalItem, ClinicalItem[]> };
  const bySource = groupBy(group, (item) => item.provenance.sourceId);
  const current: ClinicalItem[] = [];
  const replacedBy = new Map<ClinicalItem, ClinicalItem[]>();
  for (const items of bySource.values()) {
    const latest = items.filter((i) => i.status !== undefined && CORRECTION.has(i.status)).sort(byRecency)[0];
    if (!latest) {
      current.push(...items);
      continue;
    }
    current.push(latest);
    replacedBy.set(latest, items.filter((i) => i !== latest));
  }
  return { current, replacedBy };
}

function isCorrection(item: ClinicalItem): boolean {
  return item.status !== undefined && CORRECTION.has(item.status);
}

/** Shared by the groups without a correction (never written to). */
const NO_REPLACEMENTS: ReadonlyMap<ClinicalItem, ClinicalItem[]> = new Map();

/** One source with two different values for one fact: split the group by value. */
function lanes(current: ClinicalItem[]): ClinicalItem[][] {
  const valuesBySource = new Map<string, Set<string>>();
  for (const item of current) {
    const v = valueToString(item.value);
    if (v === undefined) continue;
    const set = valuesBySource.get(item.provenance.sourceId) ?? new Set<string>();
    set.add(v);
    valuesBySource.set(item.provenance.sourceId, set);
  }
  if (![...valuesBySource.values()].some((set) => set.size > 1)) return [current];
  const byValue = new Map<string, ClinicalItem[]>();
  for (const item of current) {
    const v = valueToString(item.value) ?? '';
    const lane = byValue.get(v);
    if (lane) lane.push(item);
    else byValue.set(v, [item]);
  }
  return [...byValue.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, lane]) => lane);
}

function reactionWords(item: ClinicalItem): string | undefined {
  if (item.section !== 'allergies') return undefined;
  const reactions = item.details.reactions;
  if (!reactions || reactions.length === 0) return undefined;
  // One reaction with one manifestation (the common case): no sets or arrays.
  if (reactions.length === 1 && (reactions[0] as { manifestations: string[] }).manifestations.length === 1) {
    return normalizeText((reactions[0] as { manifestations: string[] }).manifestations[0] as string);
  }
  const words = [...new Set((item.details.reactions ?? []).flatMap((r) => r.manifestations.map(normalizeText)))].sort();
  return words.length > 0 ? words.join(', ') : undefined;
}

/** Day precision, and only where both dates are full days: "2016" and "2016-02-12" do not disagree. */
function dayOf(date: string | undefined): string | undefined {
  return date && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : undefined;
}

const FIELD_READERS: Record<ConflictField, (i: ClinicalItem) => string | undefined> = {
  status: (i) => i.status,
  value: (i) => valueToString(i.value),
  // Onset or start of a standing fact; an event's time is part of what it is.
  date: (i) => (isPointInTime(i.section) || i.section === 'medications' ? undefined : dayOf(i.date)),
  // Local names differ; text only counts where nothing is coded (then it is the identity itself).
  text: () => undefined,
  strength: (i) => (i.section === 'medications' ? strengthOf(i.text) : undefined),
  dose: (i) => (i.section === 'medications' ? i.details.dose : undefined),
  frequency: (i) => (i.section === 'medications' ? i.details.frequency : undefined),
  route: (i) => (i.section === 'medications' || i.section === 'immunizations' ? i.details.route : undefined),
  form: (i) => (i.section === 'medications' ? i.details.form : undefined),
  criticality: (i) => (i.section === 'allergies' ? i.details.criticality : undefined),
  reaction: reactionWords,
  verification: (i) => (i.section === 'allergies' || i.section === 'problems' ? i.details.verificationStatus : undefined),
};

function conflictsOf(items: ClinicalItem[]): Conflict[] {
  const out: Conflict[] = [];
  // Disagreement needs two sources.
  const first = items[0]?.provenance.sourceId;
  let sourcesDiffer = false;
  for (let i = 1; i < items.length && !sourcesDiffer; i++) sourcesDiffer = (items[i] as ClinicalItem).provenance.sourceId !== first;
  if (!sourcesDiffer) return out;
  for (const field of CONFLICT_FIELDS) {
    const read = FIELD_READERS[field];
    // One value (or none) across every record is no disagreement: the common case, without sets.
    let one: string | undefined;
    let differs = false;
    for (let i = 0; i < items.length && !differs; i++) {
      const value = read(items[i] as ClinicalItem);
      if (value === undefined || value === '') continue;
      if (one === undefined) one = value;
      else differs = value !== one;
    }
    if (!differs) continue;
    // Per source the values it stated, once each (no string built per record: a refilled medication's group holds every refill).
    const seen = new Map<string, Set<string>>();
    const values: { sourceId: string; value: string }[] = [];
    for (let n = 0; n < items.length; n++) {
      const item = items[n] as ClinicalItem;
      const value = read(item);
      if (value === undefined || value === '') continue;
      const sourceId = item.provenance.sourceId;
      let stated = seen.get(sourceId);
      if (!stated) seen.set(sourceId, (stated = new Set()));
      else if (stated.has(value)) continue;
      stated.add(value);
      values.push({ sourceId, value });
    }
    values.sort((a, b) => (a.sourceId === b.sourceId ? (a.value < b.value ? -1 : 1) : a.sourceId < b.sourceId ? -1 : 1));
    // A disagreement is between sources: one source's own history (a medication
    // first active, later stopped) is not a conflict to show.
    const sources = new Set(values.map((v) => v.sourceId));
    if (sources.size > 1 && new Set(values.map((v) => v.value)).size > 1) out.push({ field, values });
  }
  return out;
}

function historyOf(replaced: ClinicalItem[]): HistoryEntry[] {
  return [...replaced].sort(byRecency).map((i) => ({
    text: i.text,
    ...(i.status !== undefined ? { status: i.status } : {}),
    ...(i.date !== undefined ? { date: i.date } : {}),
    ...(i.value !== undefined ? { value: i.value } : {}),
    provenance: i.provenance,
  }));
}

/** Every source's reactions on an allergy: none is dropped because another source stated it differently. */
function mergedDetails(representative: ClinicalItem, items: ClinicalItem[]): ClinicalItem['details'] {
  if (representative.section !== 'allergies') return representative.details;
  const byKey = new Map<string, NonNullable<typeof representative.details.reactions>[number]>();
  for (const r of items.flatMap((i) => (i.section === 'allergies' ? (i.details.reactions ?? []) : []))) {
    const k = JSON.stringify([r.manifestations.map(normalizeText), r.severity ?? '', r.substance ?? '']);
    if (!byKey.has(k)) byKey.set(k, r);
  }
  // In a fixed order, so the result does not depend on which source answered first.
  const reactions = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  return reactions.length > 0 ? { ...representative.details, reactions } : representative.details;
}

/** Two codings name the same code when their normalized systems and codes are equal. */
function sameCodeKey(c: Coding): string {
  // A missing code is its own value, never the text "undefined".
  return c.code === undefined ? `${cachedSystem(c.system)}\u0000` : `${cachedSystem(c.system)}|${c.code}`;
}

/** The newest record (byRecency's first; of equal ones the first given, as a stable sort has it): one pass, no sort. */
function newestOf(items: readonly ClinicalItem[]): ClinicalItem {
  let newest = items[0] as ClinicalItem;
  for (let n = 1; n < items.length; n++) if (byRecency(items[n] as ClinicalItem, newest) < 0) newest = items[n] as ClinicalItem;
  return newest;
}

/** Whether every record's codes are among the representative's (same system and code): then no other record adds one. */
function codesWithin(items: readonly ClinicalItem[], codes: readonly Coding[]): boolean {
  for (let n = 0; n < items.length; n++) {
    for (const c of (items[n] as ClinicalItem).codes) if (!codes.some((k) => k.system === c.system && k.code === c.code)) return false;
  }
  return true;
}

function buildItem(key: string, items: ClinicalItem[], replaced: ClinicalItem[], options: MergeOptions): MergedItem {
  // The records in recency order only where another record adds codes (which of two alike codes is kept
  // follows that order); else the representative alone, found in one pass (a group of a refilled
  // medication holds every refill: a sort per group was a measurable, superlinear part of a large merge).
  const newest = newestOf(items);
  const ordered = codesWithin(items, newest.codes) ? [newest] : [...items].sort(byRecency);
  const representative = ordered[0] as ClinicalItem;
  const codes: Coding[] = [...representative.codes];
  // The other records' codes the representative lacks, once each, in a fixed order.
  const have = new Set<string>();
  for (const k of codes) have.add(sameCodeKey(k));
  const extra: Coding[] = [];
  for (let n = 1; n < ordered.length; n++) {
    for (const c of (ordered[n] as ClinicalItem).codes) {
      // The same system and code as the representative's (most records): no key to build.
      if (codes.some((k) => k.system === c.system && k.code === c.code)) continue;
      if (!have.has(sameCodeKey(c))) extra.push(c);
    }
  }
  if (extra.length > 0) {
    for (const c of extra.sort((a, b) => (`${a.system}|${a.code}` < `${b.system}|${b.code}` ? -1 : 1))) {
      const k = sameCodeKey(c);
      if (!have.has(k)) {
        have.add(k);
        codes.push(c);
      }
    }
  }
  const { provenance: _p, ...base } = representative;
  const merged = {
    ...base,
    details: mergedDetails(representative, items),
    key,
    codes,
    sealed: items.some((i) => i.sealed),
    sources: [...items].sort(byRecord).map((i) => i.provenance),
    conflicts: conflictsOf(items),
  } as MergedItem;
  if (items.some((i) => i.status !== undefined && CORRECTION.has(i.status))) merged.corrected = true;
  const history = historyOf(replaced);
  if (history.length > 0) merged.history = history;
  annotateItem(merged, items, options);
  return merged;
}

/** One record cannot disagree with itself: every single item shares this empty, frozen list. */
const NO_CONFLICTS = Object.freeze([]) as unknown as Conflict[];

/** A fact only one record states: nothing to compare or replace. */
function single(key: string, item: ClinicalItem, options: MergeOptions): MergedItem {
  // One literal with every field (an absent one undefined, which JSON leaves out): an object
  // rest/spread, or fields added afterwards, is a measurable part of a 50,000-item merge.
  const merged = {
    key,
    section: item.section,
    codes: item.codes,
    text: item.text,
    status: item.status,
    date: item.date,
    value: item.value,
    details: item.details,
    sealed: item.sealed,
    sources: [item.provenance],
    conflicts: NO_CONFLICTS,
  } as unknown as MergedItem;
  if (isAnnotated(item.section)) annotateItem(merged, [item], options);
  return merged;
}

function byDateDesc(a: MergedItem, b: MergedItem): number {
  if (a.date === b.date) return byTextThenKey(a, b);
  if (!a.date) return 1;
  if (!b.date) return -1;
  return a.date < b.date ? 1 : -1;
}

/** Items of one date: by text as Swedish sorts it, then by key (a total order). */
function byTextThenKey(a: MergedItem, b: MergedItem): number {
  return a.text === b.text ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : compareText(a.text, b.text);
}


/** The same record delivered twice (same source, same record id, same content) is one record. */
function withoutExactDuplicates(items: readonly ClinicalItem[]): ClinicalItem[] {
  // Identical records have identical fact keys, so they share a group; a
  // group of one has nothing to compare (most items: no map entry for them).
  if (items.length < 2) return items as ClinicalItem[];
  // A record id seen once holds its item; a list only once a record id repeats (rare).
  const bySource = new Map<string, Map<string, ClinicalItem | ClinicalItem[]>>();
  const out: ClinicalItem[] = [];
  for (let n = 0; n < items.length; n++) {
    const item = items[n] as ClinicalItem;
    let byRecord = bySource.get(item.provenance.sourceId);
    if (!byRecord) bySource.set(item.provenance.sourceId, (byRecord = new Map()));
    const seen = byRecord.get(item.provenance.recordId);
    if (seen === undefined) {
      byRecord.set(item.provenance.recordId, item);
      out.push(item);
      continue;
    }
    // Only records sharing a record id are compared whole.
    const same = Array.isArray(seen) ? seen : [seen];
    const text = JSON.stringify(item);
    if (same.some((other) => JSON.stringify(other) === text)) continue;
    same.push(item);
    if (same !== seen) byRecord.set(item.provenance.recordId, same);
    out.push(item);
  }
  return out;
}

/**
 * Records handled between two pauses of a stepwise merge: ~1,000 records are
 * a few milliseconds of work, so a driver's slice (TimeSlices) overshoots its
 * budget by little.
 */
export const MERGE_GRAIN = 1024;

/**
 * The merge as a job of bounded steps (ADR 0037): a generator that yields
 * between chunks of about `grain` records, groups or sorted items, through
 * every phase (retractions, grouping, single facts, gathered groups, each
 * section's sort, the medication checks). Driven to its end without pauses it
 * is mergeSummary; driven by TimeSlices the event loop turns between steps.
 * The result is the same either way: the steps only say where a driver may
 * pause, never change what is computed.
 */
export function* mergeSteps(input: readonly ClinicalItem[], options: MergeOptions = {}, grain: number = MERGE_GRAIN): Generator<void, MergeResult, void> {
  grain = Math.max(1, Math.min(WHOLE, Math.floor(grain) || 1));
  const retracted: Partial<Record<SectionKey, number>> = {};
  const retractedItems: ClinicalItem[] = [];
  // Index loops over records here and below: for-of allocates an iterator result per record until optimized.
  for (let i = 0; i < input.length; i++) {
    if (i % grain === grain - 1) yield;
    if (isRetracted(input[i] as ClinicalItem)) retractedItems.push(input[i] as ClinicalItem);
  }
  // Most answers retract nothing: then the input is what is kept, without a copy.
  const kept = retractedItems.length === 0 ? input : input.filter((item) => !isRetracted(item));
  // Identical records are one record: among the retracted ones (counted once) and within each group below.
  for (const item of withoutExactDuplicates(retractedItems)) retracted[item.section] = (retracted[item.section] ?? 0) + 1;
  const sections = emptySections();
  yield;
  const groups = yield* groupByFact(kept, grain);
  // Facts one record states become items at once; larger groups are gathered first, in the order of
  // their first record (arrays indexed by root, not a map: no map entry per group to build or iterate).
  const gathered: ClinicalItem[][] = [];
  const gatheredRoot: number[] = [];
  const listOf = new Int32Array(kept.length).fill(-1);
  for (let i = 0; i < kept.length; i++) {
    if (i % grain === grain - 1) yield;
    const item = kept[i] as ClinicalItem;
    const root = groups.root[i] as number;
    if (groups.size[root] === 1) {
      const merged = single(groups.key[i] as string, item, options);
      (sections[merged.section] as MergedItem[]).push(merged);
      continue;
    }
    const at = listOf[root] as number;
    if (at >= 0) (gathered[at] as ClinicalItem[]).push(item);
    else {
      listOf[root] = gathered.length;
      gathered.push([item]);
      gatheredRoot.push(root);
    }
  }
  // A gathered group is a few records (a refilled medication's: every refill): counted by its records.
  let since = 0;
  for (let g = 0; g < gathered.length; g++) {
    const found = gathered[g] as ClinicalItem[];
    const groupKey = groups.key[gatheredRoot[g] as number] as string;
    since += found.length;
    if (since >= grain) {
      since = 0;
      yield;
    }
    const group = withoutExactDuplicates(found);
    if (group.length === 1) {
      const merged = single(groupKey, group[0] as ClinicalItem, options);
      (sections[merged.section] as MergedItem[]).push(merged);
      continue;
    }
    const { current, replacedBy } = applyCorrections(group);
    const split = lanes(current);
    for (let n = 0; n < split.length; n++) {
      const lane = split[n] as ClinicalItem[];
      const key = split.length > 1 ? `${groupKey}#${valueToString(lane[0]?.value) ?? n}` : groupKey;
      // What a correction replaced stays with that correction, in exactly one item.
      const replaced: ClinicalItem[] = [];
      for (const i of lane) {
        const r = replacedBy.get(i);
        if (r) for (const x of r) replaced.push(x);
      }
      const merged = buildItem(key, lane, replaced, options);
      (sections[merged.section] as MergedItem[]).push(merged);
    }
  }
  for (const section of SECTION_KEYS) yield* sortSteps(sections[section], byDateDesc, grain);
  yield;
  flagDoubleMedication(sections);
  dropLoneSingles(sections);
  yield;
  reconcileNationalList(sections);
  return { sections, retracted };
}

/** A grain no input reaches: the steps never pause and each section is sorted natively at once. */
const WHOLE = 2 ** 30;

export function mergeSummary(input: readonly ClinicalItem[], options: MergeOptions = {}): MergeResult {
  return runToEnd(mergeSteps(input, options, WHOLE));
}

/** A stepwise job run at once, without pauses. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Sorted runs of this many grains are sorted natively; longer lists are then merged stepwise. */
const SORT_RUN_GRAINS = 8;

/**
 * Sorts `list` in place by `compare`, as a stable sort does (Array.prototype.sort
 * is stable): a list of at most 8 grains at once; a longer one in sorted runs,
 * then merged pairwise (bottom-up, the left run first on ties, so stable too),
 * yielding every grain of items. Two stable sorts by one consistent order give
 * the same list.
 */
export function* sortSteps<T>(list: T[], compare: (a: T, b: T) => number, grain: number = MERGE_GRAIN): Generator<void, void, void> {
  const run = grain * SORT_RUN_GRAINS;
  const n = list.length;
  if (n <= run) {
    list.sort(compare);
    return;
  }
  let from: T[] = list;
  for (let start = 0; start < n; start += run) {
    const sorted = list.slice(start, Math.min(n, start + run)).sort(compare);
    for (let k = 0; k < sorted.length; k++) list[start + k] = sorted[k] as T;
    yield;
  }
  let to: T[] = new Array<T>(n);
  for (let width = run; width < n; width *= 2) {
    let steps = 0;
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(n, left + width);
      const end = Math.min(n, left + 2 * width);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < end) {
        to[k++] = compare(from[j] as T, from[i] as T) < 0 ? (from[j++] as T) : (from[i++] as T);
        if (++steps === grain) {
          steps = 0;
          yield;
        }
      }
      while (i < mid) to[k++] = from[i++] as T;
      while (j < end) to[k++] = from[j++] as T;
    }
    const done = from;
    from = to;
    to = done;
    yield;
  }
  if (from !== list) for (let k = 0; k < n; k++) list[k] = from[k] as T;
}

/** The sections alone (what most callers need). */
export function mergeItems(items: readonly ClinicalItem[], options: MergeOptions = {}): Sections {
  return mergeSummary(items, options).sections;
}
