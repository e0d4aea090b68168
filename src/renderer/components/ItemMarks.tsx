import { useFormat } from '../i18n/useFormat';
import { isUnconfirmed, recordKindOf } from '../model/itemDetails';
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
      {reconciliation && (
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
