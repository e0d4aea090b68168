/**
 * `samsyn check-sources [FILE] [--patient ID] [--json]`: before go-live, each
 * configured source is reached without asking about anyone — a FHIR server's
 * CapabilityStatement (R4, Patient search by identifier), an MLLP peer's TCP
 * port, a drop folder's access — each within its own deadline, all at once.
 * With `--patient` (an official test patient) each source is also asked for
 * that patient through the app's own path (identity guard included): found or
 * not, and which sections it holds items in. One table (or JSON); exit 0 only
 * when every enabled source passed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePatientInput } from '../../shared/identity';
import { SECTION_KEYS } from '../../shared/sections';
import { ConfigError, loadConfigFile, resolveConfigPath, type SourceConfig } from '../app/config';
import { createSourceAdapters } from '../app/createServices';
import { defaultDataDir } from '../cache/configuredCache';
import { systemClock } from '../platform/clock';
import { createLogger } from '../platform/logger';
import { defaultConfigPath, projectRoot } from '../platform/paths';
import { BUILTIN_SOURCES } from '../sources/registry';
import type { PatientQuery, SourceAdapter } from '../sources/types';
import { askSource } from '../summary/askSource';
import type { CliIo } from './cliIo';
import { errorLine, errorWords, toCliError, type CliCode, type CliError } from './errorWords';
import { EXIT } from './exitCodes';

export interface SourceCheckRow {
  id: string;
  kind: string;
  endpoint: string;
  tls: boolean;
  ok: boolean;
  ms?: number;
  details?: Record<string, string | number | boolean>;
  error?: CliError;
  /** With --patient: whether the source knows the patient, and the sections it has items in. */
  patient?: { found: boolean; sections: string[]; items: number };
  /**
   * With --patient, what the source said about itself on that ask (a drop
   * folder: files quarantined or skipped, by code and count; files waiting to
   * be complete) — shown here as in the source status, never only in a log.
   */
  notes?: { code: CliCode; count: number }[];
  waiting?: number;
}

function endpointOf(settings: SourceConfig | undefined): string {
  if (!settings) return '';
  const kind = BUILTIN_SOURCES.get(settings.kind);
  try {
    return kind ? kind.endpoint(settings) : '';
  } catch {
    return '';
  }
}

async function checkOne(adapter: SourceAdapter, settings: SourceConfig | undefined, query: PatientQuery | undefined): Promise<SourceCheckRow> {
  const endpoint = endpointOf(settings);
  const row: SourceCheckRow = {
    id: adapter.id,
    kind: adapter.kind,
    endpoint,
    tls: /^https:/i.test(endpoint) || settings?.tls !== undefined,
    ok: false,
  };
  const started = performance.now();
  try {
    if (!adapter.check) {
      // A source that cannot run here (disabled, broken entry) says why when asked.
      await adapter.fetchPatient({ identifier: { value: '' } }, AbortSignal.timeout(adapter.timeoutMs));
      row.ok = true;
    } else {
      row.details = (await adapter.check(AbortSignal.timeout(adapter.timeoutMs))).details;
      row.ok = true;
    }
  } catch (err) {
    row.error = toCliError(err);
  }
  row.ms = Math.round(performance.now() - started);
  if (row.ok && query) {
    const outcome = await askSource(adapter, query, createLogger('check-sources'));
    if (outcome.status.notes?.length) row.notes = outcome.status.notes;
    if (outcome.status.waiting) row.waiting = outcome.status.waiting;
    if (!outcome.result) {
      row.ok = false;
      row.error = { code: outcome.status.error ?? 'INTERNAL' };
    } else {
      const items = outcome.result.items.filter((i) => !i.details.absence);
      row.patient = {
        found: outcome.result.subjects.length > 0,
        sections: SECTION_KEYS.filter((k) => items.some((i) => i.section === k)),
        items: items.length,
      };
    }
  }
  return row;
}

function table(rows: SourceCheckRow[]): string {
  const lines = rows.map((r) => {
    const facts = Object.entries(r.details ?? {}).map(([k, v]) => `${k}=${v}`);
    const patient = r.patient ? [`patient ${r.patient.found ? 'found' : 'not found'}`, `${r.patient.items} items`, r.patient.sections.join(',')] : [];
    return [
      r.ok ? 'ok    ' : 'FAILED',
      r.id.padEnd(20),
      r.kind.padEnd(12),
      (r.tls ? 'tls' : '-').padEnd(4),
      `${r.ms ?? '-'} ms`.padStart(8),
      r.endpoint,
      ...facts,
      ...patient,
      ...(r.waiting ? [`${r.waiting} file(s) waiting to be complete`] : []),
      ...(r.notes ?? []).map((n) => `${n.code} x${n.count}: ${errorWords({ code: n.code })}`),
      ...(r.error ? [`${r.error.code}: ${errorWords(r.error)}`] : []),
    ].join('  ');
  });
  return `${lines.join('\n')}\n`;
}

export async function runCheckSources(args: string[], io: CliIo, usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { patient: { type: 'string' }, json: { type: 'boolean', default: false } } });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + usage);
    return EXIT.usage;
  }
  const [file, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    io.err(errorLine({ code: 'CLI_USAGE' }) + usage);
    return EXIT.usage;
  }
  let query: PatientQuery | undefined;
  if (parsed.values.patient !== undefined) {
    const q = parsePatientInput(parsed.values.patient, { today: io.now() });
    if (!q.ok) {
      io.err(errorLine(q.error, '--patient'));
      return EXIT.invalid;
    }
    query = q.value;
  }
  const found = file ? { path: resolve(file), from: 'argument' } : resolveConfigPath({ dataDir: defaultDataDir(projectRoot()), fallback: defaultConfigPath() });
  let config;
  try {
    config = loadConfigFile(found.path);
  } catch (err) {
    if (err instanceof ConfigError) for (const line of err.describe().split('\n')) io.err(`samsyn: CONFIG_INVALID: ${line}\n`);
    else io.err(errorLine(toCliError(err), 'the configuration file'));
    return EXIT.badFile;
  }
  const adapters = createSourceAdapters(config, { clock: systemClock, logger: createLogger('check-sources') });
  const settingsOf = new Map(config.sources.map((s) => [s.id, s]));
  const rows = await Promise.all(adapters.map((a) => checkOne(a, settingsOf.get(a.id), query)));
  if (parsed.values.json) io.out(`${JSON.stringify({ configuration: found.path, sources: rows }, null, 2)}\n`);
  else io.out(`configuration: ${found.path} (from ${found.from})\n${table(rows)}`);
  return rows.every((r) => r.ok) ? EXIT.ok : EXIT.rejected;
}
