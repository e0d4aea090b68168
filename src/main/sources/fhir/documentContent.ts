/**
 * A journal document's content, on demand: the DocumentReference is read again
 * from the source, must belong to the patient found by the query's identifier,
 * and its attachment is taken from inline data or from a URL on the source's
 * own base URL only (never an arbitrary address from the data), within a size
 * limit, and only as plain text, HTML or PDF.
 */
import type { Attachment, DocumentReference, Patient } from '@medplum/fhirtypes';
import { CodedError } from '../../../shared/errors';
import type { DocumentContent, PatientQuery } from '../types';
import { escapeSearchValue, getResource, searchAllPages, toSourceError, type FhirHttp } from './fhirHttp';
import { normalizeAbsolute, onServer } from './subjects';

export const DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const ALLOWED = ['text/plain', 'text/html', 'application/pdf'] as const;
type Allowed = (typeof ALLOWED)[number];
const RECORD_ID = /^DocumentReference\/([A-Za-z0-9\-.]{1,64})$/;

function allowedType(contentType: string | undefined): Allowed | undefined {
  const base = contentType?.split(';')[0]?.trim().toLowerCase();
  return ALLOWED.find((t) => t === base);
}

/** Reads a response body, refusing it as soon as it passes `maxBytes`. */
async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) throw new CodedError('DOCUMENT_TOO_LARGE', { maxBytes });
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new CodedError('DOCUMENT_TOO_LARGE', { maxBytes });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The attachment's URL, only when it lies under the source's own base URL. */
export function ownAttachmentUrl(url: string, baseUrl: string): string | undefined {
  let resolved: URL;
  try {
    resolved = new URL(url, `${baseUrl}/`);
  } catch {
    return undefined;
  }
  const base = new URL(`${baseUrl}/`);
  if (resolved.origin !== base.origin || !resolved.pathname.startsWith(base.pathname)) return undefined;
  if (resolved.username || resolved.password) return undefined;
  return resolved.href;
}

export async function fetchDocumentContent(
  http: FhirHttp,
  query: PatientQuery,
  recordId: string,
  signal: AbortSignal,
  maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES,
): Promise<DocumentContent> {
  const id = RECORD_ID.exec(recordId)?.[1];
  if (!id) throw new CodedError('DOCUMENT_NOT_FOUND');
  const base = http.baseUrl;
  const token = `${escapeSearchValue(query.identifier.system ?? '')}|${escapeSearchValue(query.identifier.value)}`;
  const found = await searchAllPages(http, `${base}/Patient?identifier=${encodeURIComponent(token)}`, 'Patient', signal);
  const patientIds = new Set((found.matches as Patient[]).filter((p) => p.id).map((p) => `Patient/${p.id as string}`));
  if (patientIds.size === 0) throw new CodedError('DOCUMENT_NOT_FOUND');
  let doc: DocumentReference;
  try {
    doc = await getResource<DocumentReference>(http, `${base}/DocumentReference/${encodeURIComponent(id)}`, 'DocumentReference', signal);
  } catch (err) {
    if (err instanceof CodedError && (err.params?.status === 404 || err.params?.status === 410)) throw new CodedError('DOCUMENT_NOT_FOUND');
    throw err;
  }
  const subject = doc.subject?.reference ? onServer(doc.subject.reference, normalizeAbsolute(base)) : undefined;
  // Another patient's document is not found, whatever the request says.
  if (!subject || !patientIds.has(subject)) throw new CodedError('DOCUMENT_NOT_FOUND');
  const attachments = (doc.content ?? []).map((c) => c.attachment).filter((a): a is Attachment => a !== undefined);
  const usable = attachments.find((a) => allowedType(a.contentType));
  if (!usable) throw new CodedError(attachments.length === 0 ? 'DOCUMENT_NOT_FOUND' : 'DOCUMENT_TYPE_REFUSED');
  const contentType = allowedType(usable.contentType) as Allowed;
  const title = usable.title ?? undefined;
  if (typeof usable.data === 'string' && usable.data.length > 0) {
    if (Math.floor((usable.data.length * 3) / 4) > maxBytes) throw new CodedError('DOCUMENT_TOO_LARGE', { maxBytes });
    return { contentType, bytes: new Uint8Array(Buffer.from(usable.data, 'base64')), ...(title ? { title } : {}) };
  }
  if (!usable.url) throw new CodedError('DOCUMENT_NOT_FOUND');
  const url = ownAttachmentUrl(usable.url, base);
  if (!url) throw new CodedError('DOCUMENT_URL_REFUSED');
  let res: Response;
  try {
    const fetchImpl = http.fetch;
    res = await fetchImpl(url, { headers: { Accept: contentType }, signal, redirect: 'error' });
  } catch (err) {
    throw toSourceError(err, signal);
  }
  if (res.status === 404 || res.status === 410) throw new CodedError('DOCUMENT_NOT_FOUND');
  if (!res.ok) throw new CodedError('SOURCE_HTTP_ERROR', { status: res.status });
  // What the server says it sends must be what the reference declared.
  if (allowedType(res.headers.get('content-type') ?? undefined) !== contentType) {
    await res.body?.cancel();
    throw new CodedError('DOCUMENT_TYPE_REFUSED');
  }
  try {
    return { contentType, bytes: await readLimited(res, maxBytes), ...(title ? { title } : {}) };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw toSourceError(err, signal);
  }
}
