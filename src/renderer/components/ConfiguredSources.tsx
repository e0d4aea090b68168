import { useFormat } from '../i18n/useFormat';
import type { AppInfo } from '../store/samsynStore';

/** The sources Samsyn will ask, shown before any patient is opened (and while fetching). */
export function ConfiguredSources({ sources, pending }: { sources: AppInfo['sources']; pending: boolean }) {
  const { t } = useFormat();
  return (
    <ul className="source-bar__list">
      {sources.map((source) => (
        <li
          key={source.id}
          className={`source-chip source-chip--configured${pending ? ' is-pending' : ''}`}
          data-testid="configured-source"
          data-source-id={source.id}
        >
          <span className="source-chip__head">
            <span className="source-chip__dot" aria-hidden="true" />
            <span className="source-chip__name">{source.name}</span>
            <span className="source-chip__state">
              {pending ? t('sources.pending') : t(`sources.kinds.${source.kind}`, { defaultValue: source.kind })}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
