/**
 * What one kind of source is, for the registry (registry.ts): each protocol
 * folder defines its kinds with defineSourceKind.
 */
import { z } from 'zod';
import type { Identifier } from '../../shared/summary';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { SourceContext } from './common/items';
import type { SourceAdapter, SourceResult } from './types';

/** A source id: lower-case letters, digits and dashes; it names the source in logs and the cache. */
export const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

/** What every kind's settings share; each kind's schema adds its own fields. */
export interface BaseSourceSettings {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  timeoutMs: number;
}

/** What a factory is given besides its settings: platform pieces, never globals. */
export interface SourceDeps {
  clock: Clock;
  logger: Logger;
}

/** Reading one file as this kind's export (the CLI's `summarize`). */
export interface SourceFileReader {
  /** Read only when no other kind claims the bytes (FHIR JSON is the fallback). */
  fallback?: boolean;
  /** Whether the bytes look like this kind's files. */
  claims(bytes: Buffer): boolean;
  /** The file's answer about one patient; throws CodedError for a bad file. */
  read(bytes: Buffer, ctx: SourceContext & { identifier: Identifier; maxEntries?: number }): SourceResult;
  /**
   * The same answer read in steps that let the event loop turn (a large HL7
   * batch, ADR 0034); `maxSegments` overrides the kind's segment limit. Used
   * instead of `read` where a kind has it. `maxEntries` (on `read`) overrides
   * the most entries a FHIR Bundle file may hold (ADR 0038).
   */
  readAsync?(bytes: Buffer, ctx: SourceContext & { identifier: Identifier; maxSegments?: number; maxEntries?: number }): Promise<SourceResult>;
}

export interface SourceKindDefinition<S extends BaseSourceSettings = BaseSourceSettings> {
  readonly kind: S['kind'];
  readonly schema: z.ZodType<S, unknown>;
  create(settings: S, deps: SourceDeps): SourceAdapter;
  /** Where a configured source lives, for listings (a URL, host:port, a folder). */
  endpoint(settings: S): string;
  readonly files?: SourceFileReader;
}

/** Keeps a definition's settings type while it joins the registry's list. */
export function defineSourceKind<S extends BaseSourceSettings>(definition: SourceKindDefinition<S>): SourceKindDefinition {
  return definition as unknown as SourceKindDefinition;
}

