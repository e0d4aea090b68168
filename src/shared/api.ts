/**
 * SamsynApi: every call the renderer can make, as one map from command name to
 * zod request/response schemas. Both transports (Electron IPC and the preview's
 * HTTP bridge) serve exactly this map; the renderer never sees a channel name.
 */
import { z } from 'zod';
import type { AppError, ErrorCode, Result } from './errors';
import { cacheNoticeSchema, summarySchema } from './summary';

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
    }),
    response: summarySchema,
  },
  'cache.status': { request: z.object({}), response: cacheStatusSchema },
  /** "Töm cache": removes every cached patient snapshot. */
  'cache.clear': { request: z.object({}), response: z.object({ removed: z.number() }) },
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
    }),
  },
} as const;

/**
 * Events pushed from the services to the renderer. 'summary.updated' carries the
 * fresh summary after summary.open answered from the cache; the renderer shows
 * it only if that patient is still the selected one.
 */
export const samsynEvents = {
  'summary.updated': z.object({ summary: summarySchema }),
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
