import type { DocumentReference } from '@medplum/fhirtypes';
import type { ClinicalItemOf } from '../../../../shared/summary';
import { codingsOf, conceptText, conceptTexts, firstText, isSealed, item, type MapContext, periodEnd, periodStart, provenanceOf, referenceDisplay, referenceDisplays, str } from './common';

export function mapDocumentReference(r: DocumentReference, ctx: MapContext): ClinicalItemOf<'documents'> {
  const attachments = (r.content ?? []).map((c) => ({
    ...(c.attachment.contentType ? { contentType: c.attachment.contentType } : {}),
    ...(c.attachment.title ? { title: c.attachment.title } : {}),
    ...(c.attachment.url ? { url: c.attachment.url } : {}),
    ...(typeof c.attachment.size === 'number' ? { size: c.attachment.size } : {}),
  }));
  return item({
    section: 'documents',
    codes: codingsOf(r.type),
    text:
      firstText(r.description, conceptText(r.type), ...attachments.map((a) => a.title)) ?? 'Document (untitled)',
    // docStatus (preliminary/final/amended) says more to a clinician than the record status.
    status: str(r.status === 'current' ? (r.docStatus ?? r.status) : r.status, 'status'),
    date: firstText(r.date, periodStart(r.context?.period)),
    details: {
      type: conceptText(r.type),
      description: str(r.description, 'description'),
      category: conceptTexts(r.category),
      authors: referenceDisplays(r.author),
      custodian: referenceDisplay(r.custodian),
      periodEnd: periodEnd(r.context?.period),
      facility: conceptText(r.context?.facilityType),
      attachments,
    },
    sealed: isSealed(r.meta),
    provenance: provenanceOf(r, r.date, ctx),
  });
}
