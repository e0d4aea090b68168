/** HL7 v2 source settings → adapters (called by the composition root). */
import type { SourceAdapter } from '../types';
import { createBatchFolderSource } from './batchFolderSource';
import type { BatchSourceSettings, MllpSourceSettings } from './hl7SourceConfig';
import { createMllpQuerySource } from './mllpQueryAdapter';

export function createHl7Adapter(settings: MllpSourceSettings | BatchSourceSettings): SourceAdapter {
  if (settings.kind === 'hl7v2-batch') {
    return createBatchFolderSource({
      id: settings.id,
      name: settings.name,
      folder: settings.folder,
      timeoutMs: settings.timeoutMs,
      ...(settings.settleMs !== undefined ? { settleMs: settings.settleMs } : {}),
    });
  }
  if (typeof settings.port !== 'number') {
    // A sandbox reference must have been resolved to a port by the runtime.
    throw new Error(`source ${settings.id}: port ${settings.port} was not started`);
  }
  return createMllpQuerySource({
    id: settings.id,
    name: settings.name,
    host: settings.host,
    port: settings.port,
    timeoutMs: settings.timeoutMs,
    query: settings.query,
    profile: { ...settings.profile, version: settings.version, queryName: settings.queryName },
    ...(settings.limit ? { limit: settings.limit } : {}),
  });
}

/** Where a source lives, for the demo's listing. */
export function hl7Endpoint(settings: MllpSourceSettings | BatchSourceSettings): string {
  return settings.kind === 'hl7v2-batch' ? settings.folder : `mllp://${settings.host}:${settings.port}`;
}
