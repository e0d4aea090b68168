/**
 * How old a piece of information is, in the units a clinician reads at a
 * glance ("3 h 12 min"). Whole minutes, rounded down, so the figure is exact
 * to the minute shown.
 */
export type AgeParts =
  | { unit: 'lessThanMinute' }
  | { unit: 'minutes'; m: number }
  | { unit: 'hours'; h: number; m: number }
  | { unit: 'days'; d: number; h: number };

const MINUTE = 60_000;

export function ageParts(fromIso: string, now: Date): AgeParts | undefined {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return undefined;
  // A clock a little ahead at the source must not produce a negative age.
  const minutes = Math.floor(Math.max(0, now.getTime() - from) / MINUTE);
  if (minutes < 1) return { unit: 'lessThanMinute' };
  if (minutes < 60) return { unit: 'minutes', m: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'hours', h: hours, m: minutes % 60 };
  return { unit: 'days', d: Math.floor(hours / 24), h: hours % 24 };
}

/** The oldest of the given instants (ISO 8601), or undefined. */
export function oldest(isos: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const iso of isos) {
    if (iso && (best === undefined || Date.parse(iso) < Date.parse(best))) best = iso;
  }
  return best;
}

/** Whole years from a birth date (YYYY-MM-DD or a full ISO instant) to `now`, or undefined. */
export function yearsOld(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let years = now.getFullYear() - y;
  if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) years -= 1;
  return years >= 0 ? years : undefined;
}
