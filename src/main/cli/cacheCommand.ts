/**
 * `samsyn cache verify` and `samsyn cache purge`: for the engineer at a
 * workstation. Output is counts, times and source ids only, never patient data.
 * Neither command moves, creates or repairs a cache file: an unreadable one is
 * reported with its code and left exactly as it is.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/errors';
import { projectRoot } from '../platform/paths';
import { cacheError, openCacheDatabase, CIPHER } from '../cache/cacheDatabase';
import { createCacheStore, DEFAULT_RETENTION_HOURS, HOUR_MS, type CacheStats } from '../cache/cacheStore';
import { defaultDataDir } from '../cache/configuredCache';
import { CACHE_KEY_ENV, defaultKeyProvider, type KeyProvider } from '../cache/keyProvider';
import { CACHE_FILE, KEY_FILE } from '../cache/openCache';
import { deleteSetAside, listSetAside } from '../cache/setAside';
import { createPatientKeyer } from '../cache/patientKey';
import { createLogger } from '../platform/logger';
import type { CliIo } from './cliIo';
import { errorLine } from './errorWords';

export const CACHE_USAGE = `Usage:
  samsyn cache verify [--dir DIR] [--json]
      Opens the encrypted cache, runs SQLite's integrity check and prints counts
      (patients, snapshots, items, expired) - never patient data.
      Also counts caches moved aside (cache.db.CODE-TIME): patient data until purged.
      Exit 0: sound; 1: integrity check failed; 2: cannot be opened (wrong key, damaged,
      empty or not a cache, full disk, read-only, missing).
  samsyn cache purge [--dir DIR] [--retention-hours N] [--all]
      Removes snapshots older than the retention time (default 12 h), and caches moved
      aside longer ago than that; with --all, every snapshot and every set-aside cache.
  DIR defaults to SAMSYN_DATA_DIR or .samsyn/ in the project. The key comes from
  ${CACHE_KEY_ENV} (hex or base64) or DIR/${KEY_FILE}.
`;

export const CACHE_EXIT = { ok: 0, integrity: 1, unreadable: 2, usage: 64 } as const;

export interface CacheCliIo extends CliIo {
  /** Where SAMSYN_DATA_DIR and the cache key are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

function formatStats(path: string, provider: KeyProvider, integrity: string[], stats: CacheStats, setAsideFiles: number): string {
  const lines = [
    `cache: ${path}`,
    `cipher: ${CIPHER} (key from ${provider.kind})`,
    `schema version: ${stats.schemaVersion}`,
    `integrity: ${integrity.join('; ')}`,
    `patients: ${stats.patients}`,
    `snapshots: ${stats.snapshots}`,
    `items: ${stats.items}`,
    `expired (awaiting purge): ${stats.expired}`,
    `sources: ${stats.sources.map((s) => `${s.sourceId} ${s.snapshots}`).join(', ') || 'none'}`,
    `set-aside caches: ${setAsideFiles}`,
  ];
  if (stats.oldestAt) lines.push(`oldest snapshot: ${stats.oldestAt}`);
  if (stats.newestAt) lines.push(`newest snapshot: ${stats.newestAt}`);
  if (stats.lastPurge) lines.push(`last purge: ${stats.lastPurge.at} (${stats.lastPurge.reason}, removed ${stats.lastPurge.removed})`);
  return lines.join('\n') + '\n';
}

export async function runCacheCommand(args: string[], io: CacheCliIo): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        dir: { type: 'string' },
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        'retention-hours': { type: 'string' },
      },
    });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + CACHE_USAGE);
    return CACHE_EXIT.usage;
  }
  if (sub !== 'verify' && sub !== 'purge') {
    io.err(errorLine({ code: 'CLI_USAGE', params: { command: sub ? 'unknown' : 'missing' } }) + CACHE_USAGE);
    return CACHE_EXIT.usage;
  }
  const retentionText = parsed.values['retention-hours'];
  const retentionHours = retentionText === undefined ? DEFAULT_RETENTION_HOURS : Number(retentionText);
  if (!Number.isFinite(retentionHours) || retentionHours <= 0) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--retention-hours' } }) + CACHE_USAGE);
    return CACHE_EXIT.usage;
  }
  const env = io.env ?? process.env;
  const dir = parsed.values.dir ?? defaultDataDir(projectRoot(), env);
  const path = join(dir, CACHE_FILE);
  // The CLI never creates a key: a new key would only make the cache unreadable.
  const provider = defaultKeyProvider(join(dir, KEY_FILE), env, { create: false });
  const logger = createLogger('cli.cache');
  const setAsideCount = (): number => {
    try {
      return listSetAside(dir, CACHE_FILE).length;
    } catch {
      return 0;
    }
  };
  /** Set-aside caches older than the retention time (all with --all); purge only. */
  const purgeSetAside = (): number =>
    deleteSetAside(dir, CACHE_FILE, parsed.values.all ? undefined : new Date(io.now().getTime() - retentionHours * HOUR_MS));

  let store;
  try {
    const key = provider.getKey();
    const db = openCacheDatabase(path, { key, create: false, check: false });
    store = createCacheStore({ db, patientKey: createPatientKeyer(key), clock: { now: io.now }, logger, retentionHours });
  } catch (err) {
    const error = err instanceof CodedError ? err.toAppError() : cacheError(err, path).toAppError();
    io.err(errorLine(error));
    // What is moved aside is still patient data: said even when the cache itself cannot be opened.
    const aside = setAsideCount();
    if (aside > 0) io.err(`set-aside caches: ${aside}\n`);
    return CACHE_EXIT.unreadable;
  }
  try {
    if (sub === 'purge') {
      const removed = parsed.values.all ? store.clear() : store.purgeExpired('cli');
      const setAsideRemoved = purgeSetAside();
      io.out(
        parsed.values.json
          ? JSON.stringify({ removed, setAsideRemoved }) + '\n'
          : `removed ${removed} snapshot(s)\n${setAsideRemoved > 0 ? `removed ${setAsideRemoved} set-aside cache(s)\n` : ''}`,
      );
      return CACHE_EXIT.ok;
    }
    const integrity = store.integrityCheck();
    const stats = store.stats();
    const setAsideFiles = setAsideCount();
    io.out(
      parsed.values.json
        ? JSON.stringify({ path, cipher: CIPHER, keyProvider: provider.kind, integrity, ...stats, setAsideFiles }, null, 2) + '\n'
        : formatStats(path, provider, integrity, stats, setAsideFiles),
    );
    return integrity.length === 1 && integrity[0] === 'ok' ? CACHE_EXIT.ok : CACHE_EXIT.integrity;
  } catch (err) {
    // A full disk or read-only file says so; anything else failing inside an opened cache is damage.
    const coded = cacheError(err, path);
    const error =
      err instanceof CodedError || coded.code !== 'CACHE_UNAVAILABLE' ? coded.toAppError() : { code: 'CACHE_CORRUPT' as const };
    io.err(errorLine(error));
    return CACHE_EXIT.unreadable;
  } finally {
    store.close();
  }
}
