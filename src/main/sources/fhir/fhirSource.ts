/**
 * The FHIR R4 source adapter: finds the patient by identifier, then reads each
 * summary resource type with a plain patient search, following pages.
 *
 * Observations are searched without a category filter: pregnancy status and
 * patient-reported measurements are often categorised social-history, survey or
 * not at all, and a category=laboratory,vital-signs search would lose them. The
 * mapper sorts each observation into results, pregnancy or homeMeasurements.
 */
import type { CapabilityStatement, Patient, Resource } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import type { SourceCountry, SourceRole } from '../../../shared/sourceRoles';
import type { ClinicalItem } from '../../../shared/summary';
import { systemClock, type Clock } from '../../platform/clock';
import { createLogger, type Logger } from '../../platform/logger';
import type { PatientQuery, SourceAdapter, SourceCheck, SourceResult, SubjectIdentity } from '../types';
import {
  escapeSearchValue,
  getResource,
  type FhirHttp,
  mapWithLimit,
  networkCause,
  type PageHandler,
  searchAllPages,
  type SearchPages,
  toSourceError,
} from './fhirHttp';
import { fetchDocumentContent } from './documentContent';
import { type MapContext, mapReadable, searchedResourceTypes, UNREADABLE } from './mappers';
import { nonEmpty } from './mappers/common';
import { createPartPool } from './sharedParts';
import { addSubject, normalizeAbsolute, onServer, patientToSubject, unverifiedSubjects } from './subjects';

export { bundleToSourceResult } from './bundleSource';

