/**
 * IPS document sections that a source left empty on purpose: a Composition
 * section's `emptyReason` says whether nothing is known (nilknown) or the
 * information is not available (unavailable, not asked, withheld...). Each
 * becomes a stated-absence item of its section, so an empty section never reads
 * as a clean bill of health and says which source said what.
 */
import type { Composition, CompositionSection, Resource } from '@medplum/fhirtypes';
import type { ClinicalItem, SectionKey } from '../../../shared/summary';
import { item, nonEmpty, provenanceOf, type MapContext } from './mappers/common';

/** IPS section codes (LOINC) → Samsyn's sections. */
export const IPS_SECTION_CODES: Readonly<Record<string, SectionKey>> = {
  '48765-2': 'allergies',
  '10160-0': 'medications',
  '11450-4': 'problems',
  '30954-2': 'results',
  '11369-6': 'immunizations',
  '47519-4': 'procedures',
  '46240-8': 'encounters',
  '10162-6': 'pregnancy',
  '18776-5': 'carePlans',
  '104605-1': 'alerts',
};

const EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';

function sectionKeyOf(section: CompositionSection): SectionKey | undefined {
  for (const c of section.code?.coding ?? []) {
    if (c.system === 'http://loinc.org' && c.code && IPS_SECTION_CODES[c.code]) return IPS_SECTION_CODES[c.code];
  }
  return undefined;
}

/** The sections of a document Composition stated as empty, as absence items. */
export function emptySectionItems(resource: Resource, ctx: MapContext): ClinicalItem[] {
  if (resource.resourceType !== 'Composition') return [];
  const composition = resource as Composition;
  const out: ClinicalItem[] = [];
  for (const section of composition.section ?? []) {
    const key = sectionKeyOf(section);
    if (!key || (section.entry?.length ?? 0) > 0 || !section.emptyReason) continue;
    const reason = section.emptyReason.coding?.find((c) => c.system === EMPTY_REASON || c.system === undefined)?.code;
    const provenance = provenanceOf(composition, composition.date, ctx);
    const absence = reason === 'nilknown' ? 'noneKnown' : 'noInformation';
    out.push(
      item({
        section: key,
        codes: [],
        text: nonEmpty(section.emptyReason.text) ?? nonEmpty(section.title) ?? key,
        // A medication list stated empty is a statement, like "no current medication".
        details: (key === 'medications' ? { absence, recordKind: 'stated' } : { absence }) as never,
        sealed: false,
        provenance: { ...provenance, recordId: `${provenance.recordId}#section-${section.code?.coding?.[0]?.code ?? key}` },
      }) as ClinicalItem,
    );
  }
  return out;
}
