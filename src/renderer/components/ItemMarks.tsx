import { useFormat } from '../i18n/useFormat';
import { isUnconfirmed, nationalListRecordOf, nationalMatchOf, recordKindOf } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';

/** Marks that change how an item is read: corrected, unconfirmed, what kind of record, how sources compare. */
export function ItemTags({ item }: { item: SummaryItem }) {
  const { t } = useFormat();
  const kind = recordKindOf(item);
  const reconciliation = item.reconciliation;
  const only = item.sources[0]?.sourceName ?? '';
  return (
    <>
      {item.corrected && (
        <span className="tag tag--corrected" data-testid="item-corrected">
          {t('items.corrected')}
        </span>
      )}
      {isUnconfirmed(item) && <span className="tag tag--unconfirmed">{t('items.unconfirmed')}</span>}
      {kind && <span className="tag tag--kind">{t(`items.recordKinds.${kind}`)}</span>}
      {(item.relevance ?? []).map((kind) => (
        <span key={kind} className="tag tag--relevance" data-testid="item-relevance" data-kind={kind}>
          {t(`access.kinds.${kind}`)}
        </span>
      ))}
      <NationalListTags item={item} />
      {reconciliation && !nationalListRecordOf(item) && (
        <span className={`tag tag--reconciliation tag--${reconciliation.class}`} data-testid="item-reconciliation" data-class={reconciliation.class}>
          {t(`items.reconciliation.${reconciliation.class}`, { source: only })}
        </span>
      )}
    </>
  );
}

/** A possible double medication, in words: never only a colour. */
export function DoubleMedicationWarning({ item }: { item: SummaryItem }) {
  const { t } = useFormat();
  if (!item.doubleMedication) return null;
  return (
    <p className="item__warning" role="note" data-testid="double-medication">
      {t('items.doubleMedication')}
    </p>
  );
}

/** What a correction replaced: kept and shown, never silently dropped. */
export function ItemHistory({ item }: { item: SummaryItem }) {
  const { t, date, value } = useFormat();
  if (!item.history || item.history.length === 0) return null;
  return (
    <ul className="item-history" data-testid="item-history">
      {item.history.map((h) => (
        <li key={`${h.provenance.sourceId}|${h.provenance.recordId}`}>
          {t('items.history', {
            value: h.value !== undefined ? value(h.value) : h.text,
            source: h.provenance.sourceName,
            date: date(h.provenance.recordedAt ?? h.date ?? h.provenance.fetchedAt),
          })}
        </li>
      ))}
    </ul>
  );
}

/**
 * A national medication list's record, labelled for what it is (list and
 * country, prescription or dispensing, last dispensing, multi-dose) and never
 * as "the patient takes this"; a care unit's medication, what the national
 * list holds for it.
 */
export function NationalListTags({ item }: { item: SummaryItem }) {
  const { t, date } = useFormat();
  const record = nationalListRecordOf(item);
  const match = nationalMatchOf(item);
  if (record) {
    return (
      <>
        <span className="tag tag--national" data-testid="national-list" data-country={record.country} title={t('national.notIntake')}>
          {t('national.list', { country: record.country })}
        </span>
        {record.multiDose && (
          <span className="tag tag--multidose" data-testid="multi-dose">
            {t('national.multiDose')}
          </span>
        )}
        {record.lastDispensed && (
          <span className="tag tag--dispensed" data-testid="last-dispensed">
            {record.lastDispensedAmount
              ? t('national.lastDispensedAmount', { date: date(record.lastDispensed), amount: record.lastDispensedAmount })
              : t('national.lastDispensed', { date: date(record.lastDispensed) })}
            {record.dispenseCount ? ` · ${t('national.dispenseCount', { dispensings: record.dispenseCount })}` : ''}
          </span>
        )}
        {item.careUnits && (
          <span
            className={`tag tag--care-units${item.careUnits.length === 0 ? ' tag--warning' : ''}`}
            data-testid="national-care-units"
          >
            {item.careUnits.length === 0
              ? t('national.noCareUnit')
              : t('national.careUnits', { sources: item.careUnits.join(', ') })}
          </span>
        )}
      </>
    );
  }
  if (!match) return null;
  return (
    <span
      className={`tag tag--national-match tag--national-${match}`}
      data-testid="national-match"
      data-match={match}
    >
      {t(`national.match.${match}`, { date: item.nationalList?.lastDispensed ? date(item.nationalList.lastDispensed) : '' })}
    </span>
  );
}
