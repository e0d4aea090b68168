import { memo, startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { useFormat } from '../i18n/useFormat';
import { PatientBanner } from '../components/PatientBanner';
import { SealedNotice } from '../components/SealedNotice';
import { SectionIndex } from '../components/SectionIndex';
import { collapsedKey, SectionPanel, type SectionContext } from '../components/SectionPanel';
import { setViewStates, useViewUser } from '../components/viewState';
import { SourceStatusBar } from '../components/SourceStatusBar';
import type { SectionKey } from '../../shared/sections';
import { isFailing } from '../model/sourceStates';
import { yearsOld } from '../model/age';
import type { SummaryView } from '../model/types';
import { useSamsyn } from '../store/StoreProvider';
import type { SelectedPatient } from '../store/samsynStore';
import { FIRST_PANELS } from '../api/splitCheck';
import { SECTIONS } from './sections';

/** Below this age (in whole years at the time the summary was compiled) a pregnancy section is not offered. */
export const PREGNANCY_MIN_AGE_YEARS = 10;

/**
 * Whether a section is offered for this patient: the pregnancy section is not
 * where the recorded sex or the age makes it meaningless (a male patient, a
 * child under ten), unless a source has pregnancy data — then it is always shown.
 */
export function offered(key: SectionKey, summary: SummaryView): boolean {
  // A section outside the signed-in role's view was never sent: it is not shown as empty.
  if (summary.view && !summary.view.sections.includes(key)) return false;
  if (key !== 'pregnancy') return true;
  if (summary.sections.pregnancy.length > 0) return true;
  if (summary.patient.gender === 'male') return false;
  const age = summary.patient.birthDate ? yearsOld(summary.patient.birthDate, new Date(summary.generatedAt)) : undefined;
  return age === undefined || age >= PREGNANCY_MIN_AGE_YEARS;
}

/**
 * A section's panel renders again only when its items or context change: an
 * update that left the sections unchanged (issue 13) keeps the same item
 * arrays, so none of the rows is rendered again.
 */
const Panel = memo(SectionPanel);

/** The same object while its content is the same, so memoized panels see no change when an update repeats it. */
function useStableByContent<T>(value: T): T {
  const kept = useRef<{ json: string; value: T } | null>(null);
  const json = JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v] : v));
  if (kept.current?.json !== json) kept.current = { json, value };
  return kept.current.value;
}

/**
 * The first screenful first (issue 13): for a large summary the first panels
 * in the role's order (alerts, allergies and medications in IPS order) are
 * painted with the header, the rest in the next task, as an interruptible
 * transition (FIRST_PANELS, shared with the bridge's two-step check of a
 * large summary, whose other sections wait for their check: pendingSections).
 * A small summary, and printing, render every panel at once.
 */
const FIRST_SCREENFUL = FIRST_PANELS;

/** A summary this small renders whole at once: deferring would only add a frame. */
const SMALL_SUMMARY_ITEMS = 200;

/**
 * How many panels to paint. `phase` names what is shown: when it changes (the
 * sections still on their way arrive, ADR 0032), the first panels stay and the
 * others follow again as a transition, not as one long task.
 */
