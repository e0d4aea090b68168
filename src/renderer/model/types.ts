import type { MergedItem, Provenance, SourceStatus, Summary } from '../../shared/summary';

/** The summary as it arrives over the bridge (already schema-checked). */
export type SummaryView = Summary;
/** One merged fact as it arrives over the bridge. */
export type SummaryItem = MergedItem;
export type SourceStatusView = SourceStatus;
export type ProvenanceView = Provenance;
