/**
 * Composition root: configuration → source adapters (through the source
 * registry) → services → handlers. Plain factories wired once; no container,
 * no globals.
 */
import { CodedError, fail, ok, type ErrorCode } from '../../shared/errors';
import { parsePatientInput } from '../../shared/identity';
import type { SignedInUser } from '../../shared/session';
import type { Summary } from '../../shared/summary';
import type { AccessLog } from '../audit';
import { createIdentityProvider, idleLockSeconds } from '../auth/identitySettings';
import { createSessionManager, type SessionManager, type Timers } from '../auth/sessionManager';
import { createEventHub, type EventHub } from '../bridge/eventHub';
import { createUnchangedTracker } from '../bridge/unchangedSections';
import { createPartStore, splitAnswer } from '../bridge/summaryParts';
import type { AnswerHandlers } from '../bridge/dispatch';
import { cacheStatus, clearCache } from '../cache/cacheHandlers';
import type { CachedDocument } from '../cache/cacheStore';
import type { CacheHandle } from '../cache/openCache';
import { systemClock, type Clock } from '../platform/clock';
import { createLogger, type Logger } from '../platform/logger';
import { BUILTIN_SOURCES, type SourceDeps, type SourceRegistry } from '../sources/registry';
import type { SourceAdapter } from '../sources/types';
import type { DrugCodeMap } from '../summary/drugCodes';
import { createSummaryService, type SummaryService } from '../summary/summaryService';
import { materializeSummary } from '../summary/summaryAnswer';
import { toIpsBundle } from '../summary/ipsExport';
import { pointsAtSandbox, type SamsynConfig, type SourceConfig } from './config';
import type { LaunchRequest } from './launchContext';
import { createPatientAccess } from './patientAccess';

