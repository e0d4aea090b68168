/**
 * Launch in patient context (issue 12 item 6): the journal system opens
 * Samsyn on a patient with a `samsyn://patient/<id>` link or a `--patient <id>`
 * argument. The id is validated exactly like a typed one (national id or
 * SYSTEM|VALUE token) — never guessed, never completed. A launch never changes
 * who is signed in or their role; when the app is locked or signed out it
 * waits (pendingLaunch) until someone signs in, and the patient opens then,
 * still through the purpose question and the access log.
 */
import { fail, ok, type Result } from '../../shared/errors';
import { parsePatientInput } from '../../shared/identity';

export const LAUNCH_SCHEME = 'samsyn:';
/** Long enough for any identifier token the summary accepts (api.ts allows 300). */
const MAX_ID_LENGTH = 300;

export interface LaunchRequest {
  /** The patient as the launcher gave it (validated: parsePatientInput accepts it). */
  patient: string;
}

function validated(raw: string, today: Date): Result<LaunchRequest> {
  const text = raw.trim();
  if (text.length === 0) return fail('ID_EMPTY');
  if (text.length > MAX_ID_LENGTH) return fail('ID_BAD_LENGTH', { length: text.length });
  const parsed = parsePatientInput(text, { today });
  return parsed.ok ? ok({ patient: text }) : { ok: false, error: parsed.error };
}

/** `samsyn://patient/<id>` (the id percent-encoded); anything else under the scheme is not a launch. */
export function parseLaunchUrl(url: string, today: Date): Result<LaunchRequest> | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== LAUNCH_SCHEME || parsed.hostname !== 'patient') return undefined;
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  if (segments.length !== 1 || parsed.search || parsed.hash) return fail('IDENTIFIER_TOKEN_INVALID');
  let id: string;
  try {
    id = decodeURIComponent(segments[0] as string);
  } catch {
    return fail('IDENTIFIER_TOKEN_INVALID');
  }
  return validated(id, today);
}

/**
 * The launch in a process's arguments: a `samsyn://patient/…` URL (how the OS
 * hands over a link on Windows and Linux) or `--patient ID` / `--patient=ID`.
 * The last one wins, as a second launch replaces the first.
 */
export function launchFromArgs(argv: readonly string[], today: Date): Result<LaunchRequest> | undefined {
  let found: Result<LaunchRequest> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith(`${LAUNCH_SCHEME}//`)) found = parseLaunchUrl(arg, today) ?? found;
    else if (arg === '--patient') found = validated(argv[i + 1] ?? '', today);
    else if (arg.startsWith('--patient=')) found = validated(arg.slice('--patient='.length), today);
  }
  return found;
}
