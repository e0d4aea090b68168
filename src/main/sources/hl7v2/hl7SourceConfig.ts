/**
 * Configuration of HL7 v2 sources. `port: "sandbox:REGION"` (MLLP) and
 * `folder: "sandbox:NAME"` (batch) point at simulated systems the runtime
 * starts itself (demo, tests).
 */
import { z } from 'zod';
import { tlsSettingsSchema } from '../common/tls';
import { sourceIdSchema } from '../sourceKind';

const sandboxRef = z.string().regex(/^sandbox:[a-z0-9-]+$/);
/** An HL7 assigning authority (namespace or OID): no blanks around it, no HL7 delimiters in it. */
const defaultAuthoritySchema = z.string().regex(/^[^\s|^~\\&](?:[^|^~\\&]*[^\s|^~\\&])?$/);

/**
 * When a message marks information sealed (spärrad, sperret, luovutuskielto):
 * a field (and component) of a segment holding one of the values. HL7 v2 has
 * no one agreed marker, so each source's profile says which it uses (e.g.
 * PD1-12 protection indicator `Y`, or a Z-segment). A rule on PID or PD1
 * seals everything about that patient in the message; on ORC or OBR, that
 * order group; on any other segment, the items mapped from that segment.
 */
export const confidentialityRuleSchema = z.object({
  segment: z.string().regex(/^[A-Z][A-Z0-9]{2}$/),
  field: z.number().int().min(1).max(200),
  component: z.number().int().min(1).max(50).default(1),
  values: z.array(z.string().min(1).max(50)).min(1).max(20),
});
export type ConfidentialityRule = z.output<typeof confidentialityRuleSchema>;
const confidentialitySchema = z.array(confidentialityRuleSchema).max(20).optional();

/**
 * The highest values a limit may be configured to: past them one reply or one
 * file no longer fits a workstation's memory (the defaults are far below).
 */
export const MLLP_REPLY_BYTES_CEILING = 512 * 1024 * 1024;
export const MLLP_REPLY_SEGMENTS_CEILING = 5_000_000;

export const mllpSourceSchema = z.object({
  id: sourceIdSchema,
  name: z.string().min(1),
  kind: z.literal('hl7v2-mllp'),
  host: z.string().min(1).default('127.0.0.1'),
  // node-hl7-client refuses ports above 65353.
  port: z.union([z.number().int().min(1).max(65_353), sandboxRef]),
  // The library destroys any socket after 60 s, so no deadline can be longer.
  timeoutMs: z.number().int().positive().max(60_000).default(8_000),
  query: z.enum(['QBP^Q11', 'QRY^A19']).default('QBP^Q11'),
  version: z.enum(['2.3', '2.3.1', '2.4', '2.5', '2.5.1']).default('2.5'),
  queryName: z.string().min(1).default('Z01^Patient summary^L'),
  profile: z
    .object({
      sendingApplication: z.string().min(1).default('SAMSYN'),
      sendingFacility: z.string().min(1).default('SAMSYN'),
      receivingApplication: z.string().default(''),
      receivingFacility: z.string().default(''),
      processingId: z.enum(['P', 'T', 'D']).default('P'),
    })
    .prefault({}),
  limit: z.number().int().positive().max(10_000).optional(),
  /**
   * The assigning authority of PID-3 values that carry none (CX.4 empty), so a
   * feed that omits it is still matched exactly: `AUTHORITY|VALUE`. A national
   * id OID names that national id system. Without it such values match only a
   * `|VALUE` request (an identifier with no system).
   */
  defaultAuthority: defaultAuthoritySchema.optional(),
  confidentiality: confidentialitySchema,
  /** MLLP over TLS: the CA the peer's certificate must chain to, and a client certificate for mutual TLS. */
  tls: tlsSettingsSchema.optional(),
  /**
   * Limits per reply (ADR 0029, 0034); one exceeded fails the query with
   * SOURCE_RESPONSE_TOO_LARGE naming the limit. Largest reply frame in bytes
   * (default 32 MiB), most segments in one reply (default 50,000, counted
   * before parsing), continuations followed (default 50).
   */
  maxReplyBytes: z.number().int().min(1024).max(MLLP_REPLY_BYTES_CEILING).optional(),
  maxReplySegments: z.number().int().positive().max(MLLP_REPLY_SEGMENTS_CEILING).optional(),
  maxContinuations: z.number().int().min(0).max(1_000).optional(),
  enabled: z.boolean().default(true),
});

export const batchSourceSchema = z.object({
  id: sourceIdSchema,
  name: z.string().min(1),
  kind: z.literal('hl7v2-batch'),
  folder: z.string().min(1),
  timeoutMs: z.number().int().positive().max(120_000).default(8_000),
  settleMs: z.number().int().min(0).max(600_000).optional(),
  /** The assigning authority for PID-3 values that carry none, so this feed's numbers still match exactly. */
  defaultAuthority: defaultAuthoritySchema.optional(),
  /** Limits per dropped file; one exceeded quarantines the file with a code naming the limit. */
  maxFileBytes: z.number().int().positive().max(1024 * 1024 * 1024).optional(),
  maxMessages: z.number().int().positive().max(1_000_000).optional(),
  maxSegments: z.number().int().positive().max(10_000_000).optional(),
  /** A batch still without its end marker after this long is quarantined as incomplete. */
  incompleteAfterMs: z.number().int().positive().max(7 * 24 * 3_600_000).optional(),
  /**
   * Most mapped items held in memory (default 20,000); past it a batch
   * message is kept as its patients' identifiers and where it lies in
   * processed/, and mapped again when a query names one (ADR 0038).
   */
  maxHeldItems: z.number().int().min(0).max(10_000_000).optional(),
  /**
   * How a writer marks a file done, besides standing still for settleMs and
   * never being taken under an in-progress name (*.part, *.tmp, ~*): 'settle'
   * (nothing more), 'terminator' (a single message must end with CR or LF),
   * 'done-file' (NAME is taken once NAME.done exists). See ADR 0026.
   */
  endMarker: z.enum(['settle', 'terminator', 'done-file']).optional(),
  confidentiality: confidentialitySchema,
  enabled: z.boolean().default(true),
});

export type MllpSourceSettings = z.output<typeof mllpSourceSchema>;
export type BatchSourceSettings = z.output<typeof batchSourceSchema>;