function usePanelsShown(total: number, printing: boolean, small: boolean, phase: string): number {
  const [allFor, setAllFor] = useState<string | null>(small ? phase : null);
  const all = allFor === phase;
  useEffect(() => {
    if (all) return;
    // After the frame that paints the first panels: a frame callback runs just before that paint, its timer after it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAllFor(phase)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [all, phase]);
  return all || printing || small ? total : Math.min(total, FIRST_SCREENFUL);
}

/**
 * One patient's summary. It is re-rendered whole as each source's update
 * arrives (ADR 0014); sections keep their identity (keyed by section), so what
 * the clinician expanded and where they scrolled stay as they were.
 */
export function PatientSummaryView({ summary, selected }: { summary: SummaryView; selected: SelectedPatient }) {
  const openedAt = useSamsyn((s) => s.openedAt);
  const freshContext = useMemo<SectionContext>(() => {
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
  const context = useStableByContent(freshContext);
  const reveal = useSamsyn((s) => s.reveal);
  const exportIps = useSamsyn((s) => s.exportIps);
  const print = useSamsyn((s) => s.print);
  const printedAt = useSamsyn((s) => s.printedAt);
  const user = useSamsyn((s) => s.session?.user);
  const { t, error, dateTime: formatDateTime } = useFormat();
  const [exported, setExported] = useState<string | null>(null);
  // The role's order (summary.view), else IPS order.
  const order = summary.view?.sections;
  const panels = order ? order.flatMap((key) => SECTIONS.filter((c) => c.key === key)) : SECTIONS;
  const filtered = summary.view?.filtered ?? [];
  const viewUser = useViewUser();
  const desktop = useSamsyn((s) => s.appInfo?.transport === 'electron');
  const printing = useSamsyn((s) => s.printing);
  const shown = panels.filter((config) => offered(config.key, summary));
  // A large summary checked in two steps: the panels of sections not checked yet wait (patientSlice pendingSections).
  const pending = useSamsyn((s) => s.pendingSections);
  const ready = pending ? shown.filter((config) => !pending.includes(config.key)) : shown;
  const waitingPanels = shown.length - ready.length;
  const foldAll = (state: 'open' | 'closed') => setViewStates(viewUser, shown.map((c) => [collapsedKey(c.key), state] as const));
  const printOut = (output?: 'paper' | 'pdf') => {
    void print(output).then((problem) => {
      if (problem) setExported(error(problem.code));
    });
  };
  const itemCount = shown.reduce((n, config) => n + summary.sections[config.key].length, 0);
  const paintedCount = usePanelsShown(ready.length, printing, !pending && itemCount <= SMALL_SUMMARY_ITEMS, pending ? 'pending' : 'complete');
  return (
    <>
      {/* On paper only: who printed it, and when (the access log has it too). */}
      <p className="print-header" data-testid="print-header">
        {t('access.printedBy', {
          user: user ? `${user.displayName}, ${user.careUnit.name}, ${user.organisation.name}` : '',
          time: printedAt ? formatDateTime(printedAt) : '',
          generated: formatDateTime(summary.generatedAt),
        })}
      </p>
      <PatientBanner summary={summary} selected={selected} />
      <SourceStatusBar sources={summary.sources} openedAt={openedAt} />
      <div className="summary-layout">
        <SectionIndex
          sections={summary.sections}
          offered={(key) => offered(key, summary)}
          order={order}
          pending={pending}
          onGo={(key) => setViewStates(viewUser, [[collapsedKey(key), 'open']])}
        />
        <div className="summary-sections">
          <div className="summary-actions">
            <button
              type="button"
              className="button"
              data-testid="export-ips"
              onClick={() => {
                void exportIps().then((result) => {
                  if ('code' in result) {
                    setExported(error(result.code));
                    return;
                  }
                  const url = URL.createObjectURL(new Blob([result.content], { type: result.mediaType }));
                  const link = document.createElement('a');
                  link.href = url;
                  link.download = result.fileName;
                  link.click();
                  URL.revokeObjectURL(url);
                  setExported(t('access.exported', { file: result.fileName }));
                });
              }}
            >
              {t('access.exportIps')}
            </button>
            {desktop ? (
              <>
                {/* The desktop app: the system's print dialog, or a PDF saved where the user chooses. */}
                <button type="button" className="button" data-testid="print" onClick={() => printOut('paper')}>
                  {t('layout.printPaper')}
                </button>
                <button type="button" className="button" data-testid="save-pdf" onClick={() => printOut('pdf')}>
                  {t('layout.savePdf')}
                </button>
              </>
            ) : (
              // The preview: Chromium's print dialog, "Save as PDF" one of its destinations.
              <button type="button" className="button" data-testid="print" onClick={() => printOut()}>
                {t('access.print')}
              </button>
            )}
            <span className="summary-actions__fold">
              <button type="button" className="button button--link" data-testid="expand-all" onClick={() => foldAll('open')}>
                {t('layout.expandAll')}
              </button>
              <button type="button" className="button button--link" data-testid="collapse-all" onClick={() => foldAll('closed')}>
                {t('layout.collapseAll')}
              </button>
            </span>
            {exported && (
              <span role="status" data-testid="export-status">
                {exported}
              </span>
            )}
          </div>
          {summary.sealed?.emergency && (
            <p className="notice notice--error" role="note" data-testid="emergency-access">
              {t('access.emergencyOpen')}
            </p>
          )}
          {filtered.length > 0 && summary.view && (
            <p className="role-note" role="note" data-testid="role-note">
              {t('access.roleNote', {
                role: t(`access.roles.${summary.view.role}`, { defaultValue: summary.view.role }),
                sections: filtered.map((k) => t(`sections.titles.${k}`)).join(', '),
              })}
            </p>
          )}
          <SealedNotice
            count={summary.hiddenSealed}
            notice={summary.sealed}
            names={context.names ?? new Map()}
            onReveal={async (sourceId, basis, reason) => {
              const problem = await reveal(sourceId, basis, reason);
              return problem ? error(problem.code) : null;
            }}
          />
          {waitingPanels > 0 && (
            // Sections still on their way (or being checked): said, never left looking complete (ADR 0032).
            <p className="notice" role="status" data-testid="sections-loading">
              {t('sections.stillLoading', { count: waitingPanels })}
            </p>
          )}
          {ready.slice(0, paintedCount).map((config) => (
            <Panel key={config.key} config={config} items={summary.sections[config.key]} context={context} />
          ))}
        </div>
      </div>
    </>
  );
}
