import { useEffect, useState } from 'react';
import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import { isFailing } from '../model/sourceStates';
import type { SourceStatusView } from '../model/types';

/** Whole seconds since `since` (local clock, ms), re-read every second while shown. */
function useSecondsSince(since: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.floor((now - since) / 1_000));
}

/** A spinner and the seconds waited so far, for a source still being asked. */
function Waiting({ since }: { since: number }) {
  const { t } = useFormat();
  const seconds = useSecondsSince(since);
  return (
    <span className="source-chip__waiting" data-testid="source-waiting-time" role="status">
      <span className="spinner spinner--small" aria-hidden="true" /> {t('sources.elapsed', { seconds })}
    </span>
  );
}

/**
 * One source's state in words: answered, cached with its age, failed with the
 * reason, deadline passed after N s — and, while it is still being asked
 * (`openedAt` given), a spinner with the seconds waited.
 */
export function SourceChip({ status, openedAt }: { status: SourceStatusView; openedAt?: number | null }) {
  const { t, error, number, dateTime, age } = useFormat();
  const now = useNow();
  const failing = isFailing(status.state);
  const cached = status.state === 'cached';
  const working = status.state === 'pending' || status.refreshing === true;
  // A deadline that passed is said with its length, a limit passed with its value; any other failure by its reason.
  const reason =
    status.error === 'SOURCE_TIMEOUT' && status.deadlineMs !== undefined
      ? t('sources.deadlinePassed', { seconds: number(Math.round(status.deadlineMs / 1_000)) })
      : status.error === 'SOURCE_RESPONSE_TOO_LARGE' && status.limit !== undefined
        ? t(`sources.tooLarge.${status.limit.name}`, {
            max: number(status.limit.name === 'bytes' ? Math.round((status.limit.max / 1_048_576) * 10) / 10 : status.limit.max),
          })
        : status.error && error(status.error);
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
      {working && openedAt != null && <Waiting since={openedAt} />}
      {status.error && (
        <span className="source-chip__error" data-testid="source-error">
          {cached ? t('sources.refreshFailed', { reason }) : reason}
        </span>
      )}
      {status.notes?.map((note) => (
        <span key={note.code} className="source-chip__note" data-testid="source-note" data-code={note.code}>
          {t('sources.note', { reason: error(note.code), count: note.count })}
        </span>
      ))}
      {status.skipped !== undefined && status.skipped.count > 0 && (
        // Records of the answer that could not be read: left out, and said with how many.
        <span className="source-chip__note" data-testid="source-skipped" data-code={status.skipped.code} title={error(status.skipped.code)}>
          {t('sources.skipped', { count: status.skipped.count })}
        </span>
      )}
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
      {status.state !== 'pending' && (
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
      )}
    </li>
  );
}
