import { Fragment } from 'react';
import { groupBy } from '../../shared/groupBy';
import { useFormat, type Format } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import type { ProvenanceView } from '../model/types';
import { useProvenanceFreshness, type ProvenanceFreshness } from '../store/StoreProvider';

/** The records of one source behind an item, newest first. */
function bySource(sources: readonly ProvenanceView[]): ProvenanceView[][] {
  const groups = groupBy(sources, (s) => s.sourceId);
  const newest = (p: ProvenanceView) => p.recordedAt ?? p.fetchedAt;
  return [...groups.values()].map((records) => [...records].sort((a, b) => (newest(a) < newest(b) ? 1 : -1)));
}

type Fill = (values: Record<string, string>) => string;

/**
 * One translated string with its named values left as markers, filled in by
 * plain string replacement: i18next's lookup and interpolation run once per
 * key (and plural count) and language, not once per row. The heavy patient has
 * thousands of rows, each asking for three or four of these strings.
 */
const templatesByT = new WeakMap<Format['t'], Map<string, Fill>>();
const MARK = '\u0001';

function template(t: Format['t'], key: string, names: readonly string[], count?: number): Fill {
  let cache = templatesByT.get(t);
  if (!cache) templatesByT.set(t, (cache = new Map()));
  const id = count === undefined ? key : `${key}#${count}`;
  let fill = cache.get(id);
  if (!fill) {
    const text: string = t(key, { ...Object.fromEntries(names.map((n) => [n, `${MARK}${n}${MARK}`])), ...(count === undefined ? {} : { count }) });
    const parts = text.split(MARK);
    // Even positions are literal text, odd positions the names of values.
    fill = (values) => parts.map((part, i) => (i % 2 === 0 ? part : (values[part] ?? ''))).join('');
    cache.set(id, fill);
  }
  return fill;
}

/** "sparad, 3 h gammal" per snapshot time, worked out once per render's `now` (every row of a snapshot shares it). */
let ages: { age: Format['age']; t: Format['t']; now: number; words: Map<string, string> } | undefined;

function cachedAgeWords(format: Pick<Format, 't' | 'age'>, fetchedAt: string, now: Date): string {
  if (!ages || ages.age !== format.age || ages.t !== format.t || ages.now !== now.getTime()) {
    ages = { age: format.age, t: format.t, now: now.getTime(), words: new Map() };
  }
  let words = ages.words.get(fetchedAt);
  if (words === undefined) {
    words = template(format.t, 'items.cachedAge', ['age'])({ age: format.age(fetchedAt, now) });
    ages.words.set(fetchedAt, words);
  }
  return words;
}

/** A record as shown: when the summary's sections came unchanged from a refresh, its source's fetch time and cached mark are the refreshed ones. */
function shown(record: ProvenanceView, freshness: ProvenanceFreshness | null): ProvenanceView {
  const fresh = freshness?.[record.sourceId];
  return fresh ? { ...record, fetchedAt: fresh.fetchedAt, cached: fresh.cached } : record;
}

/**
 * "Region Nord · 2024-03-05" for each source that holds the item; a source
 * with several records of it (refills, repeated prescriptions) is one entry
 * with their number and the latest date, not a line per record.
 */
export function ItemProvenance({ sources }: { sources: readonly ProvenanceView[] }) {
  const format = useFormat();
  const { t, date, dateTime } = format;
  const now = useNow();
  const freshness = useProvenanceFreshness();
  const title = template(t, 'items.provenanceTitle', ['recorded', 'fetched', 'recordId']);
  const notStated = template(t, 'items.notStated', [])({});
  const one = template(t, 'items.provenance', ['source', 'date']);
  const fetched = template(t, 'items.provenanceFetched', ['source', 'date']);
  return (
    <p className="item-provenance" data-testid="item-provenance">
      {bySource(sources.map((s) => shown(s, freshness))).map((records, index) => {
        const source = records[0] as ProvenanceView;
        const recorded = source.recordedAt;
        return (
          <Fragment key={`${source.sourceId}|${source.recordId}`}>
            {index > 0 && <span className="item-provenance__sep">, </span>}
            <span
              className="item-provenance__source"
              data-source-id={source.sourceId}
              title={records
                .map((r) => title({ recorded: r.recordedAt ? dateTime(r.recordedAt) : notStated, fetched: dateTime(r.fetchedAt), recordId: r.recordId }))
                .join('\n')}
            >
              {records.length > 1
                ? template(t, 'items.provenanceRecords', ['source', 'date'], records.length)({ source: source.sourceName, date: date(recorded ?? source.fetchedAt) })
                : recorded
                  ? one({ source: source.sourceName, date: date(recorded) })
                  : fetched({ source: source.sourceName, date: date(source.fetchedAt) })}
              {source.cached && (
                <span className="item-provenance__age" data-testid="item-age">
                  {' · '}
                  {cachedAgeWords(format, source.fetchedAt, now)}
                </span>
              )}
            </span>
          </Fragment>
        );
      })}
    </p>
  );
}
