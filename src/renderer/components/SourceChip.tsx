import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import { isFailing } from '../model/sourceStates';
import type { SourceStatusView } from '../model/types';

export function SourceChip({ status }: { status: SourceStatusView }) {
  const { t, error, number, dateTime, age } = useFormat();
  const now = useNow();
  const failing = isFailing(status.state);
  const cached = status.state === 'cached';
  return (
    <li
      className={`source-chip source-chip--${status.state}${failing ? ' source-chip--failing' : ''}`}
      data-testid="source-status"
      data-source-id={status.sourceId}
      data-state={status.state}
      title={status.error}
    >
      <span className="source-chip__head">
        <span className="source-chip__dot" aria-hidden="true" />
        <span className="source-chip__name">{status.name}</span>
        <span className="source-chip__state">{t(`sources.states.${status.state}`)}</span>
      </span>
      {status.error && (
        <span className="source-chip__error" data-testid="source-error">
          {cached ? t('sources.refreshFailed', { reason: error(status.error) }) : error(status.error)}
        </span>
      )}
      {status.notes?.map((note) => (
        <span key={note.code} className="source-chip__note" data-testid="source-note" data-code={note.code}>
          {t('sources.note', { reason: error(note.code), count: note.count })}
        </span>
      ))}
      {status.waiting !== undefined && status.waiting > 0 && (
        <span className="source-chip__note" data-testid="source-waiting">
          {t('sources.waiting', { count: status.waiting })}
        </span>
      )}
      {cached && !status.fetchedAt && <span className="source-chip__age">{t('sources.noCachedCopy')}</span>}
      {status.fetchedAt && (
        // Every answer shows its age; a cached one is never left looking fresh.
        <span className={`source-chip__age${cached ? ' source-chip__age--cached' : ''}`} data-testid="source-age">
          {t('sources.age', { age: age(status.fetchedAt, now) })}
        </span>
      )}
      {status.refreshing && (
        <span className="source-chip__refreshing" data-testid="source-refreshing">
          {t('sources.refreshing')}
        </span>
      )}
      <span className="source-chip__meta">
        {t('sources.items', { count: status.itemCount })}
        {status.ms !== undefined && <> · {t('sources.responseTime', { ms: number(Math.round(status.ms)) })}</>}
        {status.fetchedAt && (
          <>
            {' · '}
            <time dateTime={status.fetchedAt}>{t('sources.fetchedAt', { time: dateTime(status.fetchedAt) })}</time>
          </>
        )}
      </span>
    </li>
  );
}
