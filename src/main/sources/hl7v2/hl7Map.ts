/**
 * One HL7 v2 message → the subjects it names and its clinical items, by
 * segment, in order: a clinical segment belongs to the PID before it. A
 * clinical segment with no PID before it adds a subject with no identifiers, so
 * the identity guard rejects the message instead of showing data of nobody-knows-whom.
 */
import type { ClinicalItem, ClinicalItemOf } from '../../../shared/summary';
import type { SubjectIdentity } from '../types';
import type { Hl7MessageView, Hl7Segment } from './hl7Parse';
import { mapAl1, mapIam } from './mappers/allergy';
import { type Hl7MapContext, nonEmpty } from './mappers/common';
import { applyPv2, mapPv1 } from './mappers/encounter';
import { applyRoute, mapRxa, mapRxe, mapRxo, orderContext, type OrderContext, type PharmacyItem } from './mappers/medication';
import { pidToSubject } from './mappers/patient';
import { mapDg1, mapPrb } from './mappers/problem';
import { mapObx, obrContext, type ObrContext } from './mappers/result';

export type { Hl7MapContext } from './mappers/common';

export interface MappedMessage {
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
}

/** What mapping one message remembers from segment to segment. */
interface MapState {
  subjects: SubjectIdentity[];
  items: ClinicalItem[];
  order: OrderContext;
  obr: ObrContext;
  /** The pharmacy segment an RXR refines. */
  lastPharmacy?: PharmacyItem;
  /** The visit a PV2 refines. */
  lastVisit?: ClinicalItemOf<'encounters'>;
}

interface SegmentMapper {
  /** Carries clinical facts, and so needs a patient before it. */
  clinical: boolean;
  map(seg: Hl7Segment, ctx: Hl7MapContext, state: MapState): void;
}

/**
 * Segment name → what it contributes, declared as configuration like the FHIR
 * mappers: a new segment is one row. Segments not listed are read by nobody.
 */
const SEGMENT_MAPPERS: Record<string, SegmentMapper> = {
  AL1: { clinical: true, map: (seg, ctx, st) => void st.items.push(mapAl1(seg, ctx)) },
  IAM: { clinical: true, map: (seg, ctx, st) => void st.items.push(mapIam(seg, ctx)) },
  ORC: {
    clinical: false,
    map: (seg, _ctx, st) => {
      st.order = orderContext(seg);
      st.obr = {};
    },
  },
  RXE: { clinical: true, map: (seg, ctx, st) => void st.items.push((st.lastPharmacy = mapRxe(seg, ctx, st.order))) },
  RXO: { clinical: true, map: (seg, ctx, st) => void st.items.push((st.lastPharmacy = mapRxo(seg, ctx, st.order))) },
  RXA: { clinical: true, map: (seg, ctx, st) => void st.items.push((st.lastPharmacy = mapRxa(seg, ctx, st.order))) },
  RXR: { clinical: false, map: (seg, _ctx, st) => st.lastPharmacy && applyRoute(st.lastPharmacy, seg) },
  PRB: { clinical: true, map: (seg, ctx, st) => void st.items.push(mapPrb(seg, ctx)) },
  DG1: { clinical: true, map: (seg, ctx, st) => void st.items.push(mapDg1(seg, ctx)) },
  OBR: {
    clinical: false,
    map: (seg, _ctx, st) => {
      st.obr = obrContext(seg);
      if (!st.obr.placer && st.order.placer) st.obr.placer = st.order.placer;
    },
  },
  OBX: { clinical: true, map: (seg, ctx, st) => void st.items.push(mapObx(seg, ctx, st.obr)) },
  PV1: { clinical: true, map: (seg, ctx, st) => void st.items.push((st.lastVisit = mapPv1(seg, ctx))) },
  PV2: { clinical: false, map: (seg, _ctx, st) => st.lastVisit && applyPv2(st.lastVisit, seg) },
  NTE: {
    clinical: false,
    map: (seg, _ctx, st) => {
      // A note belongs to the item before it.
      const last = st.items[st.items.length - 1];
      const note = nonEmpty(seg.text(3));
      if (last && note) last.details = { ...last.details, notes: [...(last.details.notes ?? []), note] };
    },
  },
};

const ORDER_SEGMENTS = new Set(['RXE', 'RXO', 'RXA', 'OBR']);
const ORDER_PRELUDE = new Set(['ORC', 'TQ1', 'TQ2', 'RXO', 'RXC']);

/** Whether a segment carries one of the profile's sealed markers. */
function marksSealed(seg: Hl7Segment, rules: Hl7MapContext['confidentiality']): boolean {
  if (!rules) return false;
  for (const rule of rules) {
    if (rule.segment !== seg.name) continue;
    const value = seg.get(rule.field, rule.component, 1, 0).trim().toUpperCase();
    if (value && rule.values.some((v) => v.toUpperCase() === value)) return true;
  }
  return false;
}

