import { memo, useCallback, useMemo, useState, type Ref } from 'react';
import { displayUnit } from '../i18n/formatters';
import { useFormat, type Format } from '../i18n/useFormat';
import { interpretationOf, referenceRangeOf, type ReferenceRange } from '../model/itemDetails';
import {
  abnormalityOf,
  buildSeries,
  filterSeries,
  panelValue,
  timeOf,
  trendOf,
  type Abnormality,
  type ResultSeries,
  type SeriesPoint,
} from '../model/resultSeries';
import type { SummaryItem } from '../model/types';
import { ConflictList } from './ConflictList';
import { ItemHistory, ItemTags } from './ItemMarks';
import { ItemProvenance } from './ItemProvenance';
import { TrendChart } from './TrendChart';
import { VirtualRows, type RowProps } from './VirtualRows';

const COLUMNS = 7;
const SERIES_COLUMNS = 4;

export type SortOrder = 'newest' | 'oldest';

function rangeWords(range: ReferenceRange, format: Format): string {
  const n = (q: NonNullable<ReferenceRange['low']>) => format.number(q.value);
  const unit = displayUnit(range.high?.unit ?? range.low?.unit);
  const withUnit = (s: string) => (unit ? `${s} ${unit}` : s);
  if (range.low && range.high) return withUnit(`${n(range.low)}–${n(range.high)}`);
  if (range.low) return withUnit(`≥ ${n(range.low)}`);
  if (range.high) return withUnit(`≤ ${n(range.high)}`);
  return range.text ?? '';
}

/** The value as shown: a blood pressure panel as "138/78 mmHg", else the value as sent. */
function valueText(item: SummaryItem, format: Format): string {
  const panel = panelValue(item);
  if (panel) return panel.text;
  return item.value !== undefined ? format.value(item.value) : '–';
}

/** The same shapes the chart draws, in text: the table marks abnormal values by shape too. */
function shapeSymbol(a: Abnormality | undefined): string {
  if (!a || a.severity === 'normal' || a.severity === 'unknown') return '';
  if (a.severity === 'critical') return '◆';
  return a.direction === 'high' ? '▲' : a.direction === 'low' ? '▼' : '■';
}

/** The flag in words: the source's own flag, else "above/below range" from our comparison. */
function FlagCell({ item }: { item: SummaryItem }) {
  const { t } = useFormat();
  const interpretation = interpretationOf(item);
  const abnormality = abnormalityOf(item);
  const symbol = shapeSymbol(abnormality);
  let words: string | undefined;
  if (interpretation) words = interpretation.code ? t(`interpretation.${interpretation.code}`) : interpretation.text;
  else if (abnormality?.by === 'range' && abnormality.direction) words = t(`results.byRange.${abnormality.direction}`);
  if (!words) return null;
  const severity = abnormality?.severity ?? interpretation?.severity ?? 'unknown';
  return (
    <span className={`flag flag--${severity}`} data-testid="result-flag" data-severity={severity}>
      {symbol && (
        <span className="flag__shape" aria-hidden="true">
          {symbol}{' '}
        </span>
      )}
      {words}
    </span>
  );
}

function isFlagged(item: SummaryItem): boolean {
  const s = abnormalityOf(item)?.severity;
  return s === 'critical' || s === 'abnormal';
}

/** The chart's text alternative: latest value, range, trend direction, how many values over which years. */
function chartLabel(series: ResultSeries, format: Format): string {
  const { t, date } = format;
  const parts = [
    t('results.chartLatest', { test: series.name, value: valueText(series.latest, format) }),
  ];
  if (series.range) parts.push(t('results.chartRange', { range: rangeWords(series.range, format) }));
  const trend = trendOf(series);
  if (trend) parts.push(t(`results.trend.${trend}`));
  const first = series.points[0];
  const last = series.points[series.points.length - 1];
  if (first && last && first.item.date && last.item.date) {
    parts.push(t('results.chartCount', { count: series.points.length, from: date(first.item.date), to: date(last.item.date) }));
  }
  return parts.join(', ');
}

