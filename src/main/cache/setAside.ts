/**
 * Caches moved aside (`cache.db.<CODE>-<time>[-n]` and their companions, see
 * moveAside in cacheDatabase.ts) still hold patient data encrypted under the
 * installation key, so they are patient data like the live cache (ADR 0010):
 * counted in `cache.status` and `samsyn cache verify`, deleted once the
 * retention period has passed since they were moved aside (everything in them
 * was written before that), and deleted at once by "Töm cache" and
 * `samsyn cache purge --all`.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The main file of a set-aside cache: `<cache file>.<CODE>-<yyyymmddThhmmssZ>[-n]`. */
function setAsidePattern(cacheFile: string): RegExp {
  const escaped = cacheFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}\\.([A-Z][A-Z_]*)-(\\d{8}T\\d{6}Z)(?:-\\d+)?$`);
}

const COMPANIONS = ['', '-wal', '-shm', '.keyid'] as const;

export interface SetAsideCache {
  /** The main file's name in the cache folder. */
  name: string;
  /** The error code it was moved aside for. */
  code: string;
  /** When it was moved aside (from its name; its modification time if the name's time does not read). */
  at: Date;
}

function stampTime(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return undefined;
  const time = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Every set-aside cache in dir, oldest first. A missing folder has none. */
export function listSetAside(dir: string, cacheFile: string): SetAsideCache[] {
  if (!existsSync(dir)) return [];
  const pattern = setAsidePattern(cacheFile);
  const found: SetAsideCache[] = [];
  const names = new Set(readdirSync(dir));
  for (const name of names) {
    // A companion whose main file is gone still counts, under the main file's name.
    const base = COMPANIONS.reduce((n, suffix) => (suffix && n.endsWith(suffix) && pattern.test(n.slice(0, -suffix.length)) ? n.slice(0, -suffix.length) : n), name);
    const m = pattern.exec(base);
    if (!m || (base !== name && names.has(base)) || found.some((f) => f.name === base)) continue;
    let at = stampTime(m[2] as string);
    if (!at) {
      try {
        at = statSync(join(dir, name)).mtime;
      } catch {
        continue;
      }
    }
    found.push({ name: base, code: m[1] as string, at });
  }
  return found.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * Deletes set-aside caches (with their companions) moved aside before
 * `before`, or all of them when `before` is undefined. Returns how many.
 * Throws the file system's error (read-only, permission) for the caller to code.
 */
export function deleteSetAside(dir: string, cacheFile: string, before: Date | undefined): number {
  let removed = 0;
  for (const entry of listSetAside(dir, cacheFile)) {
    if (before && entry.at.getTime() >= before.getTime()) continue;
    for (const suffix of COMPANIONS) rmSync(join(dir, entry.name + suffix), { force: true });
    removed++;
  }
  return removed;
}
