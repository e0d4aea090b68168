/**
 * summary.open: ask every configured source in parallel, each with its own
 * deadline (askSource); reject answers about anyone else; merge; report per
 * source what happened. A source's failure is never dropped: it becomes a
 * SourceStatus.
 *
 * Progressive (ADR 0014): the first answer never waits for a source. It is the
 * cached summary (every source 'cached', refreshing) when the patient was seen
 * before (stale-while-revalidate, cachedAnswer), else a summary with no items
 * and every source 'pending'. Each source's ending — answer, failure or
 * deadline — re-merges everything known so far and hands the whole summary to
 * onUpdate (pushed as 'summary.updated'), numbered by `progress` (open id,
 * sequence); the last is final and is the one written to the cache. Endings
 * within the same tick are coalesced into one re-merge; a large one (from
 * STEPWISE_FROM_RECORDS records) is built in bounded steps and given up when a
 * newer ending comes during it (ADR 0037). A source that fails
 * keeps its cached items, still marked 'cached' with their age and the error
 * of the failed refresh: cached data is never presented as fresh.
 */
import { randomUUID } from 'node:crypto';
import type { CacheNotice, ClinicalItem, SealedNotice, SourceStatus, Summary } from '../../shared/summary';
import type { SourceSnapshot } from '../cache/cacheStore';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { PatientQuery, SourceAdapter } from '../sources/types';
import { askSource, type Outcome } from './askSource';
import { cachedStatus, createCacheAccess, fromMerged, fromSnapshot, type Contribution, type SummaryCache } from './cachedAnswer';
import { coverageOf } from './coverage';
import { type DrugCodeMap, withMappedAtc } from './drugCodes';
import { TimeSlices } from '../platform/timeSlices';
import { mergeSteps, mergeSummary, runToEnd } from './merge';
import { patientHeader } from './patientHeader';
import { isPreserialized, materializeSummary, preserialized, type SummaryAnswer } from './summaryAnswer';

export type { SummaryCache } from './cachedAnswer';

export interface SummaryService {
  /**
   * For non-interactive callers (the CLI, tests): the complete summary — the
   * final one once every source ended, or the cached one as it is within the
   * freshness window.
   */
  open(query: PatientQuery): Promise<Summary>;
  /**
   * The first answer at once, as the transports get it (a cached one in its
   * pre-serialized envelope, else every source pending), never waiting for a
   * source; `fresh` is the final summary when sources are being asked. The
   * updates in between go to onUpdate.
   */
  openWithRefresh(query: PatientQuery): Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }>;
  /** Resolves when every background refresh started so far has finished (its final update delivered). */
  settled(): Promise<void>;
}

/**
 * Which of a patient's items the asking user may see (sealed information,
 * consent-only sources: src/main/access), and what they may be told of the
 * rest. Applied to each source's items before the merge, at every build, so a
 * reveal or a consent takes effect at the next update.
 */
export interface ItemPolicy {
  apply(items: readonly ClinicalItem[]): { visible: ClinicalItem[]; hidden: number; notice?: SealedNotice };
  /**
   * Shows exactly what the shared stored summary shows (nothing revealed, no
   * consent-only source opened): the cached merged summary may then be given
   * as it is. Otherwise the answer is rebuilt from the sources' snapshots.
   */
  neutral: boolean;
}

/** Without an access policy (the CLI's files): every sealed item hidden and counted. */
export const HIDE_SEALED: ItemPolicy = {
  neutral: true,
  apply(items) {
    const visible = items.filter((i) => !i.sealed);
    return { visible, hidden: items.length - visible.length };
  },
};

/**
 * From this many records (all sources together) an update is built in bounded
 * steps, the event loop turning between them (ADR 0037); fewer are built at
 * once, the common case not slowed by pauses. Measured: 10,000 records merge in
 * ~12 ms, 50,000 in ~150 ms (merge.bench.ts), so at this bound a build at once
 * stays near the 50 ms a user does not notice.
 */
export const STEPWISE_FROM_RECORDS = 20_000;

/** What a run holds as its latest only while it builds the next at once (never handed out: no await in between). */
const EMPTY_LATEST = {} as SummaryAnswer;

/** One asking of the sources for one patient, shared by the opens that overlap it. */
interface Run {
  id: string;
  /** The latest summary handed out (the first answer, then each update). */
  latest: SummaryAnswer;
  final: Promise<Summary>;
}

