/** The FHIR R4 source kind: configuration, factory, listing and Bundle files. */
import { z } from 'zod';
import { CodedError } from '../../../shared/errors';
import { sourceCountrySchema, sourceRoleSchema } from '../../../shared/sourceRoles';
import { defineSourceKind, sourceIdSchema } from '../sourceKind';
import { bundleToSourceResult } from './bundleSource';
import { createFhirSource } from './fhirSource';
import { DEFAULT_MAX_ENTRIES } from './fhirHttp';
import { tlsSettingsSchema, readTlsMaterial, tlsFetch } from '../common/tls';

export const fhirSourceSchema = z.object({
  id: sourceIdSchema,
  name: z.string().min(1),
  kind: z.literal('fhir-r4'),
  baseUrl: z.string().min(1),
  timeoutMs: z.number().int().positive().max(120_000).default(8_000),
  pageSize: z.number().int().positive().max(1_000).optional(),
  /** TLS settings for an https baseUrl: the CA to trust, and a client certificate for mutual TLS. */
  tls: tlsSettingsSchema.optional(),
  enabled: z.boolean().default(true),
  /**
   * How long documents of each type are kept visible, by document type code
   * (LOINC or the source's own): a number of days, or 'unlimited'. Older
   * documents of a listed type are left out. E.g. Norway: discharge summaries
   * unlimited, radiology 5 years, referrals and lab reports 1 year.
   */
  documentRetention: z.record(z.string().min(1), z.union([z.literal('unlimited'), z.number().int().positive()])).optional(),
  /** Largest journal document opened from this source, in bytes (default 5 MiB). */
  maxDocumentBytes: z.number().int().positive().max(100 * 1024 * 1024).optional(),
  /** Largest search response read, in bytes (default 32 MiB); a larger one is SOURCE_RESPONSE_TOO_LARGE. */
  maxResponseBytes: z.number().int().positive().max(1024 * 1024 * 1024).optional(),
  /** Most entries one search may give over all its pages (default 50,000). */
  maxEntries: z.number().int().positive().max(10_000_000).optional(),
  /** What the source is: a care provider (default), a national medication list, home monitoring, maternity care. */
  role: sourceRoleSchema.optional(),
  /** The country whose national service it is (required for a national medication list). */
  country: sourceCountrySchema.optional(),
})
  .refine((s) => !s.tls || /^https:\/\//i.test(s.baseUrl), { message: 'tls needs an https baseUrl', path: ['tls'] })
  .refine((s) => s.role !== 'nationalMedicationList' || s.country !== undefined, {
  message: 'a national medication list needs its country',
  path: ['country'],
});

export type FhirSourceSettings = z.output<typeof fhirSourceSchema>;

export const FHIR_SOURCE_KIND = defineSourceKind<FhirSourceSettings>({
  kind: 'fhir-r4',
  schema: fhirSourceSchema,
  create: (s, deps) =>
    createFhirSource({
      id: s.id,
      name: s.name,
      baseUrl: s.baseUrl,
      timeoutMs: s.timeoutMs,
      ...(s.pageSize ? { pageSize: s.pageSize } : {}),
      ...(s.tls ? { fetch: tlsFetch(readTlsMaterial(s.tls)) } : {}),
      ...(s.role ? { role: s.role } : {}),
      ...(s.maxDocumentBytes ? { maxDocumentBytes: s.maxDocumentBytes } : {}),
      ...(s.maxResponseBytes ? { maxResponseBytes: s.maxResponseBytes } : {}),
      ...(s.maxEntries ? { maxEntries: s.maxEntries } : {}),
      ...(s.documentRetention ? { documentRetention: s.documentRetention } : {}),
      ...(s.country ? { country: s.country } : {}),
      clock: deps.clock,
      logger: deps.logger,
    }),
  endpoint: (s) => s.baseUrl,
  files: {
    // Anything that is not another kind's file is read as FHIR JSON.
    fallback: true,
    claims: () => true,
    read(bytes, ctx) {
      let text: string;
      try {
        // Invalid UTF-8 is refused, never read with U+FFFD in place of the bad bytes.
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new CodedError('FILE_NOT_UTF8');
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CodedError('FILE_NOT_JSON');
      }
      const entries = (json as { entry?: unknown } | null)?.entry;
      // The FHIR source's default (maxEntries) unless the caller sets it (the CLI's --max-entries).
      const maxEntries = ctx.maxEntries ?? DEFAULT_MAX_ENTRIES;
      if (Array.isArray(entries) && entries.length > maxEntries) {
        throw new CodedError('FILE_TOO_LARGE', { limit: 'entries', expected: maxEntries, found: entries.length });
      }
      try {
        return bundleToSourceResult(json as never, ctx);
      } catch (err) {
        // A Bundle whose shape breaks the reading (a list that is an object, a null in a list): coded, never a crash.
        if (err instanceof CodedError) throw err;
        throw new CodedError('FILE_NOT_FHIR_BUNDLE', { reason: 'shape' });
      }
    },
  },
});
