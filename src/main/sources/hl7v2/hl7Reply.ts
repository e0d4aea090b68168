/**
 * Reading a query reply: RSP^K11 (to QBP^Q11) or ADR^A19 (to QRY^A19).
 * MSA-1 AE/AR (or CE/CR) is a NAK; QAK-2 OK carries data, NF means the
 * source holds nothing for the patient, AE/AR means it could not answer.
 * DSC-1, when present, asks for a continuation.
 */
import { CodedError } from '../../../shared/errors';
import { countSegments } from './hl7File';
import { decodeHl7Bytes, isHl7Bytes } from './hl7Text';
import { type Hl7MessageView, parseHl7Document } from './hl7Parse';
import type { Hl7QueryKind } from './hl7Query';

const EXPECTED_TYPE: Record<Hl7QueryKind, string> = { 'QBP^Q11': 'RSP', 'QRY^A19': 'ADR' };

export interface QueryReply {
  view: Hl7MessageView;
  /** QAK-2 NF: the source says it holds nothing. */
  noData: boolean;
  continuation?: string;
}

/**
 * Segments one reply may hold (counted on the bytes before it is parsed): a
 * reply answers one patient, at most `limit` records (RCP-2, default 100);
 * past this it is SOURCE_RESPONSE_TOO_LARGE naming the limit, parsed never.
 */
export const REPLY_MAX_SEGMENTS = 50_000;

/** Parses raw reply bytes; undefined when the reply answers another message (MSA-2 ≠ our MSH-10). */
export function readReply(bytes: Buffer, kind: Hl7QueryKind, controlId: string, maxSegments: number = REPLY_MAX_SEGMENTS): QueryReply | undefined {
  if (!isHl7Bytes(bytes)) throw new CodedError('HL7_MALFORMED', { message: 1, segment: 1 });
  const { segments } = countSegments(bytes);
  if (segments > maxSegments) throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'segments', expected: maxSegments, found: segments });
  const doc = parseHl7Document(decodeHl7Bytes(bytes));
  const entry = doc.entries[0];
  if (doc.kind !== 'message' || !entry) throw new CodedError('HL7_MALFORMED', { message: 1 });
  if (entry.error || !entry.view) throw entry.error ?? new CodedError('HL7_MALFORMED', { message: 1 });
  const view = entry.view;
  const msa = view.first('MSA');
  if (!msa) throw new CodedError('HL7_MALFORMED', { message: 1, name: 'MSA' });
  if (msa.get(2) !== controlId) return undefined;
  const ack = msa.get(1).toUpperCase();
  if (ack !== 'AA' && ack !== 'CA') throw new CodedError('HL7_NAK', { ack: /^[A-Z]{2}$/.test(ack) ? ack : '??' });
  if (view.header.get(9, 1) !== EXPECTED_TYPE[kind]) {
    throw new CodedError('SOURCE_BAD_RESPONSE', { type: /^[A-Z0-9]{3}$/.test(view.header.get(9, 1)) ? view.header.get(9, 1) : '?' });
  }
  const qak = view.first('QAK');
  const status = qak?.get(2).toUpperCase() ?? (kind === 'QRY^A19' ? 'OK' : '');
  if (status === 'AE' || status === 'AR') throw new CodedError('HL7_QUERY_REJECTED', { status });
  if (status !== 'OK' && status !== 'NF') throw new CodedError('HL7_MALFORMED', { message: 1, name: 'QAK' });
  const pointer = view.first('DSC')?.get(1).trim();
  return { view, noData: status === 'NF', ...(pointer ? { continuation: pointer } : {}) };
}
