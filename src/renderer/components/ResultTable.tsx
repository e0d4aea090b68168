import { useMemo, useState, type ReactNode } from 'react';
import { displayUnit } from '../i18n/formatters';
import { useFormat, type Format } from '../i18n/useFormat';
import { groupResults, type ResultGroup } from '../model/groupResults';
import { interpretationOf, referenceRangeOf, type ReferenceRange } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { ConflictList } from './ConflictList';
import { ItemHistory, ItemTags } from './ItemMarks';
import { ItemProvenance } from './ItemProvenance';

/** Tests shown before "show all": one screen of the heavy patient, not two thousand rows. */
export const VISIBLE_TESTS = 40;
/** Earlier values shown when a test's history is opened, before "show all". */
export const VISIBLE_EARLIER = 20;
const COLUMNS = 6;

function rangeWords(range: ReferenceRange, format: Format): string {
  const n = (q: NonNullable<ReferenceRange['low']>) => format.number(q.value);
  const unit = displayUnit(range.high?.unit ?? range.low?.unit);
  const withUnit = (s: string) => (unit ? `${s} ${unit}` : s);
  if (range.low && range.high) return withUnit(`${n(range.low)}–${n(range.high)}`);
  if (range.low) return withUnit(`≥ ${n(range.low)}`);
  if (range.high) return withUnit(`≤ ${n(range.high)}`);
  return range.text ?? '';
}

function ResultRow({ item, history, children }: { item: SummaryItem; history: boolean; children?: ReactNode }) {
  const format = useFormat();
  const { t, date, value, status } = format;
  const interpretation = interpretationOf(item);
  const range = referenceRangeOf(item);
  const flagged = interpretation?.severity === 'critical' || interpretation?.severity === 'abnormal';
  return (
    <>
      <tr
        className={`result-row${history ? ' result-row--history' : ''}${interpretation ? ` result-row--${interpretation.severity}` : ''}`}
        data-testid="summary-item"
      >
        <th scope="row" className="result-row__test">
          <span className="result-row__name">{item.text}</span>
          {item.status && item.status !== 'final' && !item.corrected && <span className="tag">{status(item.status)}</span>}
          <ItemTags item={item} />
          {item.sealed && <span className="tag tag--sealed">{t('items.sealed')}</span>}
          {children}
        </th>
        <td className={`result-row__value${flagged ? ' is-flagged' : ''}`}>
          {item.value !== undefined ? value(item.value) : '–'}
        </td>
        <td className="result-row__range">{range ? rangeWords(range, format) : ''}</td>
        <td className="result-row__interpretation">
          {interpretation && (
            <span className={`flag flag--${interpretation.severity}`}>
              {interpretation.code ? t(`interpretation.${interpretation.code}`) : interpretation.text}
            </span>
          )}
        </td>
        <td className="result-row__date">{item.date && <time dateTime={item.date}>{date(item.date)}</time>}</td>
        <td className="result-row__source">
          <ItemProvenance sources={item.sources} />
        </td>
      </tr>
      {(item.conflicts.length > 0 || (item.history?.length ?? 0) > 0) && (
        <tr className="result-row__conflicts">
          <td colSpan={COLUMNS}>
            <ConflictList item={item} />
            <ItemHistory item={item} />
          </td>
        </tr>
      )}
    </>
  );
}

function ResultGroupRows({ group }: { group: ResultGroup }) {
  const { t } = useFormat();
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState(false);
  const earlier = all ? group.earlier : group.earlier.slice(0, VISIBLE_EARLIER);
  return (
    <tbody className="result-group">
      <ResultRow item={group.latest} history={false}>
        {group.earlier.length > 0 && (
          <button
            type="button"
            className="button button--link result-row__history-toggle"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? t('results.hideEarlier') : t('results.earlier', { count: group.earlier.length })}
          </button>
        )}
      </ResultRow>
      {open && (
        <>
          {earlier.map((item) => (
            <ResultRow key={item.key} item={item} history />
          ))}
          {group.earlier.length > earlier.length && (
            <tr className="result-row--more">
              <td colSpan={COLUMNS}>
                <button type="button" className="button button--link" onClick={() => setAll(true)}>
                  {t('results.showAllEarlier', { count: group.earlier.length })}
                </button>
              </td>
            </tr>
          )}
        </>
      )}
    </tbody>
  );
}

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
      <ul className="item-list">
        {items.map((item) => (
          <li key={item.key} className="item" data-testid="result-note">
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
        ))}
      </ul>
    </div>
  );
}

/** Results grouped per test: the latest value up front, the history folded away; text notes apart. */
export function ResultTable({ items: all }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  const [items, notes] = useMemo(() => [all.filter((i) => !isTextNote(i)), all.filter(isTextNote)] as const, [all]);
  const groups = useMemo(() => groupResults(items), [items]);
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? groups : groups.slice(0, VISIBLE_TESTS);
  return (
    <>
      <div className="table-scroll">
        <table className="result-table">
          <thead>
            <tr>
              <th scope="col">{t('results.test')}</th>
              <th scope="col">{t('results.value')}</th>
              <th scope="col">{t('results.referenceRange')}</th>
              <th scope="col">{t('results.interpretation')}</th>
              <th scope="col">{t('results.date')}</th>
              <th scope="col">{t('results.source')}</th>
            </tr>
          </thead>
          {visible.map((group) => (
            <ResultGroupRows key={group.key} group={group} />
          ))}
        </table>
      </div>
      {groups.length > VISIBLE_TESTS && (
        <button type="button" className="button button--link" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? t('sections.showFewer') : t('results.showAllTests', { count: groups.length })}
        </button>
      )}
      <TextNotes items={notes} />
    </>
  );
}
