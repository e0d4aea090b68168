/**
 * Composition root: configuration → source adapters (through the source
 * registry) → services → handlers. Plain factories wired once; no container,
 * no globals.
 */
import { CodedError, fail, ok, type ErrorCode } from '../../shared/errors';
import { parsePatientInput } from '../../shared/identity';
import { createEventHub, type EventHub } from '../bridge/eventHub';
import type { AnswerHandlers } from '../bridge/dispatch';
import { cacheStatus, clearCache } from '../cache/cacheHandlers';
import type { CacheHandle } from '../cache/openCache';
import { systemClock, type Clock } from '../platform/clock';
import { createLogger, type Logger } from '../platform/logger';
import { BUILTIN_SOURCES, type SourceDeps, type SourceRegistry } from '../sources/registry';
import type { SourceAdapter } from '../sources/types';
import { createSummaryService, type SummaryService } from '../summary/summaryService';
import { pointsAtSandbox, type SamsynConfig, type SourceConfig } from './config';

export interface Services {
  summary: SummaryService;
  sources: SourceAdapter[];
  /** One handler per command; a summary may travel as a pre-serialized envelope (see bridge/dispatch). */
  handlers: AnswerHandlers;
  /** Pushed events for the transports (Electron IPC, the preview's event stream). */
  events: EventHub;
}

/** A configured source that cannot run here: it answers every request with SOURCE_DISABLED and why. */
function disabledSource(
  settings: Pick<SourceConfig, 'id' | 'name' | 'kind' | 'timeoutMs'>,
  reason: ErrorCode | 'sandbox',
  where?: string,
): SourceAdapter {
  return {
    id: settings.id,
    name: settings.name,
    kind: settings.kind,
    timeoutMs: settings.timeoutMs,
    fetchPatient: async () => {
      throw new CodedError('SOURCE_DISABLED', where ? { reason, path: where } : { reason });
    },
  };
}

export function createSourceAdapters(
  config: SamsynConfig,
  deps: SourceDeps = { clock: systemClock, logger: createLogger('sources') },
  registry: SourceRegistry = BUILTIN_SOURCES,
): SourceAdapter[] {
  const configured = config.sources
    .filter((s) => s.enabled)
    .map((settings) => {
      if (pointsAtSandbox(settings)) return disabledSource(settings, 'sandbox');
      const kind = registry.get(settings.kind);
      if (!kind) return disabledSource(settings, 'CONFIG_INVALID');
      try {
        return kind.create(settings, { ...deps, logger: deps.logger.child({ sourceId: settings.id }) });
      } catch (err) {
        return disabledSource(settings, err instanceof CodedError ? err.code : 'INTERNAL');
      }
    });
  // A source entry the configuration rejected stays visible, disabled, with the path of its problem.
  const ids = new Set(configured.map((s) => s.id));
  const rejected = (config.rejected ?? []).map((r) =>
    disabledSource(
      {
        id: r.id && !ids.has(r.id) ? r.id : `config-${r.index + 1}`,
        name: r.name ?? r.id ?? r.path,
        kind: r.kind ?? 'unknown',
        timeoutMs: 1_000,
      },
      'CONFIG_INVALID',
      r.path,
    ),
  );
  return [...configured, ...rejected];
}

export function createServices(deps: {
  config: SamsynConfig;
  clock: Clock;
  logger: Logger;
  transport: 'electron' | 'preview';
  version: string;
  /** The source kinds to build adapters with; defaults to the built-in ones. */
  registry?: SourceRegistry;
  /** Defaults to adapters built from the config. */
  sources?: SourceAdapter[];
  /** The opened local cache (openCache); without it every summary is built live. */
  cache?: CacheHandle;
}): Services {
  const sources =
    deps.sources ?? createSourceAdapters(deps.config, { clock: deps.clock, logger: deps.logger }, deps.registry);
  const events = createEventHub();
  const summary = createSummaryService({
    sources,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'summary' }),
    ...(deps.cache ? { cache: deps.cache } : {}),
    ...(deps.config.summary
      ? { merge: { recentlyStoppedDays: deps.config.summary.recentlyStoppedDays }, freshForMs: deps.config.summary.freshForSeconds * 1000 }
      : {}),
    onFresh: (fresh) => events.emit('summary.updated', { summary: fresh }),
  });
  const handlers: AnswerHandlers = {
    'app.info': async () =>
      ok({
        version: deps.version,
        transport: deps.transport,
        sources: sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      }),
    'summary.open': async ({ patient }) => {
      const parsed = parsePatientInput(patient, { today: deps.clock.now() });
      if (!parsed.ok) return fail(parsed.error.code, parsed.error.params);
      return ok((await summary.openWithRefresh(parsed.value)).answer);
    },
    'document.open': async ({ patient, sourceId, recordId }) => {
      const parsed = parsePatientInput(patient, { today: deps.clock.now() });
      if (!parsed.ok) return fail(parsed.error.code, parsed.error.params);
      const source = sources.find((s) => s.id === sourceId);
      if (!source?.openDocument) return fail('DOCUMENT_NOT_FOUND');
      try {
        const doc = await source.openDocument(parsed.value, recordId, AbortSignal.timeout(source.timeoutMs));
        const text = doc.contentType === 'application/pdf' ? {} : { text: new TextDecoder('utf-8').decode(doc.bytes) };
        const pdf = doc.contentType === 'application/pdf' ? { base64: Buffer.from(doc.bytes).toString('base64') } : {};
        return ok({ contentType: doc.contentType, ...(doc.title ? { title: doc.title } : {}), ...text, ...pdf });
      } catch (err) {
        return err instanceof CodedError ? fail(err.code, err.params) : fail('INTERNAL');
      }
    },
    'cache.status': async () => cacheStatus(deps.cache),
    'cache.clear': async () => clearCache(deps.cache),
  };
  return { summary, sources, handlers, events };
}
