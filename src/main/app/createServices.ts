/**
 * Composition root: configuration → source adapters → services → handlers.
 * Plain factories wired once; no container, no globals.
 */
import { fail, ok } from '../../shared/errors';
import type { SamsynHandlers } from '../../shared/api';
import { parsePatientInput } from '../../shared/identity';
import type { Logger } from '../log/logger';
import { createFhirSource } from '../sources/fhir/fhirSource';
import type { SourceAdapter } from '../sources/types';
import { createSummaryService, type SummaryService } from '../summary/summaryService';
import type { Clock } from './clock';
import type { SamsynConfig } from './config';

export interface Services {
  summary: SummaryService;
  sources: SourceAdapter[];
  handlers: SamsynHandlers;
}

export function createSourceAdapters(config: SamsynConfig): SourceAdapter[] {
  return config.sources
    .filter((s) => s.enabled)
    .map((s) =>
      createFhirSource({
        id: s.id,
        name: s.name,
        baseUrl: s.baseUrl,
        timeoutMs: s.timeoutMs,
        ...(s.pageSize ? { pageSize: s.pageSize } : {}),
      }),
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
}): Services {
  const sources = deps.sources ?? createSourceAdapters(deps.config);
  const summary = createSummaryService({ sources, clock: deps.clock, logger: deps.logger.child({ module: 'summary' }) });
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
  };
  return { summary, sources, handlers };
}
