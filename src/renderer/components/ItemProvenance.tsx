import { Fragment } from 'react';
import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import type { ProvenanceView } from '../model/types';

/** "Region Nord · 2024-03-05" for each source that holds the item. */
export function ItemProvenance({ sources }: { sources: readonly ProvenanceView[] }) {
  const { t, date, dateTime, age } = useFormat();
  const now = useNow();
  return (
    <p className="item-provenance" data-testid="item-provenance">
      {sources.map((source, index) => (
        <Fragment key={`${source.sourceId}|${source.recordId}`}>
          {index > 0 && <span className="item-provenance__sep">, </span>}
          <span
            className="item-provenance__source"
            data-source-id={source.sourceId}
            title={t('items.provenanceTitle', {
              recorded: source.recordedAt ? dateTime(source.recordedAt) : t('items.notStated'),
              fetched: dateTime(source.fetchedAt),
              recordId: source.recordId,
            })}
          >
            {source.recordedAt
              ? t('items.provenance', { source: source.sourceName, date: date(source.recordedAt) })
              : t('items.provenanceFetched', { source: source.sourceName, date: date(source.fetchedAt) })}
            {source.cached && (
              <span className="item-provenance__age" data-testid="item-age">
                {' · '}
                {t('items.cachedAge', { age: age(source.fetchedAt, now) })}
              </span>
            )}
          </span>
        </Fragment>
      ))}
    </p>
  );
}