export interface FhirSourceConfig {
  id: string;
  name: string;
  baseUrl: string;
  timeoutMs: number;
  /** `_count` for every search; default 100. */
  pageSize?: number;
  /** Pages followed per search before the response is refused; default 200. */
  maxPages?: number;
  /** Largest response body read (bytes); default 32 MiB. */
  maxResponseBytes?: number;
  /** Most entries one search may give over all its pages; default 50,000. */
  maxEntries?: number;
  fetch?: typeof fetch;
  /** Days (or 'unlimited') documents of each type code stay visible; other types are not limited. */
  documentRetention?: Record<string, number | 'unlimited'>;
  /** Largest document content opened (bytes); default 5 MiB. */
  maxDocumentBytes?: number;
  /** What the source is (national medication list, home monitoring...): labels its items. */
  role?: SourceRole;
  country?: SourceCountry;
  /** Clock for `fetchedAt`; tests pass a fixed one. */
  clock?: Clock;
  logger?: Logger;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 200;
/** Enough to overlap round trips without looking like a flood to a regional server. */
const CONCURRENT_REQUESTS = 4;


const DAY_MS = 86_400_000;

/** A document older than its type's retention (a source setting): left out of the summary. */
export function pastRetention(item: ClinicalItem, retention: Record<string, number | 'unlimited'> | undefined, now: Date): boolean {
  if (!retention || item.section !== 'documents' || !item.date) return false;
  const limits = item.codes.map((c) => (c.code ? retention[c.code] : undefined)).filter((l) => l !== undefined);
  if (limits.length === 0 || limits.includes('unlimited')) return false;
  const days = Math.max(...(limits as number[]));
  const at = Date.parse(item.date);
  return !Number.isNaN(at) && at < now.getTime() - days * DAY_MS;
}

export function createFhirSource(config: FhirSourceConfig): SourceAdapter {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  /** The base that absolute references are compared with (scheme and host case-insensitive). */
  const serverBase = normalizeAbsolute(baseUrl);
  const http: FhirHttp = {
    baseUrl,
    fetch: config.fetch ?? globalThis.fetch,
    maxPages: config.maxPages ?? DEFAULT_MAX_PAGES,
    ...(config.maxResponseBytes ? { maxResponseBytes: config.maxResponseBytes } : {}),
    ...(config.maxEntries ? { maxEntries: config.maxEntries } : {}),
  };
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;
  const clock = config.clock ?? systemClock;
  // The registry's logger carries the source's id already (createServices); a logger of its own gets it here.
  const log = config.logger ?? createLogger('sources.fhir').child({ sourceId: config.id });
  const now = () => clock.now();

  const fetchPatient = async (query: PatientQuery, outer: AbortSignal): Promise<SourceResult> => {
    const started = performance.now();
    if (outer.aborted) throw toSourceError(outer.reason, outer);
    // One failed search makes the whole answer unusable, so the rest are stopped.
    const local = new AbortController();
    const signal = AbortSignal.any([outer, local.signal]);
    const classify = (err: unknown): CodedError => toSourceError(err, outer);

    const search = async (resourceType: string, params: string, onPage?: PageHandler): Promise<SearchPages> => {
      const searchStarted = performance.now();
      try {
        const pages = await searchAllPages(http, `${baseUrl}/${resourceType}?${params}`, resourceType, signal, onPage);
        log.debug({
          resourceType,
          count: pages.matched,
          pages: pages.pages,
          ms: Math.round(performance.now() - searchStarted),
        }, 'search answered');
        return pages;
      } catch (err) {
        const coded = classify(err);
        if (local.signal.aborted && !outer.aborted) throw coded; // stopped because a sibling failed
        log.warn({
          resourceType,
          code: coded.code,
          status: coded.params?.status,
          cause: coded.code === 'SOURCE_UNREACHABLE' ? networkCause(err) : undefined,
          ms: Math.round(performance.now() - searchStarted),
        }, 'search failed');
        throw coded;
      }
    };
    try {
      // FHIR token search: `system|value`, and `|value` for an identifier with no
      // system (a bare `value` would match that value under any system).
      const token = `${escapeSearchValue(query.identifier.system ?? '')}|${escapeSearchValue(query.identifier.value)}`;
      const found = await search('Patient', `identifier=${encodeURIComponent(token)}`);
      const matched = found.matches as Patient[];
      // A Patient without a logical id cannot be searched by, yet it is still
      // someone the response named: it stays a subject for the identity guard.
      const patients = matched.filter((p) => Boolean(p.id));
      if (matched.length === 0) {
        log.info({ patientCount: 0, ms: Math.round(performance.now() - started) }, 'no patient matched');
        return { subjects: [], items: [], fetchedAt: now().toISOString() };
      }

      // Read before any search: a Patient of the wrong shape refuses the source at once.
      const subjects: SubjectIdentity[] = matched.map((p) => patientToSubject(p, p.id));
      const fetchedAt = now().toISOString();
      // A reference names a found Patient only as `Patient/id` (read against
      // this server) or as this server's own absolute URL of it: another
      // server's Patient/id, a urn or a Patient not found is someone else.
      const foundPatients = new Map<string, Patient>(patients.map((p) => [`Patient/${p.id as string}`, p]));
      const lookup = (reference: string): Patient | undefined => {
        const local = onServer(reference, serverBase);
        return local ? foundPatients.get(local) : undefined;
      };
      // `_include`d resources (a Medication...) from every answer, as they arrive; the first one of a
      // Type/id is kept (one server: the same resource).
      const included = new Map<string, Resource>();
      /** Set when a reference found nothing while one resource was mapped: it may be in a page still to come. */
      let missed = false;
      const unnamed = new Map<Resource, string>();
      const ctx: MapContext = {
        sourceId: config.id,
        sourceName: config.name,
        fetchedAt,
        ...(config.role ? { role: config.role } : {}),
        ...(config.country ? { country: config.country } : {}),
        resolve: (reference) => {
          const local = onServer(reference, serverBase);
          const found = local ? included.get(local) : undefined;
          if (!found) missed = true;
          return found;
        },
        // Servers assign ids; should one not, the item is still named by its place in the answer.
        fallbackId: (resource) => {
          if (!unnamed.has(resource)) unnamed.set(resource, `${resource.resourceType}/#match-${unnamed.size + 1}`);
          return unnamed.get(resource);
        },
      };
      let skipped = 0;
      // Parts many items state alike (codes, details, units, texts) held once for the whole answer.
      const share = createPartPool();
      const mapOne = (resource: Resource): ClinicalItem | undefined => {
        const mapped = mapReadable(resource, ctx);
        if (mapped === UNREADABLE) {
          skipped += 1;
          return undefined;
        }
        return mapped && !pastRetention(mapped, config.documentRetention, now()) ? share(mapped) : undefined;
      };

      // Each page is mapped as it arrives and let go (ADR 0033): the parsed pages of the whole answer are
      // never held beside its items. Per search, in answer order, its items; a resource is kept to be mapped
      // once every answer is in only when a reference of it found nothing yet (an `_include` of a later page
      // or search may hold it), or when it has no id (numbered by its place in the whole answer, as before).
      const jobs = patients.flatMap((p) =>
        searchedResourceTypes(config.role).map((type) => ({ patientId: p.id as string, type })),
      );
      const slots: (ClinicalItem | { later: Resource })[][] = jobs.map(() => []);
      /** Items mapped so far, in every search (those kept for later not counted: they may still be dropped). */
      let kept = 0;
      const spoken: SubjectIdentity[][] = jobs.map(() => []);
      await mapWithLimit(jobs.map((job, j) => ({ ...job, j })), CONCURRENT_REQUESTS, (job) =>
        search(job.type, `patient=${encodeURIComponent(job.patientId)}&_count=${pageSize}`, (matches, includes) => {
          for (const r of includes) {
            const key = r.id ? `${r.resourceType}/${r.id}` : undefined;
            if (key && !included.has(key)) included.set(key, r);
          }
          const out = slots[job.j] as (ClinicalItem | { later: Resource })[];
          for (const resource of matches) {
            // Who it is about, read for every resource, an unreadable one too: data about anyone else refuses the answer.
            for (const subject of unverifiedSubjects(resource, lookup)) (spoken[job.j] as SubjectIdentity[]).push(subject);
            if (!nonEmpty(resource.id)) {
              out.push({ later: resource });
              continue;
            }
            missed = false;
            const mapped = mapReadable(resource, ctx);
            if (missed) out.push({ later: resource });
            else if (mapped === UNREADABLE) skipped += 1;
            else if (mapped && !pastRetention(mapped, config.documentRetention, now())) {
              out.push(share(mapped));
              kept += 1;
            }
          }
          // Items already mapped are each in the answer: past the summary's limit it is refused whole
          // (askSource), so the pages still to come are not fetched.
          if (query.maxItems !== undefined && kept > query.maxItems) {
            throw new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'items', expected: query.maxItems, found: kept });
          }
        }),
      );

      for (const list of spoken) for (const subject of list) addSubject(subjects, subject);
      const items: ClinicalItem[] = [];
      for (const list of slots) {
        for (const slot of list) {
          if (!('later' in slot)) {
            items.push(slot);
            continue;
          }
          const mapped = mapOne(slot.later);
          if (mapped) items.push(mapped);
        }
      }
      log.info({
        patientCount: patients.length,
        subjectCount: subjects.length,
        itemCount: items.length,
        skipped,
        ms: Math.round(performance.now() - started),
      }, 'pages mapped');
      return { subjects, items, fetchedAt, ...(skipped > 0 ? { skipped: { code: 'SOURCE_BAD_RESPONSE', count: skipped } } : {}) };
    } catch (err) {
      local.abort();
      throw classify(err);
    }
  };

  /** The server's CapabilityStatement: FHIR R4 (4.0.x), and Patient search by identifier offered. */
  const check = async (signal: AbortSignal): Promise<SourceCheck> => {
    let statement: CapabilityStatement;
    try {
      statement = await getResource<CapabilityStatement>(http, `${baseUrl}/metadata`, 'CapabilityStatement', signal);
    } catch (err) {
      throw toSourceError(err, signal);
    }
    const version = typeof statement.fhirVersion === 'string' ? statement.fhirVersion : '';
    if (!/^4\.0(\.\d+)?$/.test(version)) throw new CodedError('SOURCE_BAD_RESPONSE', { reason: 'not-fhir-r4' });
    const patient = statement.rest?.flatMap((r) => r.resource ?? []).find((r) => r.type === 'Patient');
    const byIdentifier = patient?.searchParam?.some((p) => p.name === 'identifier') ?? false;
    const software = typeof statement.software?.name === 'string' ? statement.software.name.slice(0, 80) : undefined;
    return { details: { fhirVersion: version, patientSearchByIdentifier: byIdentifier, ...(software ? { software } : {}) } };
  };

  return {
    id: config.id,
    name: config.name,
    kind: 'fhir-r4',
    timeoutMs: config.timeoutMs,
    fetchPatient,
    check,
    openDocument: (query, recordId, signal) => fetchDocumentContent(http, query, recordId, signal, config.maxDocumentBytes),
  };
}
