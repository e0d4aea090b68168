/**
 * The extract a citizen may ask for (issue 10, item 6): who looked at my
 * records, when, from which unit, why and with what outcome. As JSON (for
 * systems) and as readable text (for a letter). The chain's state is part of
 * the extract: an extract from a broken log says so.
 */
import type { AccessAction, AccessRecord } from './accessEntry';
import type { VerifyReport } from './accessLog';

export interface CitizenAccess {
  at: string;
  who: { name: string; role: string; unit: { id: string; name: string }; organisation: { id: string; name: string } };
  action: AccessAction;
  what?: string;
  purpose?: string;
  reason?: string;
  outcome: string;
  error?: string;
}

export interface CitizenExtract {
  patient: { system?: string; value: string };
  generatedAt: string;
  chain: { intact: true; records: number } | { intact: false; brokenAt: number; kind: string };
  accesses: CitizenAccess[];
}

export function citizenExtract(
  patient: { system?: string | undefined; value: string },
  records: AccessRecord[],
  report: VerifyReport,
  now: Date,
): CitizenExtract {
  return {
    patient: patient.system ? { system: patient.system, value: patient.value } : { value: patient.value },
    generatedAt: now.toISOString(),
    chain: report.intact ? { intact: true, records: report.records } : { intact: false, brokenAt: report.seq, kind: report.kind },
    accesses: records.map((r) => ({
      at: r.at,
      who: { name: r.user.displayName, role: r.user.role, unit: r.user.careUnit, organisation: r.user.organisation },
      action: r.action,
      ...(r.what ? { what: r.what } : {}),
      ...(r.purpose ? { purpose: r.purpose } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      outcome: r.outcome.result,
      ...(r.outcome.code ? { error: r.outcome.code } : {}),
    })),
  };
}

const ACTION_WORDS: Record<AccessAction, string> = {
  'patient.open': 'opened the summary',
  'section.view': 'viewed a section',
  'item.reveal': 'revealed a protected entry',
  'consent.record': 'recorded consent',
  'emergency.open': 'opened the summary in an emergency',
  export: 'exported the summary',
  print: 'printed the summary',
  'document.view': 'viewed a document',
  'session.signIn': 'signed in',
  'session.signOut': 'signed out',
  'access.refused': 'was refused access',
};

const PURPOSE_WORDS: Record<string, string> = { care: 'for care', emergency: 'emergency access' };

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

export function citizenExtractText(extract: CitizenExtract): string {
  const { patient, chain, accesses } = extract;
  const lines = [
    `Access log extract for ${patient.system ? `${patient.system}|` : ''}${patient.value}`,
    `Made ${when(extract.generatedAt)}; ${accesses.length} access${accesses.length === 1 ? '' : 'es'}.`,
    chain.intact
      ? `The log is intact (all ${chain.records} records verified).`
      : `WARNING: the log has been altered (first broken record ${chain.brokenAt}: ${chain.kind}); this extract may be incomplete.`,
    '',
  ];
  for (const a of accesses) {
    const detail = [a.what, a.purpose ? PURPOSE_WORDS[a.purpose] ?? a.purpose : undefined].filter(Boolean).join(', ');
    lines.push(`${when(a.at)}  ${ACTION_WORDS[a.action]}${detail ? ` (${detail})` : ''}: ${a.outcome}${a.error ? ` (${a.error})` : ''}`);
    lines.push(`  by ${a.who.name}, ${a.who.role}, ${a.who.unit.name}, ${a.who.organisation.name}`);
    if (a.reason) lines.push(`  reason given: ${a.reason}`);
  }
  if (accesses.length === 0) lines.push('No access to these records is logged.');
  return lines.join('\n') + '\n';
}
