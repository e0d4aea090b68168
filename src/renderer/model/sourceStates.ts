import type { SourceState } from '../../shared/summary';

/** States in which a source gave us nothing usable: never quiet, always spelled out. */
export const FAILING_STATES: ReadonlySet<SourceState> = new Set<SourceState>(['failed', 'timeout', 'rejected']);

export function isFailing(state: SourceState): boolean {
  return FAILING_STATES.has(state);
}
