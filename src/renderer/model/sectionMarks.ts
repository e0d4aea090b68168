/**
 * What a section's header shows even when it is folded away: how many items
 * are critical, disputed between sources, or a possible double medication
 * (current entries only: a stopped medication's old dispute is history).
 */
import { isCountedEntry, isHighCriticality } from './itemDetails';
import type { SummaryItem } from './types';

export interface SectionMarks {
  critical: number;
  conflicts: number;
  doubleMedication: number;
}

export function sectionMarks(items: readonly SummaryItem[]): SectionMarks {
  const marks: SectionMarks = { critical: 0, conflicts: 0, doubleMedication: 0 };
  for (const item of items) {
    if (!isCountedEntry(item)) continue;
    if (isHighCriticality(item)) marks.critical += 1;
    if (item.conflicts.length > 0) marks.conflicts += 1;
    if (item.doubleMedication) marks.doubleMedication += 1;
  }
  return marks;
}
