import type { ComponentType } from 'react';
import type { SectionKey } from '../../shared/summary';
import { ClinicalItemList } from '../components/ClinicalItemList';
import { ResultTable } from '../components/ResultTable';
import type { SummaryItem } from '../model/types';

export interface SectionConfig {
  key: SectionKey;
  titleKey: `sections.titles.${SectionKey}`;
  component: ComponentType<{ items: readonly SummaryItem[] }>;
  /** Critical for safe care: shown first and marked, even when empty. */
  priority: boolean;
}

/** The summary's sections in IPS order; the screen shows exactly this list. */
export const SECTIONS: readonly SectionConfig[] = [
  { key: 'alerts', titleKey: 'sections.titles.alerts', component: ClinicalItemList, priority: true },
  { key: 'allergies', titleKey: 'sections.titles.allergies', component: ClinicalItemList, priority: true },
  { key: 'medications', titleKey: 'sections.titles.medications', component: ClinicalItemList, priority: false },
  { key: 'problems', titleKey: 'sections.titles.problems', component: ClinicalItemList, priority: false },
  { key: 'results', titleKey: 'sections.titles.results', component: ResultTable, priority: false },
  { key: 'immunizations', titleKey: 'sections.titles.immunizations', component: ClinicalItemList, priority: false },
  { key: 'encounters', titleKey: 'sections.titles.encounters', component: ClinicalItemList, priority: false },
  { key: 'procedures', titleKey: 'sections.titles.procedures', component: ClinicalItemList, priority: false },
  { key: 'documents', titleKey: 'sections.titles.documents', component: ClinicalItemList, priority: false },
  { key: 'carePlans', titleKey: 'sections.titles.carePlans', component: ClinicalItemList, priority: false },
  { key: 'pregnancy', titleKey: 'sections.titles.pregnancy', component: ClinicalItemList, priority: false },
  { key: 'homeMeasurements', titleKey: 'sections.titles.homeMeasurements', component: ResultTable, priority: false },
];
