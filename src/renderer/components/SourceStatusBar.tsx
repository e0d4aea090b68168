import { useFormat } from '../i18n/useFormat';
import type { SourceStatusView } from '../model/types';
import { isFailing } from '../model/sourceStates';
import { SourceChip } from './SourceChip';

/** Every source's state; those still being asked show a spinner with the seconds since `openedAt`. */
export function SourceStatusBar({ sources, openedAt }: { sources: readonly SourceStatusView[]; openedAt?: number | null }) {
  const { t } = useFormat();
  const failing = sources.filter((s) => isFailing(s.state)).length;
  return (
    <section className="source-bar" aria-label={t('sources.heading')}>
      <h2 className="source-bar__title">{t('sources.heading')}</h2>
      <ul className="source-bar__list">
        {sources.map((status) => (
          <SourceChip key={status.sourceId} status={status} openedAt={openedAt ?? null} />
        ))}
      </ul>
      {failing > 0 && (
        <p className="source-bar__warning" role="status" data-testid="sources-incomplete">
          {t('sources.incomplete', { count: failing, total: sources.length })}
        </p>
      )}
    </section>
  );
}
