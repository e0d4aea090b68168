/**
 * SamsynApi: every call the renderer can make, as one map from command name to
 * zod request/response schemas. Both transports (Electron IPC and the preview's
 * HTTP bridge) serve exactly this map; the renderer never sees a channel name.
 */
import { z } from 'zod';
import type { AppError, ErrorCode, Result } from './errors';
import { SECTION_KEYS } from './summary';

const coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const quantity = z.object({ value: z.number(), unit: z.string().optional(), comparator: z.string().optional() });
const provenance = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  recordId: z.string(),
  recordedAt: z.string().optional(),
  fetchedAt: z.string(),
  cached: z.boolean().optional(),
});
const conflict = z.object({
  field: z.enum(['status', 'value', 'date', 'text']),
  values: z.array(z.object({ sourceId: z.string(), value: z.string() })),
});
const sectionKey = z.enum(SECTION_KEYS);
const mergedItem = z.object({
  key: z.string(),
  section: sectionKey,
  codes: z.array(coding),
  text: z.string(),
  status: z.string().optional(),
  date: z.string().optional(),
  value: z.union([quantity, z.string()]).optional(),
  details: z.record(z.string(), z.unknown()),
  sealed: z.boolean(),
  sources: z.array(provenance),
  conflicts: z.array(conflict),
});
const sourceStatus = z.object({
  sourceId: z.string(),
  name: z.string(),
  state: z.enum(['ok', 'cached', 'failed', 'timeout', 'rejected', 'disabled']),
  error: z.string().optional(),
  fetchedAt: z.string().optional(),
  itemCount: z.number(),
  ms: z.number().optional(),
  refreshing: z.boolean().optional(),
});
const cacheNotice = z.object({
  available: z.boolean(),
  error: z.string().optional(),
  setAside: z.boolean().optional(),
});
const patientHeader = z.object({
  identifier: z.object({ system: z.string().optional(), value: z.string() }),
  nationalId: z.object({ country: z.enum(['SE', 'NO', 'FI']), kind: z.string(), value: z.string() }).optional(),
  name: z.string().optional(),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
  nameConflicts: z.array(z.object({ sourceId: z.string(), value: z.string() })).optional(),
});
export const summarySchema = z.object({
  patient: patientHeader,
  sections: z.object(
    Object.fromEntries(SECTION_KEYS.map((k) => [k, z.array(mergedItem)])) as Record<
      (typeof SECTION_KEYS)[number],
      z.ZodArray<typeof mergedItem>
    >,
  ),
  sources: z.array(sourceStatus),
  generatedAt: z.string(),
  fromCache: z.boolean(),
  hiddenSealed: z.number(),
  refreshing: z.boolean().optional(),
  cache: cacheNotice.optional(),
});

/** Counts only: the settings view and `samsyn cache verify` never see patient data. */
export const cacheStatusSchema = cacheNotice.extend({
  retentionHours: z.number(),
  patients: z.number(),
  snapshots: z.number(),
  oldestAt: z.string().optional(),
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

/** Service-side handlers: one function per command, returning results, not throws. */
export type SamsynHandlers = {
  [C in CommandName]: (request: z.output<SamsynApi[C]['request']>) => Promise<Result<ResponseOf<C>>>;
};

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(samsynApi, name);
}

export type { AppError, ErrorCode, Result };