export interface Services {
  summary: SummaryService;
  sources: SourceAdapter[];
  /** One handler per command; a summary may travel as a pre-serialized envelope (see bridge/dispatch). */
  handlers: AnswerHandlers;
  /**
   * Launch in patient context: opens the patient in the signed-in session, or
   * waits for a sign-in or unlock (issue 12 item 6).
   */
  launch(request: LaunchRequest): void;
  /** Pushed events for the transports (Electron IPC, the preview's event stream). */
  events: EventHub;
  /** Who is signed in; patient commands need an unlocked session (issue 10). */
  session: SessionManager;
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

/** A source that did not answer: a document kept in the cache is given instead. */
const SOURCE_DOWN = new Set<ErrorCode>(['SOURCE_UNREACHABLE', 'SOURCE_TIMEOUT', 'SOURCE_HTTP_ERROR', 'SOURCE_TLS_FAILED', 'SOURCE_BAD_RESPONSE']);

/** A document's content for the bridge: text as text, PDF as base64; `cachedAt` when it comes from the cache. */
function documentAnswer(doc: { contentType: 'text/plain' | 'text/html' | 'application/pdf'; title?: string; bytes: Uint8Array }, cachedAt?: string) {
  const body = doc.contentType === 'application/pdf' ? { base64: Buffer.from(doc.bytes).toString('base64') } : { text: new TextDecoder('utf-8').decode(doc.bytes) };
  return { contentType: doc.contentType, ...(doc.title ? { title: doc.title } : {}), ...body, ...(cachedAt ? { cachedAt } : {}) };
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
  /** Defaults to a session over the configured identity provider (the built-in local directory without one). */
  session?: SessionManager;
  /** The idle lock's timers (tests). */
  timers?: Timers;
  /**
   * The access log (runtime.accessLog). Absent only where no log is kept
   * (tests of other parts); present without `log` when it could not be
   * opened, and then every patient access is refused (AUDIT_UNAVAILABLE).
   */
  accessLog?: { log?: AccessLog | undefined };
  /** National drug codes → ATC (config `terminology.drugCodeMaps`, loaded by the runtime). */
  drugCodes?: DrugCodeMap;
}): Services {
  const sources =
    deps.sources ?? createSourceAdapters(deps.config, { clock: deps.clock, logger: deps.logger }, deps.registry);
  const events = createEventHub();
  const session =
    deps.session ??
    createSessionManager({
      provider: createIdentityProvider(deps.config.identity, { clock: deps.clock, logger: deps.logger }),
      clock: deps.clock,
      logger: deps.logger,
      idleLockSeconds: idleLockSeconds(deps.config.session),
      ...(deps.timers ? { timers: deps.timers } : {}),
    });
  // The session generation each patient was last opened in: a summary opened by an earlier
  // user (or before a lock) is never pushed, nor anything while nobody is signed in and unlocked.
  const openedIn = new Map<string, number>();
  const patientKey = (id: { system?: string; value: string }) => `${id.system ?? ''}|${id.value}`;
  const access = createPatientAccess({
    config: deps.config,
    clock: deps.clock,
    logger: deps.logger,
    currentUser: () => {
      const active = session.active();
      return active.ok ? active.user : undefined;
    },
    ...(deps.accessLog ? { accessLog: deps.accessLog } : {}),
  });
  let lastUser: SignedInUser | undefined;
  /** A launch in patient context that waits for someone to sign in (or unlock). */
  let pendingLaunch: string | undefined;
  const deliverLaunch = () => {
    if (pendingLaunch === undefined || !session.active().ok) return;
    events.emit('launch.patient', { patient: pendingLaunch });
    pendingLaunch = undefined;
  };
  session.onChange((view) => {
    // A sign-out or a switch of user is logged, and every purpose and reveal is forgotten.
    if (lastUser && lastUser.userId !== view.user?.userId) {
      access.session(lastUser, 'session.signOut');
      access.clear();
    }
    if (view.user && view.user.userId !== lastUser?.userId) access.session(view.user, 'session.signIn');
    lastUser = view.user;
    events.emit('session.changed', { session: view });
    deliverLaunch();
  });
  /**
   * The one way out for every pushed summary (each source's update, the final
   * one): only to the session that opened the patient, and as its role may
   * receive it (the role filter runs here, in main, before the bridge).
   */
  const deliver = (update: Summary): void => {
    const now = session.active();
    if (!now.ok) return;
    const openedAt = openedIn.get(patientKey(update.patient.identifier));
    if (openedAt !== undefined && openedAt !== now.generation) return;
    const view = access.view(update, now.user);
    // Sections the renderer already holds for this open, viewer and patient travel as the head only (issue 13).
    const viewer = { generation: now.generation, userId: now.user.userId, patientKey: patientKey(update.patient.identifier) };
    if (view) events.emit('summary.updated', unchanged.payload(viewer, view));
  };
  const unchanged = createUnchangedTracker();
  session.onChange(() => unchanged.clear());
  // Part 2 of answers given in two parts (ADR 0032): kept per viewer, once, forgotten on any session change.
  const parts = createPartStore(() => deps.clock.now().getTime());
  session.onChange(() => parts.clear());
  const viewerKey = (generation: number, userId: string, id: { system?: string; value: string }) => `${generation}|${userId}|${patientKey(id)}`;
  const summary = createSummaryService({
    sources,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'summary' }),
    ...(deps.cache ? { cache: deps.cache } : {}),
    ...(deps.drugCodes ? { drugCodes: deps.drugCodes } : {}),
    ...(deps.config.summary
      ? {
          merge: { recentlyStoppedDays: deps.config.summary.recentlyStoppedDays },
          freshForMs: deps.config.summary.freshForSeconds * 1000,
          maxItemsPerSource: deps.config.summary.maxItemsPerSource,
        }
      : {}),
    onUpdate: deliver,
    policy: (query) => access.policy(query),
    neutralPolicy: access.neutralPolicy,
  });
  /** Every patient command starts here: a signed-in, unlocked user, and the patient's id as valid as typed. */
  function patientRequest(patient: string) {
    const signedIn = session.active();
    if (!signedIn.ok) return fail(signedIn.code);
    const parsed = parsePatientInput(patient, { today: deps.clock.now() });
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.params);
    return ok({ signedIn, parsed });
  }
  const handlers: AnswerHandlers = {
    'app.info': async () =>
      ok({
        version: deps.version,
        transport: deps.transport,
        sources: sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      }),
    'summary.open': async ({ patient, purpose, reason, consent, parts: inParts }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      const statement = purpose ? { purpose, ...(reason ? { reason } : {}), ...(consent ? { consent } : {}) } : undefined;
      const refusal = access.open(signedIn.user, parsed.value, statement);
      if (refusal) return fail(refusal);
      openedIn.set(patientKey(parsed.value.identifier), signedIn.generation);
      const { answer } = await summary.openWithRefresh(parsed.value);
      // Signed out, switched or locked while the sources answered: the answer is dropped here.
      if (session.generation() !== signedIn.generation) return fail('SESSION_CHANGED');
      const view = access.viewAnswer(answer, signedIn.user);
      if (view) unchanged.answered({ generation: signedIn.generation, userId: signedIn.user.userId, patientKey: patientKey(parsed.value.identifier) }, view);
      if (!view) return fail('ROLE_UNKNOWN');
      // A large summary in two parts when the renderer takes them: part 2 waits here for summary.rest.
      const split = inParts ? splitAnswer(view) : undefined;
      if (!split) return ok(view);
      parts.put(viewerKey(signedIn.generation, signedIn.user.userId, parsed.value.identifier), split.id, split.rest);
      return ok(split.part1);
    },
    'summary.reveal': async ({ patient, sourceId, basis, reason }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      const refusal = access.reveal(signedIn.user, parsed.value, sourceId, basis, reason);
      if (refusal) return fail(refusal);
      // What each tab holds differs from here on: the next update is sent whole.
      unchanged.clear();
      openedIn.set(patientKey(parsed.value.identifier), signedIn.generation);
      const { answer } = await summary.openWithRefresh(parsed.value);
      if (session.generation() !== signedIn.generation) return fail('SESSION_CHANGED');
      const view = access.viewAnswer(answer, signedIn.user);
      return view ? ok(view) : fail('ROLE_UNKNOWN');
    },
    'summary.rest': async ({ patient, id }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      // Only to the session generation, user and patient it was answered to, once.
      const rest = parts.take(viewerKey(signedIn.generation, signedIn.user.userId, parsed.value.identifier), id);
      return rest ? ok(rest) : fail('SUMMARY_PART_MISSING');
    },
    'summary.print': async ({ patient, output }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      // A saved PDF leaves the app: logged as an export.
      const refused =
        access.requirePurpose(signedIn.user, parsed.value, 'print') ??
        (output === 'pdf' ? access.record(signedIn.user, parsed.value, 'export', 'pdf') : access.record(signedIn.user, parsed.value, 'print', 'summary'));
      return refused ? fail(refused) : ok({});
    },
    'summary.export': async ({ patient }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      // Only a patient opened in this session (its purpose stated), and as the role received it.
      const refused = access.requirePurpose(signedIn.user, parsed.value, 'export') ?? access.record(signedIn.user, parsed.value, 'export', 'ips');
      if (refused) return fail(refused);
      const { answer, fresh } = await summary.openWithRefresh(parsed.value);
      const whole = fresh ? await fresh : materializeSummary(answer);
      if (session.generation() !== signedIn.generation) return fail('SESSION_CHANGED');
      const view = access.view(whole, signedIn.user);
      if (!view) return fail('ROLE_UNKNOWN');
      const content = JSON.stringify(toIpsBundle(view, { exportedBy: `${signedIn.user.displayName}, ${signedIn.user.careUnit.name}` }), null, 2);
      return ok({ fileName: `ips-${view.generatedAt.slice(0, 10)}.json`, mediaType: 'application/fhir+json', content });
    },
    'document.open': async ({ patient, sourceId, recordId }) => {
      const asked = patientRequest(patient);
      if (!asked.ok) return asked;
      const { signedIn, parsed } = asked.value;
      const source = sources.find((s) => s.id === sourceId);
      if (!source?.openDocument) return fail('DOCUMENT_NOT_FOUND');
      // Only a document the user's own view of the patient lists: opened in this session (purpose stated),
      // within the role's sections, not sealed unless revealed. A record id from anywhere else is not fetched.
      const unstated = access.requirePurpose(signedIn.user, parsed.value, 'document');
      if (unstated) return fail(unstated);
      const holds = (s: Summary) => s.sections.documents.some((i) => i.sources.some((p) => p.sourceId === sourceId && p.recordId === recordId));
      const { answer, fresh } = await summary.openWithRefresh(parsed.value);
      let whole = materializeSummary(answer);
      if (!holds(whole) && fresh) whole = await fresh;
      const view = access.view(whole, signedIn.user);
      if (!view || !holds(view)) {
        // The source that would hold it did not answer: say so, rather than "not found".
        const status = whole.sources.find((s) => s.sourceId === sourceId);
        if (status && !whole.fromCache && (status.state === 'failed' || status.state === 'timeout')) return fail(status.error ?? 'SOURCE_UNREACHABLE');
        return fail('DOCUMENT_NOT_FOUND');
      }
      const unlogged = access.record(signedIn.user, parsed.value, 'document.view', sourceId);
      if (unlogged) return fail(unlogged);
      try {
        const doc = await source.openDocument(parsed.value, recordId, AbortSignal.timeout(source.timeoutMs));
        try {
          deps.cache?.store?.writeDocument(parsed.value.identifier, sourceId, recordId, { ...doc, storedAt: deps.clock.now().toISOString() });
        } catch (err) {
          deps.logger.warn({ code: err instanceof CodedError ? err.code : 'CACHE_UNAVAILABLE' }, 'document not kept in the cache');
        }
        return ok(documentAnswer(doc));
      } catch (err) {
        // The source did not answer: the copy kept when the document was last opened, with its age.
        if (err instanceof CodedError && SOURCE_DOWN.has(err.code)) {
          let kept: CachedDocument | undefined;
          try {
            kept = deps.cache?.store?.readDocument(parsed.value.identifier, sourceId, recordId);
          } catch {
            kept = undefined;
          }
          if (kept) return ok(documentAnswer(kept, kept.storedAt));
        }
        return err instanceof CodedError ? fail(err.code, err.params) : fail('INTERNAL');
      }
    },
    'cache.status': async () => cacheStatus(deps.cache),
    'cache.clear': async () => clearCache(deps.cache),
    'session.get': async () => ok(session.view()),
    'session.signIn': async (request) => {
      const { authorizationUrl } = await session.signIn(request);
      return ok({ session: session.view(), ...(authorizationUrl ? { authorizationUrl } : {}) });
    },
    'session.signOut': async () => {
      session.signOut();
      return ok(session.view());
    },
    'session.lock': async () => {
      session.lock();
      return ok(session.view());
    },
    'session.activity': async () => {
      session.touch();
      return ok({});
    },
  };
  return {
    summary,
    sources,
    handlers,
    events,
    session,
    launch(request) {
      // The id was validated like a typed one (launchContext.ts); the session and role stay as they are.
      pendingLaunch = request.patient;
      deliverLaunch();
    },
  };
}
