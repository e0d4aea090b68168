/**
 * `samsyn audit verify` and `samsyn audit export --patient ID`: the access
 * log's chain checked (intact, or the first broken record and how it broke, in
 * one line with no patient data), and the citizen's extract of who looked at
 * their records. Neither command writes to the log or creates one or a key.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../shared/errors';
import { parsePatientInput } from '../../shared/identity';
import { AUDIT_FILE, AUDIT_KEY_FILE, openAccessLog, type AccessLog } from '../audit/accessLog';
import { citizenExtract, citizenExtractText } from '../audit/citizenExtract';
import { defaultDataDir } from '../cache/configuredCache';
import { CACHE_KEY_ENV, defaultKeyProvider } from '../cache/keyProvider';
import { createLogger } from '../platform/logger';
import { projectRoot } from '../platform/paths';
import type { CliIo } from './cliIo';
import { errorLine } from './errorWords';

export const AUDIT_USAGE = `  samsyn audit verify [--dir DIR] [--json]
      Walks the access log's hash chain and checks its head against the anchor.
      Prints the record count, or one line naming the first broken record and how it
      broke (changed, missing, reordered, inserted, truncated, anchor) - never patient data.
      Exit 0: intact; 1: broken; 2: the log cannot be opened (missing, wrong key, damaged).
  samsyn audit export --patient ID [--format json|text] [--dir DIR]
      The citizen's extract: every logged access to the patient's records - who (name,
      role, unit, organisation), when, what, purpose, outcome. ID as for summarize.
      Exit 0: done; 1: ID not valid, or the log is broken (the extract is printed and
      says so; the break is named on stderr); 2: the log cannot be opened; 64: usage.
  DIR defaults to SAMSYN_DATA_DIR or .samsyn/ in the project (the log is DIR/${AUDIT_FILE}).
  The key comes from ${CACHE_KEY_ENV} or DIR/${AUDIT_KEY_FILE}.
`;

export const AUDIT_EXIT = { ok: 0, broken: 1, invalidId: 1, unreadable: 2, usage: 64 } as const;

export interface AuditCliIo extends CliIo {
  /** Where SAMSYN_DATA_DIR and the key are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export async function runAuditCommand(args: string[], io: AuditCliIo): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        dir: { type: 'string' },
        json: { type: 'boolean', default: false },
        patient: { type: 'string' },
        format: { type: 'string', default: 'text' },
      },
    });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + AUDIT_USAGE);
    return AUDIT_EXIT.usage;
  }
  if (sub !== 'verify' && sub !== 'export') {
    io.err(errorLine({ code: 'CLI_USAGE', params: { command: sub ? 'unknown' : 'missing' } }) + AUDIT_USAGE);
    return AUDIT_EXIT.usage;
  }
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'json') {
    io.err(errorLine({ code: 'CLI_USAGE', params: { option: '--format' } }) + AUDIT_USAGE);
    return AUDIT_EXIT.usage;
  }
  let patient: { system?: string | undefined; value: string } | undefined;
  if (sub === 'export') {
    if (parsed.values.patient === undefined) {
      io.err(errorLine({ code: 'CLI_USAGE', params: { missing: '--patient' } }) + AUDIT_USAGE);
      return AUDIT_EXIT.usage;
    }
    const input = parsePatientInput(parsed.values.patient, { today: io.now() });
    if (!input.ok) {
      io.err(errorLine(input.error));
      return AUDIT_EXIT.invalidId;
    }
    patient = input.value.identifier;
  }

  const env = io.env ?? process.env;
  const dir = parsed.values.dir ?? defaultDataDir(projectRoot(), env);
  let log: AccessLog;
  try {
    log = openAccessLog({
      dir,
      // Never a new key, never a new log: either would only hide the one that is there.
      keyProvider: defaultKeyProvider(join(dir, AUDIT_KEY_FILE), env, { create: false }),
      clock: { now: io.now },
      logger: createLogger('cli.audit'),
      create: false,
    });
  } catch (err) {
    io.err(errorLine(err instanceof CodedError ? err.toAppError() : { code: 'AUDIT_UNAVAILABLE' }));
    return AUDIT_EXIT.unreadable;
  }
  try {
    const report = log.verify();
    const brokenLine = report.intact ? '' : errorLine({ code: 'AUDIT_CHAIN_BROKEN', params: { seq: report.seq, kind: report.kind } });
    if (sub === 'verify') {
      if (parsed.values.json) io.out(JSON.stringify({ path: log.path, ...report }, null, 2) + '\n');
      else if (report.intact) io.out(`access log: ${log.path}\nrecords: ${report.records}\nchain: intact (head record ${report.head.seq})\n`);
      if (!report.intact) io.err(brokenLine);
      return report.intact ? AUDIT_EXIT.ok : AUDIT_EXIT.broken;
    }
    const extract = citizenExtract(patient!, log.forPatient(patient!), report, io.now());
    io.out(format === 'json' ? JSON.stringify(extract, null, 2) + '\n' : citizenExtractText(extract));
    if (!report.intact) io.err(brokenLine);
    return report.intact ? AUDIT_EXIT.ok : AUDIT_EXIT.broken;
  } catch (err) {
    io.err(errorLine(err instanceof CodedError ? err.toAppError() : { code: 'AUDIT_UNAVAILABLE' }));
    return AUDIT_EXIT.unreadable;
  } finally {
    log.close();
  }
}
