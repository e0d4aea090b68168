import type { SectionKey } from '../../shared/summary';
import type { SummaryView } from '../store/samsynStore';

/** One merged fact as it arrives over the bridge (already schema-checked). */
export type SummaryItem = SummaryView['sections'][SectionKey][number];
export type SourceStatusView = SummaryView['sources'][number];
export type ProvenanceView = SummaryItem['sources'][number];
