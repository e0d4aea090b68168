import { useMemo } from 'react';
import { PatientBanner } from '../components/PatientBanner';
import { SealedNotice } from '../components/SealedNotice';
import { SectionIndex } from '../components/SectionIndex';
import { SectionPanel, type SectionContext } from '../components/SectionPanel';
import { SourceStatusBar } from '../components/SourceStatusBar';
import type { SectionKey } from '../../shared/sections';
import { isFailing } from '../model/sourceStates';
import type { SummaryView } from '../model/types';
import { useSamsyn } from '../store/StoreProvider';
import type { SelectedPatient } from '../store/samsynStore';
import { SECTIONS } from './sections';

/**
 * Whether a section is offered for this patient: the pregnancy section is not,
 * where the recorded sex makes it meaningless, unless a source has pregnancy data.
 */
export function offered(key: SectionKey, summary: SummaryView): boolean {
  if (key !== 'pregnancy') return true;
  return summary.patient.gender !== 'male' || summary.sections.pregnancy.length > 0;
}

/**
 * One patient's summary. It is re-rendered whole as each source's update
 * arrives (ADR 0014); sections keep their identity (keyed by section), so what
 * the clinician expanded and where they scrolled stay as they were.
 */
export function PatientSummaryView({ summary, selected }: { summary: SummaryView; selected: SelectedPatient }) {
  const openedAt = useSamsyn((s) => s.openedAt);
  const context = useMemo<SectionContext>(() => {
    const unanswered = summary.sources.filter((s) => isFailing(s.state)).map((s) => s.name);
    const pending = summary.sources.filter((s) => s.state === 'pending').map((s) => s.name);
    const answered = summary.sources.some((s) => s.state === 'ok' || s.state === 'cached');
    return {
      unanswered,
      pending,
      noneAnswered: !answered && pending.length === 0,
      ...(summary.retracted ? { retracted: summary.retracted } : {}),
      ...(summary.coverage ? { coverage: summary.coverage } : {}),
      names: new Map(summary.sources.map((s) => [s.sourceId, s.name])),
    };
  }, [summary.sources, summary.retracted, summary.coverage]);
  return (
    <>
      <PatientBanner summary={summary} selected={selected} />
      <SourceStatusBar sources={summary.sources} openedAt={openedAt} />
      <div className="summary-layout">
        <SectionIndex sections={summary.sections} offered={(key) => offered(key, summary)} />
        <div className="summary-sections">
          <SealedNotice count={summary.hiddenSealed} />
          {SECTIONS.filter((config) => offered(config.key, summary)).map((config) => (
            <SectionPanel key={config.key} config={config} items={summary.sections[config.key]} context={context} />
          ))}
        </div>
      </div>
    </>
  );
}
