/**
 * The installation's configuration: its sources (each validated by its kind's
 * schema from the source registry) and the local cache. A value of the form
 * `sandbox:NAME` points at a simulated system that only the demo starts; the
 * product shows such a source as disabled.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import { BUILTIN_SOURCES, type BaseSourceSettings, type SourceRegistry } from '../sources/registry';

const cacheSchema = z
  .object({
    enabled: z.boolean().default(true),
    retentionHours: z.number().positive().max(24 * 30).default(12),
    dir: z.string().min(1).optional(),
  })
  .optional();

export function configSchemaFor(registry: SourceRegistry) {
  return z.object({
    sources: z.array(registry.sourceSchema).refine((s) => new Set(s.map((x) => x.id)).size === s.length, {
      message: 'source ids must be unique',
    }),
    /**
     * The encrypted local cache. `dir` defaults to the app's data folder
     * (Electron: userData; preview and demo: SAMSYN_DATA_DIR or `.samsyn/`).
     */
    cache: cacheSchema,
  });
}

export interface SamsynConfig {
  sources: SourceConfig[];
  cache?: z.output<typeof cacheSchema>;
}

/** One configured source: the fields every kind shares, plus its kind's own (checked by its schema). */
export type SourceConfig = BaseSourceSettings & { readonly [field: string]: unknown };

export function parseConfig(raw: unknown, registry: SourceRegistry = BUILTIN_SOURCES): SamsynConfig {
  const parsed = configSchemaFor(registry).safeParse(raw);
  if (!parsed.success) throw new CodedError('CONFIG_INVALID', { issues: parsed.error.issues.length });
  return parsed.data as SamsynConfig;
}

export function loadConfigFile(path: string, registry: SourceRegistry = BUILTIN_SOURCES): SamsynConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CodedError('FILE_NOT_FOUND');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CodedError('FILE_NOT_JSON');
  }
  return parseConfig(raw, registry);
}

const SANDBOX_REFERENCE = /^sandbox:[a-z0-9-]+$/;

/** Whether a source points at a simulated system (a `sandbox:NAME` value) that only the demo can start. */
export function pointsAtSandbox(source: SourceConfig): boolean {
  return Object.values(source).some((v) => typeof v === 'string' && SANDBOX_REFERENCE.test(v));
}
