/**
 * SamsynApi: every call the renderer can make, as one map from command name to
 * zod request/response schemas. Both transports (Electron IPC and the preview's
 * HTTP bridge) serve exactly this map; the renderer never sees a channel name.
 */
import { z } from 'zod';
import type { AppError, ErrorCode, Result } from './errors';
import { accessPurposeSchema, sessionViewSchema } from './session';
import { cacheNoticeSchema, summarySchema } from './summary';
import { summaryPartsSchema, summaryRestSchema } from './summaryParts';

/** A summary as delivered: whole, or its part 1 (`parts` says what part 2 brings; shared/summaryParts.ts, ADR 0032). */
export const deliveredSummarySchema = summarySchema.extend({ parts: summaryPartsSchema.optional() });

/** Counts only: the settings view and `samsyn cache verify` never see patient data. */
export const cacheStatusSchema = cacheNoticeSchema.extend({
  retentionHours: z.number(),
  patients: z.number(),
  snapshots: z.number(),
  oldestAt: z.string().optional(),
  /** Caches moved aside (damaged, wrong key, not ours): kept until retention or "Töm cache" (ADR 0010). */
  setAsideFiles: z.number().optional(),
});

export const appInfoSchema = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'preview']),
  sources: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
});

export const samsynApi = {
  'app.info': { request: z.object({}), response: appInfoSchema },
  'summary.open': {
    request: z.object({
      /** A national id as typed, or an identifier token SYSTEM|VALUE. */
      patient: z.string().min(1).max(300),
      /**
       * The purpose, stated once per patient per session (ACCESS_PURPOSE_REQUIRED
       * until it is): care within a care relationship, or an emergency with a reason.
       */
      purpose: accessPurposeSchema.optional(),
      reason: z.string().max(500).optional(),
      /** The patient consents to this care unit seeing their records from other providers. */
      consent: z.boolean().optional(),
      /** The renderer takes a large summary in two parts: part 1 answers, part 2 through summary.rest (ADR 0032). */
      parts: z.boolean().optional(),
    }),
    response: deliveredSummarySchema,
  },
  /** Opens a source's sealed information for the patient, on a stated basis and reason (logged). */
  'summary.reveal': {
    request: z.object({
      patient: z.string().min(1).max(300),
      sourceId: z.string().min(1).max(63),
      basis: z.enum(['consent', 'emergency']),
      reason: z.string().min(1).max(500),
    }),
    response: summarySchema,
  },
  /** The user prints (or saves as PDF) the summary on screen: logged before the print dialog opens. */
  'summary.print': {
    // output: the desktop app prints (paper) or saves a PDF itself once logged; absent, the renderer prints (Chromium's dialog).
    request: z.object({ patient: z.string().min(1).max(300), output: z.enum(['paper', 'pdf']).optional() }),
    // printed: the desktop app printed it; saved: a PDF was written (false: the save was cancelled).
    response: z.object({ printed: z.boolean().optional(), saved: z.boolean().optional() }),
  },
  /** The opened patient's summary, as the role received it, as an IPS document (logged as an export). */
  'summary.export': {
    request: z.object({ patient: z.string().min(1).max(300), format: z.literal('ips') }),
    response: z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() }),
  },
  'cache.status': { request: z.object({}), response: cacheStatusSchema },
  /** "Töm cache": removes every cached patient snapshot. */
  'cache.clear': { request: z.object({}), response: z.object({ removed: z.number() }) },
  /** Who is signed in, whether the screen is locked, and whom the sign-in view offers. */
  'session.get': { request: z.object({}), response: sessionViewSchema },
  /**
   * Local directory: signs `userId` in at once. OpenID Connect: answers the
   * authorization URL to open in the system browser; the session changes
   * ('session.changed') when the browser comes back to the loopback redirect.
   */
  'session.signIn': {
    request: z.object({ userId: z.string().min(1).max(200).optional() }),
    response: z.object({ session: sessionViewSchema, authorizationUrl: z.string().url().optional() }),
  },
  'session.signOut': { request: z.object({}), response: sessionViewSchema },
  'session.lock': { request: z.object({}), response: sessionViewSchema },
  /** The renderer saw the user act (pointer, keys; throttled): restarts the idle lock's countdown. */
  'session.activity': { request: z.object({}), response: z.object({}) },
  /** A journal document's content, fetched from the source that holds it (text and HTML as text, PDF as base64). */
  'document.open': {
    request: z.object({
      patient: z.string().min(1).max(300),
      sourceId: z.string().min(1).max(64),
      recordId: z.string().min(1).max(200),
    }),
    response: z.object({
      contentType: z.enum(['text/plain', 'text/html', 'application/pdf']),
      title: z.string().optional(),
      text: z.string().optional(),
      base64: z.string().optional(),
      /** The source did not answer: this is the copy kept when it was last opened, at this time. */
      cachedAt: z.string().optional(),
    }),
  },
  /** Part 2 of a summary.open answered in two parts (`parts.id`): once, to the session and user it was answered to (ADR 0032). */
  'summary.rest': {
    request: z.object({ patient: z.string().min(1).max(300), id: z.string().min(16).max(64) }),
    response: summaryRestSchema,
  },
} as const;