export function createSummaryService(deps: {
  sources: SourceAdapter[];
  clock: Clock;
  logger: Logger;
  cache?: SummaryCache;
  /** How the merge groups items (the recently-stopped window). */
  merge?: { recentlyStoppedDays?: number };
  /**
   * A cached summary whose every source answered within this many ms is given
   * as it is (marked cached, with its age) without asking the sources again.
   * 0 (default): every cached open is refreshed.
   */
  freshForMs?: number;
  /**
   * Receives every summary that follows a first answer: one per source ending
   * (coalesced within a tick), the last with progress.final. Each is whole,
   * never a diff.
   */
  onUpdate?: (summary: Summary) => void;
  /** The asking user's policy for a patient (default HIDE_SEALED). */
  policy?: (query: PatientQuery) => ItemPolicy;
  /** The policy the stored (shared) summary is built with; default HIDE_SEALED. */
  neutralPolicy?: ItemPolicy;
  /** National drug codes → ATC: a drug item without ATC gets the mapped one before the merge (drugCodes.ts). */
  drugCodes?: DrugCodeMap;
  /** The most records one source's answer may bring (askSource's DEFAULT_MAX_ITEMS_PER_SOURCE); one over it fails that source, coded. */
  maxItemsPerSource?: number;
  /** From this many records an update is built stepwise (default STEPWISE_FROM_RECORDS; tests lower it). */
  stepwiseFromRecords?: number;
}): SummaryService {
  const { sources, clock, logger } = deps;
  const cache = createCacheAccess(deps.cache, logger);
  const pending = new Set<Promise<unknown>>();
  /** One refresh per patient at a time: opens that overlap share it. */
  const inFlight = new Map<string, Run>();
  const patientKey = (query: PatientQuery) => `${query.identifier.system ?? ''}|${query.identifier.value}`;

  const policyFor = (query: PatientQuery): ItemPolicy => deps.policy?.(query) ?? HIDE_SEALED;
  const neutralPolicy = deps.neutralPolicy ?? HIDE_SEALED;

  const stepwiseFrom = deps.stepwiseFromRecords ?? STEPWISE_FROM_RECORDS;

  function build(
    query: PatientQuery,
    parts: Contribution[],
    notice: CacheNotice | undefined,
    refreshing: boolean,
    policy: ItemPolicy = policyFor(query),
  ): Summary {
    return runToEnd(buildSteps(query, parts, notice, refreshing, policy, false));
  }

  /** The build as bounded steps when `stepwise` (the merge yielding between chunks of records), else at once. */
  function* buildSteps(
    query: PatientQuery,
    parts: Contribution[],
    notice: CacheNotice | undefined,
    refreshing: boolean,
    policy: ItemPolicy,
    stepwise: boolean,
  ): Generator<void, Summary, void> {
    const items: ClinicalItem[] = withMappedAtc(parts.flatMap((p) => p.items), deps.drugCodes);
    if (stepwise) yield;
    const { visible, hidden, notice: sealed } = policy.apply(items);
    if (stepwise) yield;
    const now = clock.now();
    const merged = stepwise ? yield* mergeSteps(visible, { now, ...deps.merge }) : mergeSummary(visible, { now, ...deps.merge });
    if (stepwise) yield;
    const counted = withVisibleCounts(parts, visible);
    if (stepwise) yield;
    return {
      patient: patientHeader(query, parts),
      sections: merged.sections,
      sources: counted,
      generatedAt: now.toISOString(),
      fromCache: parts.some((p) => p.status.state === 'cached'),
      hiddenSealed: hidden,
      ...(sealed ? { sealed } : {}),
      retracted: merged.retracted,
      coverage: coverageOf(parts),
      ...(refreshing ? { refreshing: true } : {}),
      ...(notice ? { cache: notice } : {}),
    };
  }

  /**
   * Each source's item count as the user sees it: what the policy hid is not
   * counted (a Finnish source's sealed records must not show as a count).
   */
  function withVisibleCounts(parts: readonly Contribution[], visible: readonly ClinicalItem[]): SourceStatus[] {
    const counts = new Map<string, number>();
    for (const item of visible) counts.set(item.provenance.sourceId, (counts.get(item.provenance.sourceId) ?? 0) + 1);
    return parts.map((p) => (p.items.length === 0 ? p.status : { ...p.status, itemCount: counts.get(p.sourceId) ?? 0 }));
  }

  function deliver(summary: Summary): void {
    try {
      deps.onUpdate?.(summary);
    } catch (err) {
      logger.error({ err: (err as Error)?.name ?? typeof err }, 'summary update listener failed');
    }
  }

  function pendingStatus(source: SourceAdapter): SourceStatus {
    return { sourceId: source.id, name: source.name, state: 'pending', itemCount: 0, deadlineMs: source.timeoutMs };
  }

  /**
   * Asks every source; after each ending, re-merges what is known and hands it
   * on. A source not ended yet shows its cached snapshot when `cachedFirst`
   * (else it is 'pending'); a failed source falls back to its snapshot, marked
   * as such. `known` is undefined when the snapshots were not read yet: they
   * are then read on the first need.
   */
  function startRun(
    query: PatientQuery,
    first: (id: string) => SummaryAnswer,
    known: SourceSnapshot[] | undefined,
    initialNotice: CacheNotice | undefined,
    cachedFirst: boolean,
  ): Run {
    const id = randomUUID();
    let seq = 0;
    let notice = initialNotice;
    let snapshots = known;
    const outcomes: (Outcome | undefined)[] = sources.map(() => undefined);
    let left = sources.length;
    let scheduled = false;
    /** Sources ended so far (a build started at an older count is superseded), and whether a build is under way. */
    let endings = 0;
    let building = false;
    const run: Run = { id, latest: first(id), final: undefined as unknown as Promise<Summary> };

    function snapshotOf(sourceId: string): SourceSnapshot | undefined {
      if (!snapshots) {
        const read = cache.snapshots(query);
        snapshots = read.snapshots;
        notice = read.notice ?? notice;
      }
      return snapshots.find((s) => s.sourceId === sourceId);
    }

    function partOf(source: SourceAdapter, outcome: Outcome | undefined): Contribution {
      if (!outcome) {
        if (!cachedFirst) return { sourceId: source.id, status: pendingStatus(source), subjects: [], items: [] };
        return fromSnapshot({ ...cachedStatus(source), deadlineMs: source.timeoutMs }, snapshotOf(source.id));
      }
      if (outcome.result) {
        return { sourceId: source.id, status: outcome.status, subjects: outcome.result.subjects, items: outcome.result.items };
      }
      const snapshot = snapshotOf(source.id);
      return fromSnapshot(snapshot ? { ...outcome.status, state: 'cached' } : outcome.status, snapshot);
    }

    let resolveFinal: (summary: Summary) => void = () => undefined;
    let rejectFinal: (err: unknown) => void = () => undefined;
    run.final = new Promise<Summary>((resolve, reject) => {
      resolveFinal = resolve;
      rejectFinal = reject;
    });

    /**
     * One update: built at once when small; else in bounded steps (the event loop turning between
     * them), and given up at a pause after which a newer ending is known — that build would show
     * less than the next one, so it is never delivered; the next build starts from every ending
     * known. The final build (every source ended) has no newer ending to give way to: it always
     * ends delivered, or failed as a build at once fails.
     */
    function emit(): void {
      scheduled = false;
      building = true;
      const startedAt = endings;
      const job = emitSteps();
      const slices = new TimeSlices();
      const drive = async (): Promise<void> => {
        for (;;) {
          if (job.next().done) return;
          if (!slices.due()) continue;
          await slices.yieldNow();
          if (endings !== startedAt) {
            job.return();
            return;
          }
        }
      };
      void drive()
        .catch((err: unknown) => logger.error({ err: (err as Error)?.name ?? typeof err }, 'summary update failed'))
        .finally(() => {
          building = false;
          // An ending that came during this build (or gave it up) makes the next one.
          if (endings !== startedAt) schedule();
        });
    }

    function* emitSteps(): Generator<void, void, void> {
      const done = left === 0;
      let stepwise = false;
      try {
        const parts = sources.map((source, i) => partOf(source, outcomes[i]));
        let records = 0;
        for (const part of parts) records += part.items.length;
        stepwise = records >= stepwiseFrom;
        // Built at once, the summary handed out before is let go while the next is built (no open can
        // join within this synchronous stretch): the service never holds the two together. Built
        // stepwise, an open may join between steps: it gets the summary handed out before, kept.
        if (!stepwise) run.latest = EMPTY_LATEST;
        const policy = policyFor(query);
        const summary = yield* buildSteps(query, parts, notice, !done, policy, stepwise);
        seq += 1;
        summary.progress = { openId: id, seq, final: done };
        if (done) {
          const answered: SourceSnapshot[] = outcomes.flatMap((o) =>
            o?.result
              ? [
                  {
                    sourceId: o.status.sourceId,
                    answeredAt: o.result.fetchedAt,
                    subjects: o.result.subjects,
                    items: o.result.items,
                    ...(o.result.skipped ? { skipped: o.result.skipped } : {}),
                  },
                ]
              : [],
          );
          // The stored summary is shared by every later open: it is built without this user's reveals or consents.
          const stored = policy.neutral ? summary : yield* buildSteps(query, parts, notice, false, neutralPolicy, stepwise);
          const failedWrite = cache.write(query, answered, stored, parts);
          if (failedWrite) summary.cache = failedWrite;
        }
        run.latest = summary;
        if (done) {
          // Nothing re-merges after the last ending: the sources' records go with this stretch, not the run.
          parts.length = 0;
          outcomes.fill(undefined);
          snapshots = [];
        }
        deliver(summary);
        if (done) resolveFinal(summary);
      } catch (err) {
        // Built at once, an open joining now gets every source waiting for its next ending: nothing shown
        // as known that is not. Built stepwise, the summary handed out before stays (it was delivered as it is).
        if (!stepwise || run.latest === EMPTY_LATEST) run.latest = waitingAnswer();
        if (done) rejectFinal(err);
        else logger.error({ err: (err as Error)?.name ?? typeof err }, 'summary update failed');
      }
    }

    /** The run's latest after a failed build: every source pending, no items, refreshing (undefined when even that fails). */
    function waitingAnswer(): SummaryAnswer {
      try {
        const waiting = build(
          query,
          sources.map((source) => ({ sourceId: source.id, status: pendingStatus(source), subjects: [], items: [] })),
          notice,
          true,
        );
        waiting.progress = { openId: id, seq, final: false };
        return waiting;
      } catch {
        return EMPTY_LATEST;
      }
    }

    /** Endings within one tick make one re-merge; endings during a build make the next one when it ends. */
    function schedule(): void {
      if (scheduled || building) return;
      scheduled = true;
      setImmediate(emit);
    }

    sources.forEach((source, i) => {
      void askSource(source, query, logger, deps.maxItemsPerSource).then((outcome) => {
        outcomes[i] = outcome;
        left -= 1;
        endings += 1;
        schedule();
      });
    });
    if (sources.length === 0) schedule();
    return run;
  }

  /** The refresh for this patient: the one already under way, or a new one. */
  function sharedRun(
    query: PatientQuery,
    first: (id: string) => SummaryAnswer,
    known: SourceSnapshot[] | undefined,
    notice: CacheNotice | undefined,
    cachedFirst: boolean,
  ): Run {
    const key = patientKey(query);
    const running = inFlight.get(key);
    if (running) return running;
    const run = startRun(query, first, known, notice, cachedFirst);
    inFlight.set(key, run);
    const tracked = run.final.then(
      () => undefined,
      (err: unknown) => logger.error({ err: (err as Error)?.name ?? typeof err }, 'background refresh failed'),
    );
    void tracked.finally(() => {
      if (inFlight.get(key) === run) inFlight.delete(key);
    });
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
    return run;
  }

  /** The first answer, numbered as seq 0 of the run. */
  function numbered(answer: SummaryAnswer, openId: string, final = false): SummaryAnswer {
    const progress = { openId, seq: 0, final };
    return isPreserialized(answer) ? preserialized({ ...answer.head, progress }, answer.sectionsJson) : { ...answer, progress };
  }

  async function openWithRefresh(query: PatientQuery): Promise<{ answer: SummaryAnswer; fresh?: Promise<Summary> }> {
    const running = inFlight.get(patientKey(query));
    // An open that overlaps a run under way joins it: the latest summary it handed out (after two failed
    // builds in a row there is none: it waits for the final one).
    if (running) return { answer: running.latest === EMPTY_LATEST ? await running.final : running.latest, fresh: running.final };
    const read = cache.read(query);
    let { merged, snapshots } = read;
    const { notice } = read;
    if (merged && !policyFor(query).neutral) {
      // This user sees more (or less) than the shared summary: rebuild from the snapshots.
      merged = undefined;
      snapshots = cache.snapshots(query).snapshots;
    }
    const cachedNotice = notice ?? { available: true };
    const now = clock.now();
    if (merged && isRecent(merged.sources, now)) {
      return { answer: numbered(fromMerged(merged, sources, cachedNotice, now.toISOString(), false), randomUUID(), true) };
    }
    let first: () => SummaryAnswer;
    let cachedFirst = true;
    if (merged) {
      first = () => fromMerged(merged, sources, cachedNotice, now.toISOString());
    } else if (snapshots && snapshots.length > 0) {
      first = () => {
        const parts = sources.map((source) =>
          fromSnapshot({ ...cachedStatus(source), deadlineMs: source.timeoutMs }, snapshots.find((s) => s.sourceId === source.id)),
        );
        return build(query, parts, cachedNotice, true);
      };
    } else {
      cachedFirst = false;
      first = () =>
        build(
          query,
          sources.map((source) => ({ sourceId: source.id, status: pendingStatus(source), subjects: [], items: [] })),
          notice,
          true,
        );
    }
    const run = sharedRun(query, (id) => numbered(first(), id), cachedFirst ? snapshots : [], notice, cachedFirst);
    return { answer: run.latest, fresh: run.final };
  }

  /** Every configured source answered within the freshness window. */
  function isRecent(answered: readonly { sourceId: string; answeredAt: string }[], now: Date): boolean {
    const window = deps.freshForMs ?? 0;
    if (window <= 0) return false;
    return sources.every((s) => {
      const at = answered.find((a) => a.sourceId === s.id)?.answeredAt;
      return at !== undefined && now.getTime() - Date.parse(at) <= window;
    });
  }

  return {
    openWithRefresh,
    async open(query) {
      const { answer, fresh } = await openWithRefresh(query);
      return fresh ? await fresh : materializeSummary(answer);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
