/**
 * OBR/OBX → results. Numeric values with units (NM, SN with a comparator),
 * text results (ST, TX, FT: every repetition), coded results (CE/CWE); reference
 * range OBX-7, abnormal flags OBX-8, status OBX-11; the time is OBX-14, else OBR-7.
 */
import type { ClinicalItemOf, Quantity } from '../../../../shared/summary';
import type { Hl7Segment } from '../hl7Parse';
import { codedText, codingSystem, codingsOf, type Hl7MapContext, hl7Date, hl7Item, nonEmpty, provenance, texts } from './common';

/** HL7 table 0078 interpretation codes (OBX-8). */
const ABNORMAL_FLAGS = 'http://terminology.hl7.org/CodeSystem/v2-0078';

/** HL7 table 0085 observation result status. */
const RESULT_STATUS: Record<string, string> = {
  F: 'final',
  C: 'corrected',
  P: 'preliminary',
  R: 'registered',
  I: 'registered',
  S: 'preliminary',
  X: 'cancelled',
  D: 'entered-in-error',
  W: 'entered-in-error',
  A: 'amended',
};

export interface ObrContext {
  code?: string;
  text?: string;
  observedAt?: string;
  placer?: string;
  filler?: string;
  status?: string;
  /** OBR-15 specimen source. */
  specimen?: string;
}

export function obrContext(obr: Hl7Segment): ObrContext {
  const ctx: ObrContext = {};
  const text = codedText(obr, 4);
  const observedAt = hl7Date(obr.get(7));
  const placer = nonEmpty(obr.get(2));
  const filler = nonEmpty(obr.get(3));
  const status = nonEmpty(obr.get(25));
  if (text) ctx.text = text;
  if (observedAt) ctx.observedAt = observedAt;
  if (placer) ctx.placer = placer;
  if (filler) ctx.filler = filler;
  if (status) ctx.status = status;
  const code = nonEmpty(obr.get(4, 1));
  if (code) ctx.code = code;
  const specimen = codedText(obr, 15);
  if (specimen) ctx.specimen = specimen;
  return ctx;
}

function numberOf(text: string): number | undefined {
  // Nordic systems send decimal commas.
  const normalized = text.trim().replace(',', '.');
  if (!/^[+-]?\d+(\.\d+)?$/.test(normalized)) return undefined;
  return Number(normalized);
}

function valueOf(seg: Hl7Segment): Quantity | string | undefined {
  const type = seg.get(2).toUpperCase();
  const unit = codedText(seg, 6);
  if (type === 'NM') {
    const value = numberOf(seg.get(5));
    if (value !== undefined) return unit ? { value, unit } : { value };
    return nonEmpty(seg.get(5));
  }
  if (type === 'SN') {
    // SN: comparator ^ number ^ separator ^ number
    const comparator = nonEmpty(seg.get(5, 1));
    const value = numberOf(seg.get(5, 2));
    if (value !== undefined && !nonEmpty(seg.get(5, 3))) {
      const q: Quantity = { value };
      if (unit) q.unit = unit;
      if (comparator) q.comparator = comparator;
      return q;
    }
    return nonEmpty(seg.text(5));
  }
  if (type === 'CE' || type === 'CWE' || type === 'CNE') return codedText(seg, 5);
  return nonEmpty(seg.text(5));
}

/**
 * The test's name as the source words it: OBX-3's text, unless that is only
 * LOINC's English long name ("C reactive protein [Mass/volume] in Serum or
 * Plasma") and the source gives its own — OBX-3's alternate text, or the
 * order's text when the order is this same test.
 */
function resultText(seg: Hl7Segment, obr: ObrContext): string {
  const primary = nonEmpty(seg.get(3, 2));
  const loincLongName = primary !== undefined && /\[[^\]]+\]/.test(primary) && codingSystem(seg.get(3, 3)) === 'http://loinc.org';
  if (loincLongName) {
    const own = nonEmpty(seg.get(3, 5)) ?? (obr.code !== undefined && obr.code === nonEmpty(seg.get(3, 1)) ? obr.text : undefined);
    if (own) return own;
  }
  return codedText(seg, 3) ?? obr.text ?? 'Observation (unspecified)';
}

export function mapObx(seg: Hl7Segment, ctx: Hl7MapContext, obr: ObrContext): ClinicalItemOf<'results'> {
  const statusCode = seg.get(11).toUpperCase();
  const observed = hl7Date(seg.get(14)) ?? obr.observedAt;
  const range = nonEmpty(seg.get(7));
  return hl7Item({
    section: 'results',
    codes: codingsOf(seg, 3),
    text: resultText(seg, obr),
    status: RESULT_STATUS[statusCode] ?? nonEmpty(statusCode),
    date: observed,
    value: valueOf(seg),
    details: {
      referenceRange: range ? [{ text: range }] : undefined,
      interpretation: seg.all(8).map((code) => ({ system: ABNORMAL_FLAGS, code })),
      valueType: nonEmpty(seg.get(2)),
      performers: texts([codedText(seg, 15), seg.text(16)]),
      specimen: obr.specimen,
      order: obr.text,
      placerOrder: obr.placer,
      fillerOrder: obr.filler,
    },
    provenance: provenance(ctx, `OBX/${obr.filler ?? obr.placer ?? '-'}/${nonEmpty(seg.get(1)) ?? seg.position}`, observed),
  });
}
