/**
 * How often a medicine is taken, in one comparable form ("2×/d": twice a day,
 * "1×/8h": every eight hours), read from structured timing only — FHIR
 * Dosage.timing (repeat.frequency/period/periodUnit, or its code) and HL7 v2
 * interval codes (table 0335: BID, TID, Q8H...). Free dosage text is never
 * parsed: "morgon och kväll" and "två gånger dagligen" stay as the sources wrote
 * them, and two sources that give no structured timing are never said to differ.
 */
const UNITS = new Set(['s', 'min', 'h', 'd', 'wk', 'mo', 'a']);

export function frequencyOf(times: number | undefined, period: number | undefined, unit: string | undefined): string | undefined {
  if (times === undefined || !Number.isFinite(times) || times <= 0) return undefined;
  const p = period ?? 1;
  if (!Number.isFinite(p) || p <= 0 || !unit || !UNITS.has(unit)) return undefined;
  return `${times}×/${p === 1 ? '' : p}${unit}`;
}

/** Timing codes shared by FHIR (GTS abbreviations) and HL7 v2 table 0335. */
const CODES: Record<string, string> = {
  QD: '1×/d',
  QAM: '1×/d',
  QPM: '1×/d',
  QHS: '1×/d',
  AM: '1×/d',
  PM: '1×/d',
  BED: '1×/d',
  BID: '2×/d',
  TID: '3×/d',
  QID: '4×/d',
  QOD: '1×/2d',
  WK: '1×/wk',
  MO: '1×/mo',
};

/** A timing code (BID, Q8H, Q2D, Q1W...) in the comparable form; an unknown code is left undefined, never guessed. */
export function frequencyFromCode(code: string | undefined): string | undefined {
  const c = (code ?? '').trim().toUpperCase();
  if (c === '') return undefined;
  if (CODES[c]) return CODES[c];
  const m = /^Q(\d+)(S|M|H|D|W|L)$/.exec(c);
  if (!m) return undefined;
  const unit = { S: 's', M: 'min', H: 'h', D: 'd', W: 'wk', L: 'mo' }[m[2] as 'S' | 'M' | 'H' | 'D' | 'W' | 'L'];
  return frequencyOf(1, Number(m[1]), unit);
}
