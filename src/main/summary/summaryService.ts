/**
 * summary.open: ask every configured source in parallel, each with its own
 * deadline; reject answers about anyone else; merge; report per source what
 * happened. A source's failure is never dropped: it becomes a SourceStatus.
 */
import { performance } from 'node:perf_hooks';
import { CodedError, type ErrorCode } from '../../shared/errors';
import {
  type ClinicalItem,
  type PatientHeader,
  type SourceState,
  type SourceStatus,
  type Summary,
} from '../../shared/summary';
import type { Clock } from '../app/clock';
import type { Logger } from '../log/logger';
import type { PatientQuery, SourceAdapter, SourceResult, SubjectIdentity } from '../sources/types';
import { guardIdentity } from './identityGuard';
import { mergeItems } from './merge';

export interface SummaryService {
  open(query: PatientQuery): Promise<Summary>;
}

interface Outcome {
  status: SourceStatus;
  result?: SourceResult;
}

function stateFor(code: ErrorCode): SourceState {
  if (code === 'SOURCE_TIMEOUT') return 'timeout';
  if (code === 'PATIENT_MISMATCH') return 'rejected';
  if (code === 'SOURCE_DISABLED') return 'disabled';
  return 'failed';
}

/** Runs one source under its deadline; resolves even when the adapter ignores the signal. */
async function askSource(source: SourceAdapter, query: PatientQuery): Promise<SourceResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new CodedError('SOURCE_TIMEOUT', { ms: source.timeoutMs });
      controller.abort(reason);
      reject(reason);
    }, source.timeoutMs);
  });
  try {
    return await Promise.race([source.fetchPatient(query, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    // A late answer after the deadline is discarded: the race is already decided.
    deadline.catch(() => undefined);
  }
}

function header(query: PatientQuery, outcomes: Outcome[]): PatientHeader {
  const subjects: { sourceId: string; subject: SubjectIdentity }[] = outcomes.flatMap((o) =>
    o.result ? o.result.subjects.map((subject) => ({ sourceId: o.status.sourceId, subject })) : [],
  );
  const named = subjects.filter((s) => s.subject.name);
  const names = new Set(named.map((s) => s.subject.name));
  const first = subjects[0]?.subject;
  const nid = query.nationalId;
  return {
    identifier: query.identifier,
    ...(nid ? { nationalId: { country: nid.country, kind: nid.kind, value: nid.value } } : {}),
    ...(named[0]?.subject.name ? { name: named[0].subject.name } : {}),
    ...(first?.birthDate ?? nid?.birthDate ? { birthDate: first?.birthDate ?? nid?.birthDate } : {}),
    ...(first?.gender ?? nid?.sex ? { gender: first?.gender ?? nid?.sex } : {}),
    ...(names.size > 1
      ? { nameConflicts: named.map((s) => ({ sourceId: s.sourceId, value: s.subject.name ?? '' })) }
      : {}),
  };
}

export function createSummaryService(deps: {
  sources: SourceAdapter[];
  clock: Clock;
  logger: Logger;
}): SummaryService {
  const { sources, clock, logger } = deps;

  async function runOne(source: SourceAdapter, query: PatientQuery): Promise<Outcome> {
    const started = performance.now();
    const base = { sourceId: source.id, name: source.name };
    try {
      const result = guardIdentity(await askSource(source, query), query);
      const ms = Math.round(performance.now() - started);
      logger.info({ source: source.id, items: result.items.length, ms }, 'source answered');
      return {
        result,
        status: { ...base, state: 'ok', fetchedAt: result.fetchedAt, itemCount: result.items.length, ms },
      };
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      const code: ErrorCode = err instanceof CodedError ? err.code : 'INTERNAL';
      if (!(err instanceof CodedError)) {
        // Only the error's class name: an unexpected message may quote the response.
        logger.error({ source: source.id, err: (err as Error)?.name ?? typeof err }, 'source crashed');
      } else {
        logger.warn({ source: source.id, code, ms }, 'source failed');
      }
      return { status: { ...base, state: stateFor(code), error: code, itemCount: 0, ms } };
    }
  }

  return {
    async open(query) {
      const outcomes = await Promise.all(sources.map((s) => runOne(s, query)));
      const items: ClinicalItem[] = outcomes.flatMap((o) => o.result?.items ?? []);
      const visible = items.filter((i) => !i.sealed);
      return {
        patient: header(query, outcomes),
        sections: mergeItems(visible),
        sources: outcomes.map((o) => o.status),
        generatedAt: clock.now().toISOString(),
        fromCache: false,
        hiddenSealed: items.length - visible.length,
      };
    },
  };
}
