import type { Quantity } from '../../shared/summary';
import type { SummaryItem } from './types';

/**
 * Readers for MergedItem.details. Details are an open record filled by each
 * mapper (FHIR today, HL7 v2 next), so every reader accepts the few shapes a
 * source may reasonably produce and answers undefined for anything else.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Human text of a string, concept ({text} / {display} / {coding}) or a list of them. */
export function textOf(value: unknown): string | undefined {
  const direct = nonEmptyString(value);
  if (direct) return direct;
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((t): t is string => t !== undefined);
    return parts.length > 0 ? [...new Set(parts)].join(', ') : undefined;
  }
  if (!isRecord(value)) return undefined;
  return (
    nonEmptyString(value.text) ??
    nonEmptyString(value.display) ??
    textOf(value.coding) ??
    textOf(value.manifestations) ??
    textOf(value.manifestation) ??
    nonEmptyString(value.code)
  );
}

/** The source stated that the patient has none (e.g. "no known allergies"). */
export function isStatedAbsence(item: SummaryItem): boolean {
  return item.details.absence === true;
}

/** The source stated that it has no information on the topic. */
export function isStatedNoInformation(item: SummaryItem): boolean {
  return item.details.noInformation === true;
}

export function isQuantity(value: unknown): value is Quantity {
  return isRecord(value) && typeof value.value === 'number' && Number.isFinite(value.value);
}

export interface ReferenceRange {
  low?: Quantity;
  high?: Quantity;
  text?: string;
}

function toRange(value: unknown): ReferenceRange | undefined {
  const text = nonEmptyString(value);
  if (text) return { text };
  if (!isRecord(value)) return undefined;
  const asQuantity = (q: unknown): Quantity | undefined =>
    isQuantity(q) ? q : typeof q === 'number' && Number.isFinite(q) ? { value: q } : undefined;
  const range: ReferenceRange = {};
  const low = asQuantity(value.low);
  const high = asQuantity(value.high);
  const rangeText = nonEmptyString(value.text);
  if (low) range.low = low;
  if (high) range.high = high;
  if (rangeText) range.text = rangeText;
  return low || high || rangeText ? range : undefined;
}

/** The first usable reference range of a result. */
export function referenceRangeOf(item: SummaryItem): ReferenceRange | undefined {
  const raw = item.details.referenceRange;
  const candidates = Array.isArray(raw) ? raw : [raw];
  for (const candidate of candidates) {
    const range = toRange(candidate);
    if (range) return range;
  }
  return undefined;
}

/** HL7 v3 ObservationInterpretation / v2 OBX-8 flags that have words in every language. */
export const KNOWN_INTERPRETATIONS = ['H', 'L', 'HH', 'LL', 'A', 'AA', 'N', 'POS', 'NEG'] as const;
export type InterpretationCode = (typeof KNOWN_INTERPRETATIONS)[number];
const CRITICAL: ReadonlySet<string> = new Set(['HH', 'LL', 'AA']);
const ABNORMAL: ReadonlySet<string> = new Set(['H', 'L', 'A', 'POS']);

export interface Interpretation {
  /** A known code, when the source used one. */
  code?: InterpretationCode;
  /** The source's own words, for codes we do not know. */
  text?: string;
  severity: 'critical' | 'abnormal' | 'normal' | 'unknown';
}

function knownCode(value: unknown): InterpretationCode | undefined {
  const code = nonEmptyString(value)?.toUpperCase();
  return code && (KNOWN_INTERPRETATIONS as readonly string[]).includes(code) ? (code as InterpretationCode) : undefined;
}

export function interpretationOf(item: SummaryItem): Interpretation | undefined {
  const raw = item.details.interpretation;
  const entries: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const entry of entries) {
    const code = knownCode(entry) ?? (isRecord(entry) ? knownCode(entry.code) ?? knownCode(textOf(entry.coding)) : undefined);
    const text = code ? undefined : textOf(entry);
    if (!code && !text) continue;
    const severity = code
      ? CRITICAL.has(code)
        ? 'critical'
        : ABNORMAL.has(code)
          ? 'abnormal'
          : 'normal'
      : 'unknown';
    return { ...(code ? { code } : {}), ...(text ? { text } : {}), severity };
  }
  return undefined;
}

/** Allergy criticality as the source stated it ('high' | 'low' | 'unable-to-assess'). */
export function criticalityOf(item: SummaryItem): string | undefined {
  return nonEmptyString(item.details.criticality);
}

export function isHighCriticality(item: SummaryItem): boolean {
  return item.details.critical === true || criticalityOf(item) === 'high';
}

/** Reactions of an allergy, as words ("Urtikaria, Anafylaxi"). */
export function reactionText(item: SummaryItem): string | undefined {
  return textOf(item.details.reactions) ?? textOf(item.details.reaction);
}

/** Dosage instructions of a medication. */
export function dosageText(item: SummaryItem): string | undefined {
  const dosage = item.details.dosage;
  if (Array.isArray(dosage)) {
    const parts = dosage.map(textOf).filter((t): t is string => t !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return textOf(dosage);
}