/**
 * A pushed update whose sections are, record for record, those the renderer
 * already shows for this open (issue 13): everything but the sections, which
 * stay as shown. Only each source's fetch time and cached mark changed in them
 * (`freshness`: every record of that source now carries these). `sameSince` is
 * the seq from which the sections have been these: the renderer applies the
 * update only over sections it received at or after that seq, for the same open
 * and patient (else it drops it). Sent through deliver() like every update.
 */
export const unchangedSummarySchema = summarySchema.omit({ sections: true }).extend({
  progress: z.object({ openId: z.string(), seq: z.number(), final: z.boolean() }),
  sameSince: z.number().int().min(0),
  freshness: z.record(z.string(), z.object({ fetchedAt: z.string(), cached: z.boolean() })),
});

/**
 * Events pushed from the services to the renderer. 'summary.updated' carries the
 * whole re-merged summary after each source's answer, failure or deadline that
 * follows summary.open's first answer (cached, or every source pending), the
 * last one marked final (`summary.progress`, ADR 0014). The renderer shows it
 * only if that patient is still selected and it belongs to the open shown and
 * is newer than what is shown.
 */
export const samsynEvents = {
  'summary.updated': z.union([z.object({ summary: deliveredSummarySchema }), z.object({ unchanged: unchangedSummarySchema })]),
  /** Signed in, out, switched or locked: the renderer clears every patient view on any change of user or lock. */
  'session.changed': z.object({ session: sessionViewSchema }),
  /**
   * Launch in patient context (a samsyn:// link or --patient from the journal
   * system): the renderer opens this patient as if typed, purpose question
   * included. Sent only to a signed-in, unlocked session; held until then.
   */
  'launch.patient': z.object({ patient: z.string().min(1).max(300) }),
  /** Part 2 of a pushed update sent in two parts, right after its part 1 (ADR 0032). */
  'summary.rest': summaryRestSchema,
} as const;

export type SamsynApi = typeof samsynApi;
export type CommandName = keyof SamsynApi;
export type RequestOf<C extends CommandName> = z.input<SamsynApi[C]['request']>;
export type ResponseOf<C extends CommandName> = z.output<SamsynApi[C]['response']>;
export type EventName = keyof typeof samsynEvents;
export type EventPayload<E extends EventName> = z.output<(typeof samsynEvents)[E]>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(samsynEvents, name);
}

/** What both transports expose to the renderer (`window.samsyn` in Electron). */
export interface SamsynBridge {
  invoke<C extends CommandName>(command: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(samsynApi, name);
}

export type { AppError, ErrorCode, Result };
