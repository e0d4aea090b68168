import { useState } from 'react';
import { isEntry, isStatedAbsence } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { useFormat } from '../i18n/useFormat';
import { ClinicalItemRow } from './ClinicalItemRow';

/** Enough to see a section at a glance; the rest is one click away, so long lists never stall the page. */
export const VISIBLE_ITEMS = 25;

export function ClinicalItemList({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  const [showAll, setShowAll] = useState(false);
  // A "none known" from one source next to real entries from another must be noticed.
  const hasEntries = items.some(isEntry);
  const visible = showAll ? items : items.slice(0, VISIBLE_ITEMS);
  return (
    <>
      <ul className="item-list">
        {visible.map((item) => (
          <ClinicalItemRow key={item.key} item={item} contradicted={hasEntries && isStatedAbsence(item)} />
        ))}
      </ul>
      {items.length > VISIBLE_ITEMS && (
        <button type="button" className="button button--link" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? t('sections.showFewer') : t('sections.showAll', { count: items.length })}
        </button>
      )}
    </>
  );
}
