/**
 * Builds the patient query a source speaks, with node-hl7-client's Message
 * builder: QBP^Q11 (v2.5 query by parameter) or QRY^A19 (the original v2.3
 * patient query). Every value is escaped here (see hl7Escape.ts).
 */
import { Message } from 'node-hl7-client';
import type { Identifier } from '../../../shared/summary';
import { escapeHl7 } from './hl7Escape';

export type Hl7QueryKind = 'QBP^Q11' | 'QRY^A19';

export interface Hl7Profile {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-12, 2.3 to 2.5.1. */
  version: string;
  /** QPD-1 for QBP^Q11 (CE: code^text^system, written as one escaped code unless it has components). */
  queryName: string;
  processingId?: 'P' | 'T' | 'D';
}

export interface QueryRequest {
  kind: Hl7QueryKind;
  profile: Hl7Profile;
  identifier: Identifier;
  controlId: string;
  /** Query tag (QPD-2 / QRD-4), the same across continuations. */
  queryTag: string;
  /** RCP-2 / QRD-7 quantity limit in records. */
  limit: number;
  /** DSC-1 from the previous reply, to ask for the next part. */
  continuation?: string;
}

/** The assigning authority for the query: the OID for an `urn:oid:` system, else the system as configured. */
function authority(system: string | undefined): { namespace: string; universal: string } {
  if (!system) return { namespace: '', universal: '' };
  const oid = /^urn:oid:(.+)$/i.exec(system)?.[1];
  return oid ? { namespace: oid, universal: oid } : { namespace: system, universal: '' };
}

function header(req: QueryRequest, type: string, event: string, structure: string): Message {
  const message = new Message({
    messageHeader: {
      msh_9_1: type,
      msh_9_2: event,
      msh_9_3: structure,
      msh_10: req.controlId,
      msh_11_1: req.profile.processingId ?? 'P',
    },
  } as ConstructorParameters<typeof Message>[0]);
  const p = req.profile;
  message.set('MSH.3', escapeHl7(p.sendingApplication));
  message.set('MSH.4', escapeHl7(p.sendingFacility));
  message.set('MSH.5', escapeHl7(p.receivingApplication));
  message.set('MSH.6', escapeHl7(p.receivingFacility));
  // The builder pins 2.7; the source's own version is what it understands.
  message.set('MSH.12', p.version);
  return message;
}

export function buildQuery(req: QueryRequest): Message {
  const { namespace, universal } = authority(req.identifier.system);
  if (req.kind === 'QBP^Q11') {
    const message = header(req, 'QBP', 'Q11', 'QBP_Q11');
    const qpd = message.addSegment('QPD');
    const name = req.profile.queryName.split('^').map(escapeHl7);
    name.forEach((part, i) => qpd.set(`QPD.1.${i + 1}`, part));
    qpd.set('QPD.2', escapeHl7(req.queryTag));
    qpd.set('QPD.3.1', escapeHl7(req.identifier.value));
    if (namespace) qpd.set('QPD.3.4.1', escapeHl7(namespace));
    if (universal) {
      qpd.set('QPD.3.4.2', escapeHl7(universal));
      qpd.set('QPD.3.4.3', 'ISO');
    }
    const rcp = message.addSegment('RCP');
    rcp.set('RCP.1', 'I');
    rcp.set('RCP.2.1', String(req.limit));
    rcp.set('RCP.2.2', 'RD');
    if (req.continuation) message.addSegment('DSC').set('DSC.1', escapeHl7(req.continuation));
    return message;
  }
  const message = header(req, 'QRY', 'A19', 'QRY_A19');
  const qrd = message.addSegment('QRD');
  qrd.set('QRD.1', message.get('MSH.7').toString());
  qrd.set('QRD.2', 'R');
  qrd.set('QRD.3', 'I');
  qrd.set('QRD.4', escapeHl7(req.queryTag));
  qrd.set('QRD.7.1', String(req.limit));
  qrd.set('QRD.7.2', 'RD');
  qrd.set('QRD.8.1', escapeHl7(req.identifier.value));
  if (namespace) qrd.set('QRD.8.9.1', escapeHl7(namespace));
  if (universal) {
    qrd.set('QRD.8.9.2', escapeHl7(universal));
    qrd.set('QRD.8.9.3', 'ISO');
  }
  qrd.set('QRD.9', 'DEM');
  if (req.continuation) message.addSegment('DSC').set('DSC.1', escapeHl7(req.continuation));
  return message;
}
