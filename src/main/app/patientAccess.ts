/**
 * Who may see what of a patient, composed for the handlers (issue 10 items
 * 3–6): the signed-in user's role view, the purpose they stated for the
 * patient (care or an emergency with a reason), the patient's consent,
 * sealed information per source country and its reveals — and one
 * access-log record for every open, reveal, consent, export and refusal.
 * A record that cannot be written refuses the access (AUDIT_*).
 */
import { CodedError, type ErrorCode } from '../../shared/errors';
import type { SignedInUser } from '../../shared/session';
import type { Summary } from '../../shared/summary';
import { createAccessContexts, type OpenStatement } from '../access/accessContexts';
import { filterForRole, isWholeView } from '../access/roleFilter';
import { roleProfiles } from '../access/roleProfiles';
import { applyAccessPolicy, DEFAULT_ACCESS_RULES, type AccessContext, type RevealBasis, type SourceAccessRules } from '../access/sealedPolicy';
import type { AccessAction, AccessLog } from '../audit';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { PatientQuery } from '../sources/types';
import { isPreserialized, materializeSummary, preserialized, type SummaryAnswer } from '../summary/summaryAnswer';
import type { ItemPolicy } from '../summary/summaryService';
import type { SamsynConfig } from './config';

export interface PatientAccess {
  /** The signed-in user's item policy for a patient (the summary service asks at every build). */
  policy(query: PatientQuery): ItemPolicy;
  /** What the shared stored summary shows: no reveal, no consent-only source. */
  readonly neutralPolicy: ItemPolicy;
  /** The summary as the user's role may receive it; undefined when the role has no profile. */
  view(summary: Summary, user: SignedInUser): Summary | undefined;
  /** The same for an answer that may be pre-serialized: a whole view keeps the envelope (no parse, no copy). */
  viewAnswer(answer: SummaryAnswer, user: SignedInUser): SummaryAnswer | undefined;
  /** An open of the patient: the purpose stated now or earlier in the session, logged. A refusal is logged too. */
  open(user: SignedInUser, query: PatientQuery, statement?: OpenStatement): ErrorCode | undefined;
  /** The purpose is stated for this patient in this session (an export, a document view): a refusal is logged. */
  requirePurpose(user: SignedInUser, query: PatientQuery, what: string): ErrorCode | undefined;
  /** Opens a source's sealed items for the patient, when its law allows it; logged either way. */
  reveal(user: SignedInUser, query: PatientQuery, sourceId: string, basis: RevealBasis, reason: string): ErrorCode | undefined;
  /** One record for an export, a print or a document view; refused when it cannot be written. */
  record(user: SignedInUser, query: PatientQuery | undefined, action: AccessAction, what?: string): ErrorCode | undefined;
  /** Sign-in and sign-out, for the log. */
  session(user: SignedInUser, action: 'session.signIn' | 'session.signOut'): void;
  /** A sign-out or user switch: every purpose and reveal is forgotten. */
  clear(): void;
}

const NEUTRAL: AccessContext = { purpose: 'care', consent: false, revealed: new Map() };

/** The code an access log write failure is said with: its cause when that is a full disk or a read-only folder. */
function writeFailureCode(err: CodedError): ErrorCode {
  if (err.code !== 'AUDIT_WRITE_FAILED') return err.code;
  if (err.params?.reason === 'diskFull') return 'AUDIT_DISK_FULL';
  if (err.params?.reason === 'readOnly') return 'AUDIT_READ_ONLY';
  return err.code;
}