function pointWords(point: SeriesPoint, format: Format): string {
  const { t, date } = format;
  const v = valueText(point.item, format);
  const flag = point.abnormality && point.abnormality.severity !== 'normal' && point.abnormality.severity !== 'unknown'
    ? ` ${shapeSymbol(point.abnormality)}`
    : '';
  return `${point.item.date ? date(point.item.date) : ''}: ${v}${flag} · ${t('results.pointSources', { sources: point.sources.join(', ') })}`;
}

function ShapeLegend() {
  const { t } = useFormat();
  return (
    <p className="trend-legend" data-testid="trend-legend">
      <span className="trend-legend__item trend-legend__item--normal">● {t('results.legend.normal')}</span>
      <span className="trend-legend__item trend-legend__item--abnormal">▲ {t('results.legend.high')}</span>
      <span className="trend-legend__item trend-legend__item--abnormal">▼ {t('results.legend.low')}</span>
      <span className="trend-legend__item trend-legend__item--critical">◆ {t('results.legend.critical')}</span>
      <span className="trend-legend__item trend-legend__item--band">▭ {t('results.legend.band')}</span>
    </p>
  );
}

/** Rows re-render while scrolling only when what they show changed. */
function sameRow<P extends { rowProps: RowProps }>(a: P, b: P): boolean {
  for (const k of Object.keys(a) as (keyof P)[]) {
    if (k === 'rowProps') continue;
    if (a[k] !== b[k]) return false;
  }
  return a.rowProps.ref === b.rowProps.ref && a.rowProps['data-index'] === b.rowProps['data-index'];
}

/** One value of a series in its full table: date, value, flag, source. */
const SeriesValueRow = memo(function SeriesValueRow({ item, rowProps }: { item: SummaryItem; rowProps: RowProps }) {
  const format = useFormat();
  const { date, status, t } = format;
  return (
    <tr
      ref={rowProps.ref as Ref<HTMLTableRowElement>}
      data-index={rowProps['data-index']}
      className={`series-row${isFlagged(item) ? ' series-row--flagged' : ''}`}
      data-testid="series-row"
    >
      <td className="series-row__date">{item.date ? <time dateTime={item.date}>{date(item.date)}</time> : '–'}</td>
      <td className={`series-row__value${isFlagged(item) ? ' is-flagged' : ''}`}>
        {valueText(item, format)}
        {item.status && item.status !== 'final' && !item.corrected && <span className="tag">{status(item.status)}</span>}
        <ItemTags item={item} />
        {item.sealed && <span className="tag tag--sealed">{t('items.sealed')}</span>}
        <ConflictList item={item} />
        <ItemHistory item={item} />
      </td>
      <td className="series-row__flag">
        <FlagCell item={item} />
      </td>
      <td className="series-row__source">
        <ItemProvenance sources={item.sources} />
      </td>
    </tr>
  );
}, sameRow);

/** An opened series: the large chart, its legend, and every value in a virtualized table. */
function SeriesDetail({ series, order }: { series: ResultSeries; order: SortOrder }) {
  const format = useFormat();
  const { t } = format;
  const items = useMemo(() => (order === 'newest' ? series.items : [...series.items].reverse()), [series, order]);
  const describe = useCallback((p: SeriesPoint) => pointWords(p, format), [format]);
  const renderRow = useCallback(
    (item: SummaryItem, _i: number, rowProps: RowProps) => <SeriesValueRow item={item} rowProps={rowProps} />,
    [],
  );
  return (
    <div className="series-detail" data-testid="series-detail">
      {series.points.length > 0 && (
        <>
          <TrendChart series={series} size="large" label={chartLabel(series, format)} describePoint={describe} formatDate={format.date} />
          <ShapeLegend />
        </>
      )}
      <VirtualRows
        kind="table"
        items={items}
        columns={SERIES_COLUMNS}
        getKey={(item) => item.key}
        estimateSize={29}
        maxHeight="320px"
        threshold={12}
        label={t('results.seriesLabel', { test: series.name, count: items.length })}
        testId="series-table"
        className="series-scroll"
        tableClassName="series-table"
        head={
          <thead>
            <tr>
              <th scope="col">{t('results.date')}</th>
              <th scope="col">{t('results.valueColumn')}</th>
              <th scope="col">{t('results.interpretation')}</th>
              <th scope="col">{t('results.source')}</th>
            </tr>
          </thead>
        }
        renderRow={renderRow}
      />
    </div>
  );
}