/** Record ids in one table until this many, then in SHARDS tables (RecordIds). */
const ONE_TABLE_IDS = 8192;
const SHARDS = 256;

/**
 * The record ids seen in one message. A Set rehashes all its entries when it
 * doubles: at 131,072 ids that is one step of 20–90 ms inside a message of
 * 240,000 results (ADR 0038). Past ONE_TABLE_IDS the ids go to SHARDS smaller
 * sets by a hash of their end, so no rehash is ever larger than a shard's.
 */
class RecordIds {
  private one: Set<string> | undefined = new Set();
  private shards: Set<string>[] | undefined;

  has(id: string): boolean {
    return this.one ? this.one.has(id) : this.shardOf(id).has(id);
  }

  add(id: string): void {
    if (!this.one) {
      this.shardOf(id).add(id);
      return;
    }
    this.one.add(id);
    if (this.one.size < ONE_TABLE_IDS) return;
    const all = this.one;
    this.one = undefined;
    this.shards = Array.from({ length: SHARDS }, () => new Set<string>());
    for (const known of all) this.shardOf(known).add(known);
  }

  private shardOf(id: string): Set<string> {
    let h = id.length;
    for (let i = Math.max(0, id.length - 8); i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
    return (this.shards as Set<string>[])[(h >>> 0) % SHARDS] as Set<string>;
  }
}

/** Segments mapped between two pauses of mapHl7MessageSteps. */
export const MAP_STEP_SEGMENTS = 256;

export function mapHl7Message(view: Hl7MessageView, ctx: Hl7MapContext): MappedMessage {
  const steps = mapHl7MessageSteps(view, ctx);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * mapHl7Message in steps: pauses (yields) every MAP_STEP_SEGMENTS segments, so
 * a reader on the event loop (hl7File.ts readHl7FileSliced) can let it turn
 * inside one very long message; run to its end it is mapHl7Message.
 */
export function* mapHl7MessageSteps(view: Hl7MessageView, ctx: Hl7MapContext): Generator<void, MappedMessage, void> {
  const state: MapState = { subjects: [], items: [], order: {}, obr: {} };
  const rules = ctx.confidentiality?.length ? ctx.confidentiality : undefined;
  /** Sealed markers in force: the patient's (PID/PD1) and the order group's (ORC/OBR). */
  let patientSealed = false;
  let groupSealed = false;
  let hasPatient = false;
  let previous = '';
  const seen = new RecordIds();
  let mapped = 0;
  // A very long message lets go of each segment's tokens once it is mapped (ADR 0038); a short one keeps them, as read.
  const release = view.segments.length > MAP_STEP_SEGMENTS;
  let done: Hl7Segment | undefined;
  for (const seg of view.segments) {
    if (release && done) done.release();
    done = seg;
    if (++mapped % MAP_STEP_SEGMENTS === 0) yield;
    const before = previous;
    previous = seg.name;
    // Order context (ORC) belongs to the order segments right after it, not to a later, separate one.
    if (ORDER_SEGMENTS.has(seg.name) && !ORDER_PRELUDE.has(before)) state.order = {};
    if (rules) {
      const marked = marksSealed(seg, rules);
      if (seg.name === 'PID') {
        patientSealed = marked;
        groupSealed = false;
      } else if (seg.name === 'PD1') patientSealed ||= marked;
      else if (seg.name === 'ORC') groupSealed = marked;
      else if (ORDER_SEGMENTS.has(seg.name)) {
        // An order segment right after its prelude (ORC...) is in that group; otherwise it starts its own.
        const own = seg.name === 'OBR' && marked;
        groupSealed = ORDER_PRELUDE.has(before) ? groupSealed || own : own;
      }
    }
    if (seg.name === 'PID') {
      state.subjects.push(pidToSubject(seg));
      hasPatient = true;
      state.order = {};
      state.obr = {};
      state.lastPharmacy = undefined;
      state.lastVisit = undefined;
      continue;
    }
    const mapper = SEGMENT_MAPPERS[seg.name];
    if (!mapper) continue;
    if (mapper.clinical && !hasPatient) {
      state.subjects.push({ identifiers: [] });
      hasPatient = true;
    }
    const mappedBefore = state.items.length;
    mapper.map(seg, ctx, state);
    // A record id names one record: set ids restart per order group and
    // segments may lack them, so a repeat within the message gets its position.
    const sealedHere = rules !== undefined && (patientSealed || groupSealed || marksSealed(seg, rules));
    for (let i = mappedBefore; i < state.items.length; i++) {
      const item = state.items[i] as ClinicalItem;
      if (sealedHere) item.sealed = true;
      const id = item.provenance.recordId;
      if (seen.has(id)) item.provenance = { ...item.provenance, recordId: `${id}@${seg.position}` };
      seen.add(item.provenance.recordId);
    }
  }
  return { subjects: state.subjects, items: state.items };
}
