/**
 * Per source and section, what the source said: it has items, it states there
 * are none, it has no information (said so, or sent nothing), or it did not
 * answer. Sealed items count as nothing here: their existence is not told.
 */
import { SECTION_KEYS, type ClinicalItem, type CoverageState, type SectionKey, type SourceCoverage, type SourceStatus } from '../../shared/summary';
import { groupBy } from '../../shared/groupBy';
import { isRetracted } from './merge';

export interface CoveragePart {
  sourceId: string;
  status: SourceStatus;
  items: ClinicalItem[];
}

function answered(status: SourceStatus): boolean {
  return status.state === 'ok' || (status.state === 'cached' && status.fetchedAt !== undefined);
}

function stateOf(items: ClinicalItem[]): CoverageState {
  const visible = items.filter((i) => !i.sealed && !isRetracted(i));
  if (visible.some((i) => i.details.absence === undefined)) return 'items';
  if (visible.some((i) => i.details.absence === 'noneKnown')) return 'noneKnown';
  return 'noInformation';
}

export function coverageOf(parts: readonly CoveragePart[]): SourceCoverage[] {
  // A source still pending has said nothing yet: no entry rather than "did not answer".
  return parts.filter((part) => part.status.state !== 'pending').map((part) => {
    const sections: Partial<Record<SectionKey, CoverageState>> = {};
    const bySection = groupBy(part.items, (item) => item.section);
    for (const key of SECTION_KEYS) sections[key] = answered(part.status) ? stateOf(bySection.get(key) ?? []) : 'notAnswered';
    return { sourceId: part.sourceId, sections };
  });
}