const SeriesRows = memo(function SeriesRows({
  series,
  open,
  onToggle,
  order,
  rowProps,
}: {
  series: ResultSeries;
  open: boolean;
  onToggle: (key: string) => void;
  order: SortOrder;
  rowProps: RowProps;
}) {
  const format = useFormat();
  const { t, date } = format;
  const item = series.latest;
  const range = series.range ?? referenceRangeOf(item);
  const abnormality = abnormalityOf(item);
  const detailId = `series-${series.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <tbody
      ref={rowProps.ref as Ref<HTMLTableSectionElement>}
      data-index={rowProps['data-index']}
      className={`result-group${abnormality ? ` result-group--${abnormality.severity}` : ''}`}
      data-testid="result-series"
      data-series-name={series.name}
    >
      <tr className={`result-row${abnormality ? ` result-row--${abnormality.severity}` : ''}`} data-testid="summary-item">
        <th scope="row" className="result-row__test">
          <span className="result-row__name" data-testid="result-name">
            {series.name}
          </span>
          {series.unitSplit && series.unit && (
            <span className="tag tag--unit" data-testid="unit-split">
              {t('results.unitSplit', { unit: displayUnit(series.unit) ?? series.unit })}
            </span>
          )}
          {item.status && item.status !== 'final' && !item.corrected && <span className="tag">{format.status(item.status)}</span>}
          <ItemTags item={item} />
          {item.sealed && <span className="tag tag--sealed">{t('items.sealed')}</span>}
          {series.items.length > 1 && (
            <button
              type="button"
              className="button button--link result-row__history-toggle"
              aria-expanded={open}
              aria-controls={detailId}
              data-testid="series-toggle"
              onClick={() => onToggle(series.key)}
            >
              {open ? t('results.hideSeries') : t('results.showSeries', { count: series.items.length })}
            </button>
          )}
          <ConflictList item={item} />
          <ItemHistory item={item} />
        </th>
        <td className="result-row__trend">
          {series.points.length > 1 && <TrendChart series={series} size="small" label={chartLabel(series, format)} />}
        </td>
        <td className={`result-row__value${isFlagged(item) ? ' is-flagged' : ''}`}>{valueText(item, format)}</td>
        <td className="result-row__range">{range ? rangeWords(range, format) : ''}</td>
        <td className="result-row__interpretation">
          <FlagCell item={item} />
        </td>
        <td className="result-row__date">{item.date && <time dateTime={item.date}>{date(item.date)}</time>}</td>
        <td className="result-row__source">
          <ItemProvenance sources={item.sources} />
        </td>
      </tr>
      {open && (
        <tr className="result-row__detail" id={detailId}>
          <td colSpan={COLUMNS}>
            <SeriesDetail series={series} order={order} />
          </td>
        </tr>
      )}
    </tbody>
  );
}, sameRow);

/**
 * A text answer or note (a nursing note, an assessment written out) rather
 * than a measured value: it reads as prose, so it stands apart from lab rows.
 */
export function isTextNote(item: SummaryItem): boolean {
  if (typeof item.value !== 'string') return false;
  // A panel (blood pressure) reads its values from components: a measurement, not a note.
  if ((item.section === 'results' || item.section === 'homeMeasurements' || item.section === 'pregnancy') && (item.details.components?.length ?? 0) > 0) return false;
  const type = item.section === 'results' || item.section === 'homeMeasurements' || item.section === 'pregnancy' ? item.details.valueType?.toUpperCase() : undefined;
  return type === 'TX' || type === 'FT' || (type === undefined && item.value.length > 40 && /\s/.test(item.value));
}

function TextNotes({ items }: { items: readonly SummaryItem[] }) {
  const { t, date } = useFormat();
  if (items.length === 0) return null;
  return (
    <div className="result-notes" data-testid="result-notes">
      <h3 className="item-group__title">{t('results.notesHeading')}</h3>
      <VirtualRows
        kind="list"
        items={items}
        getKey={(item) => item.key}
        estimateSize={96}
        label={t('results.notesHeading')}
        listClassName="item-list"
        renderRow={(item, _i, rowProps) => (
          <li ref={rowProps.ref as Ref<HTMLLIElement>} data-index={rowProps['data-index']} className="item" data-testid="result-note">
            <div className="item__line">
              <span className="item__text">{item.text}</span>
              {item.date && (
                <span className="item__date">
                  {t(`items.dateLabels.${item.section}`)} <time dateTime={item.date}>{date(item.date)}</time>
                </span>
              )}
            </div>
            <p className="item__detail item__note">{item.value as string}</p>
            <ItemProvenance sources={item.sources} />
          </li>
        )}
      />
    </div>
  );
}

/**
 * Results as series per test: the latest value with unit, range and flag, a
 * sparkline, and on request the large chart with every value in a virtualized
 * table. A text filter by test name and a date sort; text notes apart.
 */
export function ResultTable({ items: all, renderAll = false }: { items: readonly SummaryItem[]; renderAll?: boolean }) {
  const format = useFormat();
  const { t } = format;
  const [items, notes] = useMemo(() => [all.filter((i) => !isTextNote(i)), all.filter(isTextNote)] as const, [all]);
  const localized = useCallback((loinc: string) => t(`labNames.${loinc}`, { defaultValue: '' }) || undefined, [t]);
  const series = useMemo(() => buildSeries(items, localized), [items, localized]);
  const [filter, setFilter] = useState('');
  const [order, setOrder] = useState<SortOrder>('newest');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const shown = useMemo(() => {
    const list = filterSeries(series, filter);
    return order === 'newest' ? list : list.sort((a, b) => timeOf(a.latest) - timeOf(b.latest) || a.name.localeCompare(b.name));
  }, [series, filter, order]);
  const toggle = useCallback(
    (key: string) =>
      setOpen((prev) => {
        const next = new Set(prev);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [],
  );
  const renderSeries = useCallback(
    (s: ResultSeries, _i: number, rowProps: RowProps) => (
      <SeriesRows series={s} open={open.has(s.key)} onToggle={toggle} order={order} rowProps={rowProps} />
    ),
    [open, order, toggle],
  );
  return (
    <div className="results">
      {items.length > 0 && (
        <div className="results__toolbar">
          <label className="results__filter">
            <span className="results__filter-label">{t('results.filterLabel')}</span>
            <input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder={t('results.filterPlaceholder')}
              data-testid="results-filter"
            />
          </label>
          <button
            type="button"
            className="button results__sort"
            data-testid="results-sort"
            data-order={order}
            onClick={() => setOrder(order === 'newest' ? 'oldest' : 'newest')}
          >
            {t(order === 'newest' ? 'results.sortNewest' : 'results.sortOldest')}
          </button>
          <span className="results__count" aria-live="polite">
            {t('results.testCount', { count: shown.length })}
          </span>
        </div>
      )}
      {items.length > 0 && shown.length === 0 && (
        <p className="results__none" data-testid="results-none">
          {t('results.noMatch', { text: filter.trim() })}
        </p>
      )}
      {shown.length > 0 && (
        <VirtualRows
          kind="table"
          bodies
          items={shown}
          columns={COLUMNS}
          getKey={(s) => s.key}
          estimateSize={52}
          threshold={40}
          maxHeight="75vh"
          renderAll={renderAll}
          label={t('results.listLabel', { count: shown.length })}
          testId="result-list"
          className="table-scroll"
          tableClassName="result-table"
          head={
            <thead>
              <tr>
                <th scope="col">{t('results.test')}</th>
                <th scope="col">{t('results.trendColumn')}</th>
                <th scope="col">{t('results.value')}</th>
                <th scope="col">{t('results.referenceRange')}</th>
                <th scope="col">{t('results.interpretation')}</th>
                <th scope="col">{t('results.date')}</th>
                <th scope="col">{t('results.source')}</th>
              </tr>
            </thead>
          }
          renderRow={renderSeries}
        />
      )}
      <TextNotes items={notes} />
    </div>
  );
}
