/**
 * The screen's sections: the shared section table (src/shared/sections.ts)
 * with the component that shows each section's items. Sections not listed in
 * BODIES show a plain item list.
 */
import type { ComponentType } from 'react';
import { SECTIONS as SECTION_TABLE, type SectionKey } from '../../shared/sections';
import { ClinicalItemList } from '../components/ClinicalItemList';
import { DocumentsPanel } from '../components/DocumentsPanel';
import { HomeMeasurementsPanel } from '../components/HomeMeasurementsPanel';
import { MedicationsPanel } from '../components/MedicationsPanel';
import { PregnancyCard } from '../components/PregnancyCard';
import { ResultTable } from '../components/ResultTable';
import type { SectionConfig } from '../components/SectionPanel';
import type { SummaryItem } from '../model/types';

type SectionBody = ComponentType<{ items: readonly SummaryItem[] }>;

const BODIES: Partial<Record<SectionKey, SectionBody>> = {
  results: ResultTable,
  homeMeasurements: HomeMeasurementsPanel,
  pregnancy: PregnancyCard,
  documents: DocumentsPanel,
  medications: MedicationsPanel,
};

/** The summary's sections in IPS order; the screen shows exactly this list. */
export const SECTIONS: readonly SectionConfig[] = SECTION_TABLE.map((s) => ({
  key: s.key,
  titleKey: s.titleKey,
  priority: s.critical,
  component: BODIES[s.key] ?? ClinicalItemList,
}));
