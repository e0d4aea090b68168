import type { Ref } from 'react';
import type { SectionKey } from '../../shared/summary';
import { useFormat } from '../i18n/useFormat';
import {
  criticalityOf,
  dosageText,
  isHighCriticality,
  isStatedAbsence,
  isStatedNoInformation,
  reactionText,
} from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { ConflictList } from './ConflictList';
import { DoubleMedicationWarning, ItemHistory, ItemTags } from './ItemMarks';
import { ItemProvenance } from './ItemProvenance';
import type { RowProps } from './VirtualRows';

const ABSENCE_SECTIONS: ReadonlySet<SectionKey> = new Set(['allergies', 'medications', 'problems', 'procedures']);

function sourceNames(item: SummaryItem): string {
  return [...new Set(item.sources.map((s) => s.sourceName))].join(', ');
}

/** A stated "none known" or "no information": a fact from a source, not an empty section. */
function StatementRow({ item, contradicted, rowProps }: { item: SummaryItem; contradicted: boolean; rowProps?: RowProps }) {
  const { t } = useFormat();
  const sources = sourceNames(item);
  const text = isStatedNoInformation(item)
    ? t('items.noInformation', { sources })
    : ABSENCE_SECTIONS.has(item.section)
      ? t(`items.absence.${item.section}`, { sources })
      : t('items.absence.other', { text: item.text, sources });
  return (
    <li
      ref={rowProps?.ref as Ref<HTMLLIElement> | undefined}
      data-index={rowProps?.['data-index']}
      className="item item--statement"
      data-testid="summary-item"
      data-absence="true"
    >
      <p className="item__statement">{text}</p>
      {contradicted && <p className="item__warning">{t('items.absenceContradicted')}</p>}
      <ItemProvenance sources={item.sources} />
    </li>
  );
}

const STATUS_DATE_KEYS: ReadonlySet<string> = new Set(['refuted', 'resolved', 'inactive']);

/**
 * When an allergy stopped being current ("Avskriven 2021-03-02"): de-labelling
 * is clinically important, so the date says what it is — the source's own
 * status date, or only the record's last change when that is all it gave.
 */
function StatusDate({ item }: { item: SummaryItem }) {
  const { t, date } = useFormat();
  if (item.section !== 'allergies' || !item.details.statusDate) return null;
  const kind = item.details.statusDateKind === 'lastUpdated'
    ? 'lastUpdated'
    : item.status && STATUS_DATE_KEYS.has(item.status) ? item.status : 'other';
  return (
    <p className="item__detail" data-testid="status-date">
      {t(`items.statusDate.${kind}`, { date: date(item.details.statusDate) })}
    </p>
  );
}

export function ClinicalItemRow({
  item,
  contradicted = false,
  rowProps,
}: {
  item: SummaryItem;
  contradicted?: boolean;
  /** Set when the row lives in a virtualized list: the list measures it. */
  rowProps?: RowProps;
}) {
  const { t, date, value, status } = useFormat();
  if (isStatedAbsence(item) || isStatedNoInformation(item)) {
    return <StatementRow item={item} contradicted={contradicted} rowProps={rowProps} />;
  }
  const critical = isHighCriticality(item);
  const criticality = criticalityOf(item);
  const reactions = reactionText(item);
  const dosage = dosageText(item);
  return (
    <li
      ref={rowProps?.ref as Ref<HTMLLIElement> | undefined}
      data-index={rowProps?.['data-index']}
      className={`item${critical ? ' item--critical' : ''}${item.conflicts.length > 0 ? ' item--conflict' : ''}`}
      data-testid="summary-item"
    >
      <div className="item__line">
        <span className="item__text">{item.text}</span>
        {item.value !== undefined && <span className="item__value">{value(item.value)}</span>}
        {criticality && (
          <span className={`tag${critical ? ' tag--critical' : ''}`}>
            {t(`items.criticality.${criticality}`, { defaultValue: criticality })}
          </span>
        )}
        {critical && !criticality && <span className="tag tag--critical">{t('items.critical')}</span>}
        <ItemTags item={item} />
        {item.status && <span className="tag">{status(item.status)}</span>}
        {item.sealed && <span className="tag tag--sealed">{t('items.sealed')}</span>}
        {item.date && (
          <span className="item__date">
            {t(`items.dateLabels.${item.section}`)}{' '}
            <time dateTime={item.date}>{date(item.date)}</time>
          </span>
        )}
      </div>
      {reactions && <p className="item__detail">{t('items.reaction', { text: reactions })}</p>}
      <StatusDate item={item} />
      {dosage && <p className="item__detail">{t('items.dosage', { text: dosage })}</p>}
      <DoubleMedicationWarning item={item} />
      <ConflictList item={item} />
      <ItemHistory item={item} />
      <ItemProvenance sources={item.sources} />
    </li>
  );
}
