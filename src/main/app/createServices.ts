/**
 * Composition root: configuration → source adapters → services → handlers.
 * Plain factories wired once; no container, no globals.
 */
import { fail, ok } from '../../shared/errors';
import type { SamsynHandlers } from '../../shared/api';
import { parsePatientInput } from '../../shared/identity';
import { cacheStatus, clearCache } from '../cache/cacheHandlers';
import type { CacheHandle } from '../cache/openCache';
import type { Logger } from '../platform/logger';
import { createFhirSource } from '../sources/fhir/fhirSource';
import { createHl7Adapter } from '../sources/hl7v2/hl7Adapters';
import type { SourceAdapter } from '../sources/types';
import { createSummaryService, type SummaryService } from '../summary/summaryService';
import type { Clock } from '../platform/clock';
import type { SamsynConfig } from './config';
import { createEventHub, type EventHub } from '../bridge/eventHub';

export interface Services {
  summary: SummaryService;
  sources: SourceAdapter[];
  handlers: SamsynHandlers;
  /** Pushed events for the transports (Electron IPC, the preview's event stream). */
  events: EventHub;
}

export function createSourceAdapters(config: SamsynConfig): SourceAdapter[] {
  return config.sources
    .filter((s) => s.enabled)
    .map((s) =>
      s.kind === 'fhir-r4'
        ? createFhirSource({
            id: s.id,
            name: s.name,
            baseUrl: s.baseUrl,
            timeoutMs: s.timeoutMs,
            ...(s.pageSize ? { pageSize: s.pageSize } : {}),
          })
        : createHl7Adapter(s),
    );
}

export function createServices(deps: {
  config: SamsynConfig;
  clock: Clock;
  logger: Logger;
  transport: 'electron' | 'preview';
  version: string;
  /** Defaults to adapters built from the config. */
  sources?: SourceAdapter[];
  /** The opened local cache (openCache); without it every summary is built live. */
  cache?: CacheHandle;
}): Services {
  const sources = deps.sources ?? createSourceAdapters(deps.config);
  const events = createEventHub();
  const summary = createSummaryService({
    sources,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'summary' }),
    ...(deps.cache ? { cache: deps.cache } : {}),
    onFresh: (fresh) => events.emit('summary.updated', { summary: fresh }),
  });
  const handlers: SamsynHandlers = {
    'app.info': async () =>
      ok({
        version: deps.version,
        transport: deps.transport,
        sources: sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      }),
    'summary.open': async ({ patient }) => {
      const parsed = parsePatientInput(patient, { today: deps.clock.now() });
      if (!parsed.ok) return fail(parsed.error.code, parsed.error.params);
      return ok(await summary.open(parsed.value));
    },
    'cache.status': async () => cacheStatus(deps.cache),
    'cache.clear': async () => clearCache(deps.cache),
  };
  return { summary, sources, handlers, events };
}
