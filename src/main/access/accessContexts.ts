/**
 * What the signed-in user has stated about each patient they opened (issue 10
 * item 4): the care relationship and purpose (ordinary care, or an emergency
 * with its reason), the patient's consent — scoped to the user's care unit and
 * time-limited — and which sources' sealed information the user opened, on
 * what basis. Held in main-process memory only; a sign-out or a user switch
 * clears every purpose and reveal (consents stay with the care unit until
 * they expire). Every change is written to the access log by the caller.
 */
import type { ErrorCode } from '../../shared/errors';
import type { AccessPurpose } from '../../shared/session';
import type { Clock } from '../platform/clock';
import { revealRefusal, type AccessContext, type RevealBasis, type SealedLaw } from './sealedPolicy';

/** A stated reason is required, bounded, and never logged in the application log (only in the access log). */
export const MAX_REASON_LENGTH = 500;
export const MIN_REASON_LENGTH = 3;

export interface OpenStatement {
  purpose: AccessPurpose;
  /** Required for an emergency. */
  reason?: string;
  /** The patient consents to this care unit seeing their records from other providers. */
  consent?: boolean;
}

interface PatientState {
  purpose: AccessPurpose;
  reason?: string;
  revealed: Map<string, RevealBasis>;
}

export interface AccessContexts {
  /** Records the purpose (and consent) for a patient; a coded refusal when the statement is not enough. */
  state(careUnit: string, patientKey: string, statement: OpenStatement): ErrorCode | undefined;
  /** What is stated for the patient, or undefined when the user has not stated a purpose yet. */
  context(careUnit: string, patientKey: string): AccessContext | undefined;
  /** Opens a source's sealed items for the patient, when its law allows it on this basis. */
  reveal(careUnit: string, patientKey: string, sourceId: string, law: SealedLaw, basis: RevealBasis, reason: string): ErrorCode | undefined;
  /** Sign-out or user switch: forgets every purpose and reveal. */
  clear(): void;
}

export function reasonRefusal(reason: string | undefined): ErrorCode | undefined {
  const text = (reason ?? '').trim();
  return text.length < MIN_REASON_LENGTH || text.length > MAX_REASON_LENGTH ? 'ACCESS_REASON_REQUIRED' : undefined;
}

export function createAccessContexts(deps: { clock: Clock; consentHours: number }): AccessContexts {
  const patients = new Map<string, PatientState>();
  /** careUnit|patient → consent valid until (ms). */
  const consents = new Map<string, number>();
  const keyOf = (careUnit: string, patientKey: string) => `${careUnit}\u0000${patientKey}`;

  function hasConsent(key: string): boolean {
    const until = consents.get(key);
    if (until === undefined) return false;
    if (deps.clock.now().getTime() < until) return true;
    consents.delete(key);
    return false;
  }

  return {
    state(careUnit, patientKey, statement) {
      if (statement.purpose === 'emergency') {
        const refusal = reasonRefusal(statement.reason);
        if (refusal) return refusal;
      }
      const key = keyOf(careUnit, patientKey);
      const previous = patients.get(key);
      patients.set(key, {
        purpose: statement.purpose,
        ...(statement.reason ? { reason: statement.reason.trim() } : {}),
        revealed: previous?.revealed ?? new Map(),
      });
      if (statement.consent) consents.set(key, deps.clock.now().getTime() + deps.consentHours * 3_600_000);
      return undefined;
    },
    context(careUnit, patientKey) {
      const key = keyOf(careUnit, patientKey);
      const state = patients.get(key);
      if (!state) return undefined;
      return { purpose: state.purpose, consent: hasConsent(key), revealed: state.revealed };
    },
    reveal(careUnit, patientKey, sourceId, law, basis, reason) {
      const refusal = reasonRefusal(reason);
      if (refusal) return refusal;
      const key = keyOf(careUnit, patientKey);
      const state = patients.get(key);
      if (!state) return 'ACCESS_PURPOSE_REQUIRED';
      if (basis === 'emergency' && state.purpose !== 'emergency') return 'ACCESS_PURPOSE_REQUIRED';
      const lawRefusal = revealRefusal(law, basis, { consent: hasConsent(key) });
      if (lawRefusal) return lawRefusal;
      state.revealed.set(sourceId, basis);
      return undefined;
    },
    clear() {
      patients.clear();
    },
  };
}
