/**
 * Small helpers shared by the HL7 v2 segment mappers: coded elements, HL7
 * dates, provenance. Free of I/O so MLLP, batch folders and the CLI map alike.
 */
import { hl7CodingSystem } from '../../../../shared/codeSystems';
import type { ClinicalItemOf, Coding, Provenance, SectionKey } from '../../../../shared/summary';
import { itemWithDetails, type ItemFields, provenance as sourceProvenance, type SourceContext } from '../../common/items';
import type { Hl7Segment } from '../hl7Parse';

export { nonEmpty, texts } from '../../common/items';

export interface Hl7MapContext extends SourceContext {
  /** Prefix for record ids: makes them unique per message (e.g. the file and message number). */
  recordPrefix: string;
  /** The source profile's sealed-information markers (hl7SourceConfig.ts). */
  confidentiality?: readonly { segment: string; field: number; component: number; values: readonly string[] }[];
}

/** A system URI for an HL7 coding-system name (shared table); an unknown name is kept as given. */
export const codingSystem = hl7CodingSystem;

function triplet(segment: Hl7Segment, field: number, rep: number, offset: number): Coding | undefined {
  const code = segment.get(field, offset + 1, 1, rep).trim();
  if (!code) return undefined;
  const display = segment.get(field, offset + 2, 1, rep).trim();
  const system = codingSystem(segment.get(field, offset + 3, 1, rep));
  const coding: Coding = {};
  if (system) coding.system = system;
  coding.code = code;
  if (display) coding.display = display;
  return coding;
}

/** CE / CWE: the identifier triplet and the alternate triplet, every repetition. */
export function codingsOf(segment: Hl7Segment, field: number): Coding[] {
  const out: Coding[] = [];
  // Read value by value (Hl7Segment.get), not through reps(): no arrays built for a field read once.
  const count = segment.repetitions(field);
  for (let rep = 0; rep < count; rep++) {
    const coding = triplet(segment, field, rep, 0);
    if (coding) out.push(coding);
    const alternate = triplet(segment, field, rep, 3);
    if (alternate) out.push(alternate);
  }
  return out;
}

/** CE / CWE components that may name a code in words, best first: text, alternate text, original text, code, alternate code. */
const TEXT_COMPONENTS = [2, 5, 9, 1, 4] as const;

/** Human text of a CE: its text component, else the alternate text, else the code. */
export function codedText(segment: Hl7Segment, field: number): string | undefined {
  if (segment.repetitions(field) === 0) return undefined;
  for (const c of TEXT_COMPONENTS) {
    const value = segment.get(field, c).trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * HL7 TS/DTM → ISO 8601 at the precision given: 2026 → "2026", 20260915 →
 * "2026-09-15", 202609150900+0100 → "2026-09-15T09:00:00+01:00". Invalid → undefined.
 */
export function hl7Date(value: string | undefined): string | undefined {
  // Segments of one message (and a batch's messages) repeat the same times: the last answer is kept.
  if (value === lastDate.value) return lastDate.iso;
  const iso = isoOf(value);
  lastDate.value = value;
  lastDate.iso = iso;
  return iso;
}

const lastDate: { value: string | undefined; iso: string | undefined } = { value: undefined, iso: undefined };

function isoOf(value: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,4}))?)?([+-]\d{4})?$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if ((mo && (+mo < 1 || +mo > 12)) || (d && (+d < 1 || +d > 31)) || (h && +h > 23) || (mi && +mi > 59)) {
    return undefined;
  }
  let out = y as string;
  if (mo) out += `-${mo}`;
  if (d) out += `-${d}`;
  if (d && h) {
    out += `T${h}:${mi ?? '00'}:${s ?? '00'}${frac ? `.${frac}` : ''}`;
    if (tz) out += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return out;
}

export function provenance(ctx: Hl7MapContext, recordId: string, recordedAt?: string): Provenance {
  // Never MSH-7 as a fallback: in a query response it is the time of the answer,
  // and showing it as the record's date would make an old fact look new.
  return sourceProvenance(ctx, `${ctx.recordPrefix}${recordId}`, recordedAt);
}

/**
 * Builds an item the way every source kind does (common/items.ts `item` with
 * `sealed: false`), so items from both merge alike: the same keys in the same
 * order, undefined values and empty lists dropped from the details. Written out
 * here because it runs once per segment on the HL7 hot path, where `item`'s
 * object spread and `Object.entries` over details of a dozen shapes cost a
 * fifth of a batch's time (ADR 0022); mappers/common.test.ts holds it equal to `item`.
 */
export function hl7Item<K extends SectionKey>(fields: Omit<ItemFields<K>, 'sealed'>): ClinicalItemOf<K> {
  // HL7 v2 has no agreed confidentiality marker in these segments; the
  // profile's sealed markers are applied by hl7Map after the item is built.
  return itemWithDetails(fields, compactDetails(fields.details), false);
}

/** common/items.ts `compact`, without the array of pairs `Object.entries` builds. */
function compactDetails<T extends object>(details: T): T {
  const out: Record<string, unknown> = {};
  const source = details as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as T;
}
