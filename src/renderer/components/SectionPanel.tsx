import { useFormat } from '../i18n/useFormat';
import type { CoverageState, SourceCoverage } from '../../shared/summary';
import { isCountedEntry } from '../model/itemDetails';
import type { ComponentType } from 'react';
import type { SectionKey } from '../../shared/sections';
import type { SummaryItem } from '../model/types';
import { sectionMarks } from '../model/sectionMarks';
import { useSamsyn } from '../store/StoreProvider';
import { useViewState } from './viewState';

/** One section on screen: its row of the section table and the component for its items. */
export interface SectionConfig {
  key: SectionKey;
  titleKey: `sections.titles.${string}`;
  component: ComponentType<{ items: readonly SummaryItem[] }>;
  /** Critical for safe care: shown first and marked, even when empty. */
  priority: boolean;
}

export interface SectionContext {
  /** Names of sources that gave nothing (failed, timed out, rejected). */
  unanswered: readonly string[];
  /** Names of sources still being asked (no answer, no cached copy yet). */
  pending?: readonly string[];
  /** True when no source answered at all. */
  noneAnswered: boolean;
  /** Records their sources retracted, by section. */
  retracted?: Partial<Record<SectionKey, number>>;
  /** What each source said about each section. */
  coverage?: readonly SourceCoverage[];
  /** Source names by id. */
  names?: ReadonlyMap<string, string>;
}

/** Entries that count: facts about the patient (not "none known"), current ones where items are grouped. */
export function countEntries(items: readonly SummaryItem[]): number {
  return items.filter(isCountedEntry).length;
}

/** The order of a section's coverage groups: a source that did not answer first, then what sources said. */
const COVERAGE_ORDER: readonly CoverageState[] = ['notAnswered', 'noneKnown', 'noInformation', 'noneOfKind', 'items'];

/**
 * What each source said about a section, sources grouped by what they said:
 * "Svarade inte: Kommun Väst · Inga kända: Region Nord · Ingen information: Region Syd, Helse Vest".
 * Every source is still named; nine sources saying the same thing are one group, not nine entries.
 */
export function CoverageLine({ section, context }: { section: SectionKey; context: SectionContext }) {
  const { t } = useFormat();
  const groups = new Map<CoverageState, string[]>();
  for (const c of context.coverage ?? []) {
    const state = c.sections[section];
    if (state === undefined) continue;
    const names = groups.get(state) ?? [];
    names.push(context.names?.get(c.sourceId) ?? c.sourceId);
    groups.set(state, names);
  }
  if (groups.size === 0) return null;
  const ordered = COVERAGE_ORDER.filter((state) => groups.has(state));
  return (
    <p className="section__coverage" data-testid="section-coverage">
      {ordered.map((state, index) => (
        <span key={state} data-coverage-state={state}>
          {index > 0 ? ' · ' : ''}
          {t('sections.coverageGroup', { state: t(`sections.coverage.${state}`), sources: (groups.get(state) ?? []).join(', ') })}
        </span>
      ))}
    </p>
  );
}

/** The view-state key of a section's folded state. */
export function collapsedKey(section: SectionKey): string {
  return `collapsed:${section}`;
}

/** Critical, disputed and double-medication counts, in words: shown folded or not. */
function HeaderMarks({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  const marks = sectionMarks(items);
  return (
    <>
      {marks.critical > 0 && (
        <span className="tag tag--critical" data-testid="section-mark-critical">
          {t('layout.marks.critical', { count: marks.critical })}
        </span>
      )}
      {marks.doubleMedication > 0 && (
        <span className="tag tag--warning" data-testid="section-mark-double">
          {t('layout.marks.doubleMedication', { count: marks.doubleMedication })}
        </span>
      )}
      {marks.conflicts > 0 && (
        <span className="tag tag--similar" data-testid="section-mark-conflicts">
          {t('layout.marks.conflicts', { count: marks.conflicts })}
        </span>
      )}
    </>
  );
}

export function SectionPanel({
  config,
  items,
  context,
}: {
  config: SectionConfig;
  items: readonly SummaryItem[];
  context: SectionContext;
}) {
  const { t } = useFormat();
  const headingId = `section-${config.key}-title`;
  const entries = countEntries(items);
  const Body = config.component;
  // "Nothing recorded" and "we could not ask" are different answers; never show one as the other.
  const waitingFor = context.pending ?? [];
  const emptyText = context.noneAnswered
    ? t('sections.emptyAllFailed')
    : waitingFor.length > 0
      ? t('sections.emptyPending', { sources: waitingFor.join(', ') })
      : context.unanswered.length > 0
      ? t('sections.emptySomeFailed', { sources: context.unanswered.join(', ') })
      : (context.coverage ?? []).some((c) => c.sections[config.key] === 'noneOfKind')
        ? t('sections.emptyNoneOfKind')
        : t('sections.empty');
  const classes = [
    'section',
    config.priority ? 'section--priority' : '',
    config.priority && entries > 0 ? 'section--alerting' : '',
    items.length === 0 ? 'section--empty' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const [folded, setFolded] = useViewState<'open' | 'closed'>(collapsedKey(config.key), 'open');
  // Print prints every section open, whatever is folded on screen.
  const printing = useSamsyn((s) => s.printing);
  const collapsed = folded === 'closed' && !printing;
  const bodyId = `section-${config.key}-body`;
  const countLabel = t('layout.count', { count: entries });
  return (
    <section
      id={`section-${config.key}`}
      className={`${classes}${collapsed ? ' section--collapsed' : ''}`}
      data-testid={`section-${config.key}`}
      data-collapsed={collapsed || undefined}
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <header className="section__header">
        {items.length === 0 ? (
          <h2 id={headingId} className="section__title">
            {t(config.titleKey)}
          </h2>
        ) : (
          <h2 id={headingId} className="section__title">
            <button
              type="button"
              className="section__toggle"
              aria-expanded={!collapsed}
              aria-controls={bodyId}
              data-testid="section-toggle"
              onClick={() => setFolded(collapsed ? 'open' : 'closed')}
            >
              <span className="section__chevron" aria-hidden="true">
                {collapsed ? '▸' : '▾'}
              </span>
              {t(config.titleKey)}
              {entries > 0 && <span className="visually-hidden">{`, ${countLabel}`}</span>}
            </button>
          </h2>
        )}
        {entries > 0 && (
          <span className="section__count" aria-hidden="true" data-testid="section-count">
            {entries}
          </span>
        )}
        <HeaderMarks items={items} />
        {collapsed && <span className="section__folded">{t('layout.folded')}</span>}
      </header>
      {items.length === 0 ? (
        <>
          <p
            className={`section__empty${context.unanswered.length > 0 || waitingFor.length > 0 ? ' section__empty--incomplete' : ''}`}
            data-testid="empty-section"
          >
            {emptyText}
          </p>
          <CoverageLine section={config.key} context={context} />
        </>
      ) : (
        <div id={bodyId} className="section__body" hidden={collapsed}>
          <Body items={items} />
        </div>
      )}
      {(context.retracted?.[config.key] ?? 0) > 0 && (
        <p className="section__retracted" data-testid="section-retracted">
          {t('sections.retracted', { count: context.retracted?.[config.key] ?? 0 })}
        </p>
      )}
    </section>
  );
}
