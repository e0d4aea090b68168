/**
 * Pharmacy segments: RXO (order), RXE (encoded order) → medications; RXA
 * (administration) → immunizations when it is a vaccine (ATC J07, CVX), else
 * medications. RXR (route) and ORC (order context) refine the item they belong to.
 * Every code system is kept (ATC, national product ids...), none rewritten.
 */
import type { ClinicalItemOf, Coding } from '../../../../shared/summary';
import { frequencyFromCode } from '../../../../shared/frequency';
import type { Hl7Segment } from '../hl7Parse';
import { codedText, codingsOf, type Hl7MapContext, hl7Date, hl7Item, nonEmpty, provenance, texts } from './common';

/** HL7 table 0038 order status → the words the FHIR sources use. */
const ORDER_STATUS: Record<string, string> = {
  IP: 'active',
  SC: 'active',
  A: 'active',
  HD: 'on-hold',
  CM: 'completed',
  DC: 'stopped',
  CA: 'cancelled',
  ER: 'entered-in-error',
};
/** HL7 table 0119 order control codes that say the order ended. */
const ORDER_CONTROL_STATUS: Record<string, string> = { DC: 'stopped', OD: 'stopped', CA: 'cancelled', OC: 'cancelled' };
/** HL7 table 0322 completion status. */
const COMPLETION: Record<string, string> = {
  CP: 'completed',
  RE: 'not-done',
  NA: 'not-done',
  PA: 'completed',
};

export interface OrderContext {
  placer?: string;
  filler?: string;
  status?: string;
  orderedAt?: string;
}

export function orderContext(orc: Hl7Segment): OrderContext {
  const ctx: OrderContext = {};
  const placer = nonEmpty(orc.get(2));
  const filler = nonEmpty(orc.get(3));
  const status = ORDER_STATUS[orc.get(5).toUpperCase()] ?? ORDER_CONTROL_STATUS[orc.get(1).toUpperCase()];
  const orderedAt = hl7Date(orc.get(9));
  if (placer) ctx.placer = placer;
  if (filler) ctx.filler = filler;
  if (status) ctx.status = status;
  if (orderedAt) ctx.orderedAt = orderedAt;
  return ctx;
}

function doseOf(seg: Hl7Segment, amount: number, unitsField: number): string | undefined {
  const value = nonEmpty(seg.get(amount));
  const unit = codedText(seg, unitsField);
  return value ? `${value}${unit ? ` ${unit}` : ''}` : undefined;
}

export function mapRxe(seg: Hl7Segment, ctx: Hl7MapContext, order: OrderContext): ClinicalItemOf<'medications'> {
  return hl7Item({
    section: 'medications',
    codes: codingsOf(seg, 2),
    text: codedText(seg, 2) ?? 'Medication (unspecified)',
    status: order.status ?? 'active',
    // RXE-1 quantity/timing: TQ.4 is the start.
    date: hl7Date(seg.get(1, 4)) ?? order.orderedAt,
    details: {
      recordKind: 'prescribed',
      dose: doseOf(seg, 3, 5),
      // RXE-1 quantity/timing: TQ.2 is the interval (table 0335: BID, Q8H...).
      frequency: frequencyFromCode(seg.get(1, 2)),
      form: codedText(seg, 6),
      dosage: texts([nonEmpty(seg.text(7)) ?? nonEmpty(seg.text(21))]),
      prescriptionNumber: nonEmpty(seg.get(15)),
      placerOrder: order.placer,
    },
    provenance: provenance(ctx, `RXE/${order.placer ?? nonEmpty(seg.get(15)) ?? seg.position}`, order.orderedAt),
  });
}

export function mapRxo(seg: Hl7Segment, ctx: Hl7MapContext, order: OrderContext): ClinicalItemOf<'medications'> {
  return hl7Item({
    section: 'medications',
    codes: codingsOf(seg, 1),
    text: codedText(seg, 1) ?? 'Medication (unspecified)',
    status: order.status ?? 'active',
    date: order.orderedAt,
    details: {
      recordKind: 'prescribed',
      dose: doseOf(seg, 2, 4),
      form: codedText(seg, 5),
      dosage: texts([seg.text(6)]),
      placerOrder: order.placer,
    },
    provenance: provenance(ctx, `RXO/${order.placer ?? seg.position}`, order.orderedAt),
  });
}

function isVaccine(codes: Coding[]): boolean {
  return codes.some(
    (c) =>
      (c.system === 'http://www.whocc.no/atc' && (c.code ?? '').toUpperCase().startsWith('J07')) ||
      c.system === 'http://hl7.org/fhir/sid/cvx',
  );
}

export type PharmacyItem = ClinicalItemOf<'medications'> | ClinicalItemOf<'immunizations'>;

export function mapRxa(seg: Hl7Segment, ctx: Hl7MapContext, order: OrderContext): PharmacyItem {
  const action = seg.get(21).toUpperCase();
  const administered = hl7Date(seg.get(3));
  const codes = codingsOf(seg, 5);
  // Fields written out for each section (no object spread per segment on the hot path, ADR 0022).
  const text = codedText(seg, 5) ?? 'Administration (unspecified)';
  const status = action === 'D' ? 'entered-in-error' : (COMPLETION[seg.get(20).toUpperCase()] ?? 'completed');
  const source = provenance(ctx, `RXA/${order.placer ?? nonEmpty(seg.get(1)) ?? '-'}/${seg.position}`, administered);
  const dose = doseOf(seg, 6, 7);
  if (isVaccine(codes)) {
    return hl7Item({
      codes,
      text,
      status,
      date: administered,
      provenance: source,
      section: 'immunizations',
      details: { dose, placerOrder: order.placer, lotNumber: nonEmpty(seg.get(15)), doseNumber: nonEmpty(seg.get(2)) },
    });
  }
  return hl7Item({
    codes,
    text,
    status,
    date: administered,
    provenance: source,
    section: 'medications',
    details: { dose, placerOrder: order.placer, recordKind: 'administered' },
  });
}

/** RXR: the route belongs to the pharmacy segment before it. */
export function applyRoute(item: PharmacyItem, rxr: Hl7Segment): void {
  const route = codedText(rxr, 1);
  // The item's details were built for it alone (hl7Item): set in place, as a copy with the route would read.
  if (route) (item.details as { route?: string }).route = route;
}
