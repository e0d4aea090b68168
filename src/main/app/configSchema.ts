/** The configuration file's JSON Schema, generated from the zod schemas (z.toJSONSchema), for editors. */
import { z } from 'zod';
import { BUILTIN_SOURCES, type SourceRegistry } from '../sources/registry';
import { configSchemaFor } from './config';

export function configJsonSchema(registry: SourceRegistry = BUILTIN_SOURCES): Record<string, unknown> {
  // 'input': what a person writes (fields with defaults are optional).
  const schema = z.toJSONSchema(configSchemaFor(registry), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Samsyn configuration',
    description: 'Sources (one entry per system, by kind) and the local cache. See README.md, "Sources".',
  };
}

export function configJsonSchemaText(registry?: SourceRegistry): string {
  return `${JSON.stringify(configJsonSchema(registry), null, 2)}\n`;
}
