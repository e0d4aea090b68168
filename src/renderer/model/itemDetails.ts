/**
 * Reading an item's typed details (src/shared/details.ts) for display. The
 * shapes are the contract, so nothing here guesses at field names: it narrows
 * by section and turns the values into what a row shows.
 */
import type { ReferenceRange } from '../../shared/details';
import type { SummaryItem } from './types';

export type { ReferenceRange } from '../../shared/details';

/** The source stated that the patient has none (e.g. "no known allergies"). */
export function isStatedAbsence(item: SummaryItem): boolean {
  return item.details.absence === 'noneKnown';
}

/** The source stated that it has no information on the topic. */
export function isStatedNoInformation(item: SummaryItem): boolean {
  return item.details.absence === 'noInformation';
}

/** A fact about the patient, not a "none known" or "no information" statement. */
export function isEntry(item: SummaryItem): boolean {
  return item.details.absence === undefined;
}

/** The first usable reference range of a result or measurement. */
export function referenceRangeOf(item: SummaryItem): ReferenceRange | undefined {
  if (item.section !== 'results' && item.section !== 'homeMeasurements' && item.section !== 'pregnancy') return undefined;
  return (item.details.referenceRange ?? []).find((r) => r.low !== undefined || r.high !== undefined || r.text !== undefined);
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

function knownCode(value: string | undefined): InterpretationCode | undefined {
  const code = value?.trim().toUpperCase();
  return code && (KNOWN_INTERPRETATIONS as readonly string[]).includes(code) ? (code as InterpretationCode) : undefined;
}

/** The first interpretation flag of a result, with how serious it is. */
export function interpretationOf(item: SummaryItem): Interpretation | undefined {
  if (item.section !== 'results' && item.section !== 'homeMeasurements' && item.section !== 'pregnancy') return undefined;
  for (const coding of item.details.interpretation ?? []) {
    const code = knownCode(coding.code);
    if (code) {
      const severity = CRITICAL.has(code) ? 'critical' : ABNORMAL.has(code) ? 'abnormal' : 'normal';
      return { code, severity };
    }
    const text = coding.display?.trim() || coding.code?.trim();
    if (text) return { text, severity: 'unknown' };
  }
  return undefined;
}

/** Allergy criticality as the source stated it ('high' | 'low' | 'unable-to-assess'). */
export function criticalityOf(item: SummaryItem): string | undefined {
  return item.section === 'allergies' ? item.details.criticality : undefined;
}

/** Raised into critical information by the merge (high criticality or anaphylaxis in any source). */
export function isHighCriticality(item: SummaryItem): boolean {
  return item.critical === true || criticalityOf(item) === 'high';
}

/** The source has not confirmed it (unconfirmed, provisional, differential). */
export function isUnconfirmed(item: SummaryItem): boolean {
  if (item.section !== 'allergies' && item.section !== 'problems') return false;
  const v = item.details.verificationStatus;
  return v === 'unconfirmed' || v === 'provisional' || v === 'differential';
}

/** What kind of record a medication is: prescribed, dispensed, administered or stated. */
export function recordKindOf(item: SummaryItem): 'prescribed' | 'dispensed' | 'administered' | 'stated' | undefined {
  return item.section === 'medications' ? item.details.recordKind : undefined;
}

/** Items that count for a section's number: facts, not statements, and not stopped, earlier or inactive ones. */
export function isCountedEntry(item: SummaryItem): boolean {
  return isEntry(item) && (item.group === undefined || item.group === 'current');
}

/** Reactions of an allergy, as words ("Urtikaria, Anafylaxi"). */
export function reactionText(item: SummaryItem): string | undefined {
  if (item.section !== 'allergies') return undefined;
  const words = (item.details.reactions ?? []).flatMap((r) => r.manifestations);
  return words.length > 0 ? [...new Set(words)].join(', ') : undefined;
}

/** Dose and dosage instructions of a medication. */
export function dosageText(item: SummaryItem): string | undefined {
  if (item.section !== 'medications') return undefined;
  const parts = [item.details.dose, ...(item.details.dosage ?? [])].filter((t): t is string => !!t);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** What a national medication list says of one record: its country, last dispensing, multi-dose. */
export interface NationalListRecord {
  country: 'SE' | 'NO' | 'FI';
  recordKind: 'prescribed' | 'dispensed' | 'administered' | 'stated';
  lastDispensed?: string;
  lastDispensedAmount?: string;
  dispenseCount?: number;
  multiDose: boolean;
}

/** The national-list facts of a medication from a national medication list; undefined for a care unit's record. */
export function nationalListRecordOf(item: SummaryItem): NationalListRecord | undefined {
  if (item.section !== 'medications' || !item.details.nationalList) return undefined;
  const d = item.details;
  return {
    country: d.nationalList as NationalListRecord['country'],
    recordKind: d.recordKind,
    ...(d.lastDispensed ? { lastDispensed: d.lastDispensed } : {}),
    ...(d.lastDispensedAmount ? { lastDispensedAmount: d.lastDispensedAmount } : {}),
    ...(d.dispenseCount ? { dispenseCount: d.dispenseCount } : {}),
    multiDose: d.multiDose === true,
  };
}

/** How a care unit's medication compares with the national list: which words to show. */
export function nationalMatchOf(item: SummaryItem): 'both' | 'prescribed' | 'dispensed' | 'none' | undefined {
  const m = item.nationalList;
  if (!m) return undefined;
  if (m.prescribed && m.dispensed) return 'both';
  if (m.prescribed) return 'prescribed';
  if (m.dispensed) return 'dispensed';
  return 'none';
}
