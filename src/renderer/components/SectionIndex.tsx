import { useFormat } from '../i18n/useFormat';
import { SECTIONS, type SectionKey } from '../../shared/sections';
import type { SummaryView } from '../model/types';
import { countEntries } from './SectionPanel';

/** A compact table of contents: every section with its count, one key press away, in the role's order when it has one. */
export function SectionIndex({
  sections,
  offered = () => true,
  order,
  pending,
  onGo,
}: {
  sections: SummaryView['sections'];
  offered?: (key: SectionKey) => boolean;
  order?: readonly SectionKey[] | undefined;
  /** Sections not checked yet (a large summary is checked in two steps): listed without a count until they are. */
  pending?: readonly SectionKey[] | null;
  /** Going to a section opens it, if it was folded. */
  onGo?: (key: SectionKey) => void;
}) {
  const { t } = useFormat();
  const listed = order ? order.flatMap((key) => SECTIONS.filter((s) => s.key === key)) : SECTIONS;
  return (
    <nav className="section-index" aria-label={t('sections.navLabel')}>
      <ul>
        {listed.filter((config) => offered(config.key)).map((config) => {
          const waiting = pending?.includes(config.key) === true;
          const count = waiting ? undefined : countEntries(sections[config.key]);
          return (
            <li key={config.key} className={count === 0 ? 'is-empty' : undefined}>
              <a href={`#section-${config.key}`} onClick={() => onGo?.(config.key)}>
                <span>{t(config.titleKey)}</span>
                <span className="section-index__count">{count}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
