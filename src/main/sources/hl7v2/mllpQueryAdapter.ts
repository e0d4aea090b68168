/**
 * The HL7 v2 MLLP source adapter: one connection per patient query, QBP^Q11 →
 * RSP^K11 or QRY^A19 → ADR^A19, continuations followed (DSC) one at a time on
 * the same connection, every reply mapped and handed to the identity guard.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../../../shared/errors';
import type { ClinicalItem } from '../../../shared/summary';
import { systemClock, type Clock } from '../../platform/clock';
import { createLogger, type Logger } from '../../platform/logger';
import type { PatientQuery, SourceAdapter, SourceResult, SubjectIdentity } from '../types';
import type { TlsMaterial } from '../common/tls';
import { type Hl7MapContext, mapHl7Message } from './hl7Map';
import { defaultAuthoritySystem, withDefaultAuthority } from './mappers/patient';
import { buildQuery, type Hl7Profile, type Hl7QueryKind } from './hl7Query';
import { readReply } from './hl7Reply';
import { MllpSession } from './mllpSession';


export interface MllpSourceConfig {
  id: string;
  name: string;
  /** The profile's sealed-information markers. */
  confidentiality?: Hl7MapContext['confidentiality'];
  /** MLLP over TLS: the CA, and a client certificate for mutual TLS. */
  tls?: TlsMaterial;
  host: string;
  port: number;
  timeoutMs: number;
  query: Hl7QueryKind;
  profile: Hl7Profile;
  /** Records asked for per reply (RCP-2 / QRD-7); default 100. */
  limit?: number;
  /** Continuations followed before the answer is refused (SOURCE_RESPONSE_TOO_LARGE, limit 'continuations'); default 50. */
  maxContinuations?: number;
  /** Largest reply frame in bytes (default mllpSession.ts MLLP_MAX_REPLY_BYTES) and most segments in one reply (default hl7Reply.ts REPLY_MAX_SEGMENTS). */
  maxReplyBytes?: number;
  maxReplySegments?: number;
  /** Assigning authority for PID-3 values that carry none (hl7SourceConfig.ts). */
  defaultAuthority?: string;
  clock?: Clock;
  logger?: Logger;
}

export function createMllpQuerySource(config: MllpSourceConfig): SourceAdapter {
  const clock = config.clock ?? systemClock;
  // The registry's logger carries the source's id already (createServices); a logger of its own gets it here.
  const log = config.logger ?? createLogger('sources.hl7v2').child({ sourceId: config.id });
  const now = () => clock.now();
  const maxContinuations = config.maxContinuations ?? 50;
  const defaultSystem = defaultAuthoritySystem(config.defaultAuthority);

  async function fetchPatient(query: PatientQuery, signal: AbortSignal): Promise<SourceResult> {
    const started = performance.now();
    const session = await MllpSession.open(
      {
        host: config.host,
        port: config.port,
        version: config.profile.version,
        ...(config.tls ? { tls: config.tls } : {}),
        ...(config.maxReplyBytes !== undefined ? { maxReplyBytes: config.maxReplyBytes } : {}),
      },
      signal,
    );
    try {
      const subjects: SubjectIdentity[] = [];
      const items: ClinicalItem[] = [];
      const queryTag = randomUUID().slice(0, 18);
      // The default authority stands for the system's own numbering, which it
      // writes without an authority: it is asked in the same form.
      const asked = defaultSystem && query.identifier.system === defaultSystem ? { value: query.identifier.value } : query.identifier;
      let continuation: string | undefined;
      let fetchedAt = now().toISOString();
      for (let part = 0; ; part++) {
        if (part > maxContinuations) throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'continuations', expected: maxContinuations });
        const controlId = `SAMSYN${randomUUID().replace(/-/g, '').slice(0, 14)}`;
        const message = buildQuery({
          kind: config.query,
          profile: config.profile,
          identifier: asked,
          controlId,
          queryTag,
          limit: config.limit ?? 100,
          ...(continuation ? { continuation } : {}),
        });
        let reply: ReturnType<typeof readReply>;
        await session.request(
          message,
          (bytes) => {
            reply = readReply(bytes, config.query, controlId, config.maxReplySegments);
            return reply !== undefined;
          },
          signal,
        );
        const answer = reply!;
        fetchedAt = now().toISOString();
        const mapped = mapHl7Message(answer.view, {
          sourceId: config.id,
          sourceName: config.name,
          fetchedAt,
          // Segment positions restart in each continuation reply: its part number keeps record ids apart.
          recordPrefix: part === 0 ? '' : `part-${part + 1}/`,
          ...(config.confidentiality ? { confidentiality: config.confidentiality } : {}),
        });
        // Each continuation repeats the PID; the same subject is listed once.
        for (const subject of mapped.subjects.map((s) => withDefaultAuthority(s, config.defaultAuthority))) {
          const key = JSON.stringify(subject);
          if (!subjects.some((s) => JSON.stringify(s) === key)) subjects.push(subject);
        }
        items.push(...mapped.items);
        if (answer.noData || !answer.continuation) break;
        continuation = answer.continuation;
      }
      for (const item of items) item.provenance.fetchedAt = fetchedAt;
      log.info({
        subjectCount: subjects.length,
        itemCount: items.length,
        ms: Math.round(performance.now() - started),
      }, 'query answered');
      return { subjects, items, fetchedAt };
    } finally {
      await session.close();
    }
  }

  return {
    id: config.id,
    name: config.name,
    kind: 'hl7v2-mllp',
    timeoutMs: config.timeoutMs,
    fetchPatient,
  };
}
