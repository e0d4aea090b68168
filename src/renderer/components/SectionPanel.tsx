import { useFormat } from '../i18n/useFormat';
import type { CoverageState, SourceCoverage } from '../../shared/summary';
import { isCountedEntry } from '../model/itemDetails';
import type { ComponentType } from 'react';
import type { SectionKey } from '../../shared/sections';
import type { SummaryItem } from '../model/types';

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

/** "Region Nord: inga kända · Region Syd: ingen information · Kommun Väst: svarade inte" */
function CoverageLine({ section, context }: { section: SectionKey; context: SectionContext }) {
  const { t } = useFormat();
  const entries = (context.coverage ?? [])
    .map((c) => [c.sourceId, c.sections[section]] as const)
    .filter((e): e is readonly [string, CoverageState] => e[1] !== undefined);
  if (entries.length === 0) return null;
  return (
    <p className="section__coverage" data-testid="section-coverage">
      {entries
        .map(([sourceId, state]) => t('sections.coverageEntry', { source: context.names?.get(sourceId) ?? sourceId, state: t(`sections.coverage.${state}`) }))
        .join(' · ')}
    </p>
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
  return (
    <section
      id={`section-${config.key}`}
      className={classes}
      data-testid={`section-${config.key}`}
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <header className="section__header">
        <h2 id={headingId} className="section__title">
          {t(config.titleKey)}
        </h2>
        {entries > 0 && <span className="section__count">{entries}</span>}
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
        <Body items={items} />
      )}
      {(context.retracted?.[config.key] ?? 0) > 0 && (
        <p className="section__retracted" data-testid="section-retracted">
          {t('sections.retracted', { count: context.retracted?.[config.key] ?? 0 })}
        </p>
      )}
    </section>
  );
}
