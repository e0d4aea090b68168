/**
 * A summary as the service hands it to a transport: either a Summary, or —
 * answered from the cache — a pre-serialized envelope whose sections are still
 * the JSON bytes the cache stored (pure ASCII, see cache/asciiJson). The
 * preview sends those bytes as they are; Electron's IPC, the CLI and tests
 * materialize the envelope into a Summary. The envelope is explicit in the
 * types, so nobody reads stored bytes by accident.
 */
import type { Sections, Summary } from '../../shared/summary';

export interface PreserializedSummary {
  readonly kind: 'preserialized-summary';
  /** Every field but the sections. */
  readonly head: Omit<Summary, 'sections'>;
  /** The sections as ASCII-only JSON. */
  readonly sectionsJson: Buffer;
}

export type SummaryAnswer = Summary | PreserializedSummary;

export function preserialized(head: Omit<Summary, 'sections'>, sectionsJson: Buffer): PreserializedSummary {
  return { kind: 'preserialized-summary', head, sectionsJson };
}

export function isPreserialized(value: unknown): value is PreserializedSummary {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'preserialized-summary';
}

/** The answer as a Summary: an envelope's sections parsed (a new object each call). */
export function materializeSummary(answer: SummaryAnswer): Summary {
  if (!isPreserialized(answer)) return answer;
  return { ...answer.head, sections: JSON.parse(answer.sectionsJson.toString('latin1')) as Sections };
}
