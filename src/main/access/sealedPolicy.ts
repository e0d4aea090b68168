/**
 * Sealed information per source country (issue 10 item 5), and items a source
 * gives only with the patient's consent (item 4). Applied in the main process
 * to each source's items before the merge: what is not visible never reaches
 * the merge, the bridge, the cache reader's answer or an export.
 *
 * - Sweden (spärr, patientdatalagen 4 kap. 4 §): hidden. The user is told that
 *   sealed information exists; which care units hold it only in an emergency
 *   with the patient's consent; it is opened only with the patient's consent.
 * - Norway (sperret / reservasjon, pasientjournalloven § 17): hidden, the user
 *   told it exists and by whom; opened with the patient's consent or in a
 *   declared emergency (nødrett).
 * - Finland (luovutuskielto, asiakastietolaki): hidden, and the user is not
 *   told anything is hidden: not counted, not listed, never revealable.
 *
 * Every reveal needs a reason and is recorded in the access log by the caller.
 */
import type { ErrorCode } from '../../shared/errors';
import type { ClinicalItem } from '../../shared/summary';

export const SEALED_LAWS = ['SE', 'NO', 'FI'] as const;
export type SealedLaw = (typeof SEALED_LAWS)[number];

/** A source's access rules (configuration: each source's `access`). */
export interface SourceAccessRules {
  /** Whose law governs its sealed information. */
  law: SealedLaw;
  /** It gives its items only when the patient's consent for this care unit is recorded (or in an emergency). */
  consentRequired: boolean;
}

export const DEFAULT_ACCESS_RULES: SourceAccessRules = { law: 'SE', consentRequired: false };

/** On what grounds sealed information is opened. */
export type RevealBasis = 'consent' | 'emergency';

/** What the user has stated for this patient in this session. */
export interface AccessContext {
  purpose: 'care' | 'emergency';
  /** The patient's consent is recorded for the user's care unit and still valid. */
  consent: boolean;
  /** Sources whose sealed items the user has opened, with the basis. */
  revealed: ReadonlyMap<string, RevealBasis>;
}

/** What the user may be told about sealed information (never about Finnish sources). */
export interface SealedNotice {
  /** Hidden sealed items the user may know of (Swedish and Norwegian sources). */
  hidden: number;
  /** Sources holding hidden sealed items, where the law lets the user know which. */
  holders: { sourceId: string; law: 'SE' | 'NO'; revealableWith: RevealBasis[] }[];
  /** Sources whose sealed items are shown, opened by the user. */
  revealed: string[];
  /** Sources that withheld every item because the patient's consent is not recorded. */
  consentNeeded: string[];
  /** The patient was opened as an emergency. */
  emergency?: boolean;
}

/** Why a reveal is refused, or undefined when the law allows it on this basis. */
export function revealRefusal(law: SealedLaw, basis: RevealBasis, ctx: Pick<AccessContext, 'consent'>): ErrorCode | undefined {
  switch (law) {
    case 'FI':
      return 'SEALED_NOT_REVEALABLE';
    case 'SE':
      // Only the patient's consent lifts a Swedish block; an emergency alone does not.
      return basis === 'consent' && ctx.consent ? undefined : 'ACCESS_CONSENT_REQUIRED';
    case 'NO':
      return basis === 'emergency' || ctx.consent ? undefined : 'ACCESS_CONSENT_REQUIRED';
  }
}

function revealableWith(law: 'SE' | 'NO'): RevealBasis[] {
  return law === 'SE' ? ['consent'] : ['consent', 'emergency'];
}

/**
 * The items the user may see, and what the user may be told about the rest.
 * Items from a source that needs consent are withheld without it (an emergency
 * opens them, as it does in every Nordic law for care that cannot wait).
 */
export function applyAccessPolicy(
  items: readonly ClinicalItem[],
  rulesOf: (sourceId: string) => SourceAccessRules,
  ctx: AccessContext,
): { visible: ClinicalItem[]; notice: SealedNotice } {
  const visible: ClinicalItem[] = [];
  const hiddenBySource = new Map<string, number>();
  const consentNeeded = new Set<string>();
  const revealed = new Set<string>();
  for (const item of items) {
    const sourceId = item.provenance.sourceId;
    const rules = rulesOf(sourceId);
    if (rules.consentRequired && !ctx.consent && ctx.purpose !== 'emergency') {
      consentNeeded.add(sourceId);
      continue;
    }
    if (!item.sealed) {
      visible.push(item);
      continue;
    }
    const basis = ctx.revealed.get(sourceId);
    if (basis && revealRefusal(rules.law, basis, ctx) === undefined) {
      visible.push(item);
      revealed.add(sourceId);
      continue;
    }
    if (rules.law !== 'FI') hiddenBySource.set(sourceId, (hiddenBySource.get(sourceId) ?? 0) + 1);
  }
  const holders: SealedNotice['holders'] = [];
  for (const sourceId of hiddenBySource.keys()) {
    const law = rulesOf(sourceId).law as 'SE' | 'NO';
    // Swedish: which care units hold sealed information only in an emergency with consent.
    if (law === 'SE' && !(ctx.purpose === 'emergency' && ctx.consent)) continue;
    holders.push({ sourceId, law, revealableWith: revealableWith(law) });
  }
  let hidden = 0;
  for (const n of hiddenBySource.values()) hidden += n;
  return {
    visible,
    notice: { hidden, holders, revealed: [...revealed], consentNeeded: [...consentNeeded], ...(ctx.purpose === 'emergency' ? { emergency: true } : {}) },
  };
}
