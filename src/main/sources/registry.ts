/**
 * The source-kind registry: each kind of source (FHIR R4, HL7 v2 over MLLP, an
 * HL7 v2 drop folder...) is one definition — its configuration schema (kept in
 * its own folder), its factory, where it lives for listings, and optionally how
 * to read one of its exports from a file. Configuration loading, the services,
 * the demo and the CLI iterate the registry; none names a kind itself.
 *
 * The simulated systems behind kinds are not here: the product never imports
 * the sandbox. The sandbox keeps its own table by the same kind names
 * (src/main/sandbox/sandboxRegistry.ts), used only by the demo and tests.
 */
import { z } from 'zod';
import { FHIR_SOURCE_KIND } from './fhir/fhirKind';
import { BATCH_SOURCE_KIND, MLLP_SOURCE_KIND } from './hl7v2/hl7Kinds';
import type { BaseSourceSettings, SourceFileReader, SourceKindDefinition } from './sourceKind';

export type { BaseSourceSettings, SourceDeps, SourceFileReader, SourceKindDefinition } from './sourceKind';
export { defineSourceKind } from './sourceKind';

export interface SourceRegistry {
  readonly kinds: readonly SourceKindDefinition[];
  get(kind: string): SourceKindDefinition | undefined;
  /** One configured source, validated by its kind's schema. */
  readonly sourceSchema: z.ZodType<BaseSourceSettings, unknown>;
  /** The file readers, the fallback last. */
  readonly fileReaders: readonly SourceFileReader[];
}

export function createSourceRegistry(kinds: readonly SourceKindDefinition[]): SourceRegistry {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  if (byKind.size !== kinds.length) throw new Error('source kinds must be unique');
  const members = kinds.map((k) => k.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
  const sourceSchema = z.discriminatedUnion('kind', members) as unknown as z.ZodType<BaseSourceSettings, unknown>;
  const readers = kinds.flatMap((k) => (k.files ? [k.files] : []));
  return {
    kinds,
    get: (kind) => byKind.get(kind),
    sourceSchema,
    fileReaders: [...readers.filter((r) => !r.fallback), ...readers.filter((r) => r.fallback)],
  };
}

/** The kinds this build of Samsyn knows. */
export const BUILTIN_SOURCE_KINDS: readonly SourceKindDefinition[] = [FHIR_SOURCE_KIND, MLLP_SOURCE_KIND, BATCH_SOURCE_KIND];

export const BUILTIN_SOURCES: SourceRegistry = createSourceRegistry(BUILTIN_SOURCE_KINDS);
