import { Fragment } from 'react';
import { groupBy } from '../../shared/groupBy';
import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import type { ProvenanceView } from '../model/types';

/** The records of one source behind an item, newest first. */
function bySource(sources: readonly ProvenanceView[]): ProvenanceView[][] {
  const groups = groupBy(sources, (s) => s.sourceId);
  const newest = (p: ProvenanceView) => p.recordedAt ?? p.fetchedAt;
  return [...groups.values()].map((records) => [...records].sort((a, b) => (newest(a) < newest(b) ? 1 : -1)));
}

/**
 * "Region Nord · 2024-03-05" for each source that holds the item; a source
 * with several records of it (refills, repeated prescriptions) is one entry
 * with their number and the latest date, not a line per record.
 */
export function ItemProvenance({ sources }: { sources: readonly ProvenanceView[] }) {
  const { t, date, dateTime, age } = useFormat();
  const now = useNow();
  return (
    <p className="item-provenance" data-testid="item-provenance">
      {bySource(sources).map((records, index) => {
        const source = records[0] as ProvenanceView;
        const recorded = source.recordedAt;
        return (
          <Fragment key={`${source.sourceId}|${source.recordId}`}>
            {index > 0 && <span className="item-provenance__sep">, </span>}
            <span
              className="item-provenance__source"
              data-source-id={source.sourceId}
              title={records
                .map((r) =>
                  t('items.provenanceTitle', {
                    recorded: r.recordedAt ? dateTime(r.recordedAt) : t('items.notStated'),
                    fetched: dateTime(r.fetchedAt),
                    recordId: r.recordId,
                  }),
                )
                .join('\n')}
            >
              {records.length > 1
                ? t('items.provenanceRecords', { source: source.sourceName, count: records.length, date: date(recorded ?? source.fetchedAt) })
                : recorded
                  ? t('items.provenance', { source: source.sourceName, date: date(recorded) })
                  : t('items.provenanceFetched', { source: source.sourceName, date: date(source.fetchedAt) })}
              {source.cached && (
                <span className="item-provenance__age" data-testid="item-age">
                  {' · '}
                  {t('items.cachedAge', { age: age(source.fetchedAt, now) })}
                </span>
              )}
            </span>
          </Fragment>
        );
      })}
    </p>
  );
}
