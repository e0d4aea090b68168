/**
 * One HL7 v2 message → the subjects it names and its clinical items, by
 * segment, in order: a clinical segment belongs to the PID before it. A
 * clinical segment with no PID before it adds a subject with no identifiers, so
 * the identity guard rejects the message instead of showing data of nobody-knows-whom.
 */
import type { ClinicalItem } from '../../../shared/summary';
import type { SubjectIdentity } from '../types';
import type { Hl7MessageView } from './hl7Parse';
import { mapAl1, mapIam } from './mappers/allergy';
import { type Hl7MapContext, nonEmpty } from './mappers/common';
import { applyPv2, mapPv1 } from './mappers/encounter';
import { applyRoute, mapRxa, mapRxe, mapRxo, orderContext, type OrderContext } from './mappers/medication';
import { pidToSubject } from './mappers/patient';
import { mapDg1, mapPrb } from './mappers/problem';
import { mapObx, obrContext, type ObrContext } from './mappers/result';

export type { Hl7MapContext } from './mappers/common';

export interface MappedMessage {
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

/** Segments that carry clinical facts (and so need a patient). */
const CLINICAL = new Set(['AL1', 'IAM', 'RXE', 'RXO', 'RXA', 'PRB', 'DG1', 'OBX', 'PV1']);
const ORDER_SEGMENTS = new Set(['RXE', 'RXO', 'RXA', 'OBR']);
const ORDER_PRELUDE = new Set(['ORC', 'TQ1', 'TQ2', 'RXO', 'RXC']);

export function mapHl7Message(view: Hl7MessageView, ctx: Hl7MapContext): MappedMessage {
  const subjects: SubjectIdentity[] = [];
  const items: ClinicalItem[] = [];
  let hasPatient = false;
  let order: OrderContext = {};
  let obr: ObrContext = {};
  let lastPharmacy: ClinicalItem | undefined;
  let lastVisit: ClinicalItem | undefined;

  let previous = '';
  for (const seg of view.segments) {
    const before = previous;
    previous = seg.name;
    // Order context (ORC) belongs to the order segments right after it, not to a later, separate one.
    if (ORDER_SEGMENTS.has(seg.name) && !ORDER_PRELUDE.has(before)) order = {};
    if (seg.name === 'PID') {
      subjects.push(pidToSubject(seg));
      hasPatient = true;
      order = {};
      obr = {};
      lastPharmacy = undefined;
      lastVisit = undefined;
      continue;
    }
    if (CLINICAL.has(seg.name) && !hasPatient) {
      subjects.push({ identifiers: [] });
      hasPatient = true;
    }
    switch (seg.name) {
      case 'AL1':
        items.push(mapAl1(seg, ctx));
        break;
      case 'IAM':
        items.push(mapIam(seg, ctx));
        break;
      case 'ORC':
        order = orderContext(seg);
        obr = {};
        break;
      case 'RXE':
        items.push((lastPharmacy = mapRxe(seg, ctx, order)));
        break;
      case 'RXO':
        items.push((lastPharmacy = mapRxo(seg, ctx, order)));
        break;
      case 'RXA':
        items.push((lastPharmacy = mapRxa(seg, ctx, order)));
        break;
      case 'RXR':
        if (lastPharmacy) applyRoute(lastPharmacy, seg);
        break;
      case 'PRB':
        items.push(mapPrb(seg, ctx));
        break;
      case 'DG1':
        items.push(mapDg1(seg, ctx));
        break;
      case 'OBR':
        obr = obrContext(seg);
        if (!obr.placer && order.placer) obr.placer = order.placer;
        break;
      case 'OBX':
        items.push(mapObx(seg, ctx, obr));
        break;
      case 'PV1':
        items.push((lastVisit = mapPv1(seg, ctx)));
        break;
      case 'PV2':
        if (lastVisit) applyPv2(lastVisit, seg);
        break;
      case 'NTE': {
        const last = items[items.length - 1];
        const note = nonEmpty(seg.text(3));
        if (last && note) {
          const notes = Array.isArray(last.details.notes) ? (last.details.notes as string[]) : [];
          last.details = { ...last.details, notes: [...notes, note] };
        }
        break;
      }
      default:
        break;
    }
  }
  return { subjects, items };
}