export function createPatientAccess(deps: {
  config: SamsynConfig;
  clock: Clock;
  logger: Logger;
  /** The signed-in user now (the summary service asks while no request is on the stack). */
  currentUser: () => SignedInUser | undefined;
  /**
   * The access log. `undefined`: none was configured (tests of other parts);
   * `{ log: undefined }`: it could not be opened, and every access is refused.
   */
  accessLog?: { log?: AccessLog | undefined };
}): PatientAccess {
  const profiles = roleProfiles(deps.config.roles);
  const contexts = createAccessContexts({ clock: deps.clock, consentHours: deps.config.access?.consentHours ?? 24 });
  const rules = new Map<string, SourceAccessRules>(deps.config.sources.map((s) => [s.id, s.access ?? DEFAULT_ACCESS_RULES]));
  const rulesOf = (sourceId: string) => rules.get(sourceId) ?? DEFAULT_ACCESS_RULES;
  const consentSources = [...rules.values()].some((r) => r.consentRequired);
  const keyOf = (query: PatientQuery) => `${query.identifier.system ?? ''}|${query.identifier.value}`;
  const log = deps.logger.child({ component: 'access' });

  function itemPolicy(ctx: AccessContext): ItemPolicy {
    return {
      neutral: ctx.revealed.size === 0 && !(consentSources && (ctx.consent || ctx.purpose === 'emergency')),
      apply(items) {
        const { visible, notice } = applyAccessPolicy(items, rulesOf, ctx);
        return { visible, hidden: notice.hidden, notice };
      },
    };
  }

  function append(
    user: SignedInUser,
    action: AccessAction,
    fields: { query?: PatientQuery; purpose?: 'care' | 'emergency'; reason?: string; what?: string; refused?: ErrorCode },
  ): ErrorCode | undefined {
    if (!deps.accessLog) return undefined;
    if (!deps.accessLog.log) return 'AUDIT_UNAVAILABLE';
    const entry = {
      user: { userId: user.userId, displayName: user.displayName, role: user.role, careUnit: user.careUnit, organisation: user.organisation },
      ...(fields.query ? { patient: { ...(fields.query.identifier.system ? { system: fields.query.identifier.system } : {}), value: fields.query.identifier.value } } : {}),
      ...(fields.purpose ? { purpose: fields.purpose } : {}),
      ...(fields.reason ? { reason: fields.reason.trim().slice(0, 500) } : {}),
      action,
      ...(fields.what ? { what: fields.what.slice(0, 200) } : {}),
      outcome: fields.refused ? { result: 'refused' as const, code: fields.refused } : { result: 'granted' as const },
    };
    try {
      deps.accessLog.log.append(entry);
      return undefined;
    } catch (err) {
      // A full disk and a read-only folder are said as such (issue 14 item 4); the access is refused either way.
      const code: ErrorCode = err instanceof CodedError ? writeFailureCode(err) : 'AUDIT_WRITE_FAILED';
      log.error({ code, action }, 'access log write failed');
      return code;
    }
  }

  function refuse(user: SignedInUser, query: PatientQuery | undefined, code: ErrorCode, what: string): ErrorCode {
    return append(user, 'access.refused', { ...(query ? { query } : {}), what, refused: code }) ?? code;
  }

  return {
    policy(query) {
      const user = deps.currentUser();
      if (!user) return itemPolicy(NEUTRAL);
      return itemPolicy(contexts.context(user.careUnit.id, keyOf(query)) ?? NEUTRAL);
    },
    neutralPolicy: itemPolicy(NEUTRAL),
    view(summary, user) {
      const profile = profiles.get(user.role);
      return profile ? filterForRole(summary, profile) : undefined;
    },
    viewAnswer(answer, user) {
      const profile = profiles.get(user.role);
      if (!profile) return undefined;
      if (!isPreserialized(answer)) return filterForRole(answer, profile);
      if (isWholeView(profile)) return preserialized({ ...answer.head, view: { role: profile.id, sections: [...profile.sections], filtered: [] } }, answer.sectionsJson);
      return filterForRole(materializeSummary(answer), profile);
    },
    open(user, query, statement) {
      if (!profiles.has(user.role)) return refuse(user, query, 'ROLE_UNKNOWN', 'open');
      const unit = user.careUnit.id;
      if (statement) {
        const refusal = contexts.state(unit, keyOf(query), statement);
        if (refusal) return refuse(user, query, refusal, statement.purpose === 'emergency' ? 'emergency' : 'open');
        if (statement.consent) {
          const failed = append(user, 'consent.record', { query, purpose: statement.purpose, what: `consent ${deps.config.access?.consentHours ?? 24} h` });
          if (failed) return failed;
        }
      }
      const ctx = contexts.context(unit, keyOf(query));
      if (!ctx) return refuse(user, query, 'ACCESS_PURPOSE_REQUIRED', 'open');
      const emergency = ctx.purpose === 'emergency';
      // Which sections the open showed: the role's view (what a citizen's extract says was seen).
      const sections = profiles.get(user.role)?.sections.join(',') ?? '';
      return append(user, emergency ? 'emergency.open' : 'patient.open', {
        query,
        purpose: ctx.purpose,
        what: `sections ${sections}`.slice(0, 200),
        ...(emergency && statement?.reason ? { reason: statement.reason } : {}),
      });
    },
    requirePurpose(user, query, what) {
      if (!profiles.has(user.role)) return refuse(user, query, 'ROLE_UNKNOWN', what);
      return contexts.context(user.careUnit.id, keyOf(query)) ? undefined : refuse(user, query, 'ACCESS_PURPOSE_REQUIRED', what);
    },
    reveal(user, query, sourceId, basis, reason) {
      if (!rules.has(sourceId)) return refuse(user, query, 'SEALED_NOT_REVEALABLE', 'reveal');
      const refusal = contexts.reveal(user.careUnit.id, keyOf(query), sourceId, rulesOf(sourceId).law, basis, reason);
      if (refusal) return refuse(user, query, refusal, `reveal ${sourceId}`);
      return append(user, 'item.reveal', { query, purpose: basis === 'emergency' ? 'emergency' : 'care', reason, what: `sealed from ${sourceId} (${basis})` });
    },
    record(user, query, action, what) {
      return append(user, action, { ...(query ? { query } : {}), ...(what ? { what } : {}) });
    },
    session(user, action) {
      append(user, action, {});
    },
    clear() {
      contexts.clear();
    },
  };
}
