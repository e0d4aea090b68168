/**
 * The access log's interface for whoever records accesses (the bridge and the
 * summary path, with the signed-in user): open it (the runtime does, as
 * `runtime.accessLog`), `append` one record per access and refuse the access
 * when it throws, `verify`, `forPatient`. See accessLog.ts and ADR 0012.
 */
export {
  ACCESS_ACTIONS,
  ACCESS_RESULTS,
  REASON_MAX_CHARS,
  WHAT_MAX_CHARS,
  type AccessAction,
  type AccessEntry,
  type AccessRecord,
} from './accessEntry';
export {
  AUDIT_FILE,
  openAccessLog,
  type AccessLog,
  type AppendResult,
  type AuditKeyProvider,
  type BreakKind,
  type VerifyReport,
} from './accessLog';
export { citizenExtract, citizenExtractText, type CitizenExtract } from './citizenExtract';
export { openConfiguredAccessLog, type AccessLogHandle, type AuditSettings } from './configuredAccessLog';
