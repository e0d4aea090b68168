/**
 * Source configuration. A baseUrl of the form `sandbox:REGION` points at a
 * simulated region that the composition root starts itself (demo, tests).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import { batchSourceSchema, mllpSourceSchema } from '../sources/hl7v2/hl7SourceConfig';

const fhirSourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  name: z.string().min(1),
  kind: z.literal('fhir-r4'),
  baseUrl: z.string().min(1),
  timeoutMs: z.number().int().positive().max(120_000).default(8_000),
  pageSize: z.number().int().positive().max(1_000).optional(),
  enabled: z.boolean().default(true),
});

export const configSchema = z.object({
  sources: z.array(z.discriminatedUnion('kind', [fhirSourceSchema, mllpSourceSchema, batchSourceSchema])).refine((s) => new Set(s.map((x) => x.id)).size === s.length, {
    message: 'source ids must be unique',
  }),
  /**
   * The encrypted local cache. `dir` defaults to the app's data folder
   * (Electron: userData; preview and demo: SAMSYN_DATA_DIR or `.samsyn/`).
   */
  cache: z
    .object({
      enabled: z.boolean().default(true),
      retentionHours: z.number().positive().max(24 * 30).default(12),
      dir: z.string().min(1).optional(),
    })
    .optional(),
});

export type SamsynConfig = z.output<typeof configSchema>;
export type SourceConfig = SamsynConfig['sources'][number];

export function parseConfig(raw: unknown): SamsynConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new CodedError('CONFIG_INVALID', { issues: parsed.error.issues.length });
  return parsed.data;
}

export function loadConfigFile(path: string): SamsynConfig {
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
  return parseConfig(raw);
}
