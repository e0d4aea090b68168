import { useState } from 'react';
import { groupBy } from '../../shared/groupBy';
import type { ItemGroup } from '../../shared/summary';
import { isEntry, isStatedAbsence } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { useFormat } from '../i18n/useFormat';
import { ClinicalItemRow } from './ClinicalItemRow';

/** Enough to see a section at a glance; the rest is one click away, so long lists never stall the page. */
export const VISIBLE_ITEMS = 25;

/** Current first; stopped, earlier and inactive ones apart below, each under its heading. */
const GROUP_ORDER: readonly (ItemGroup | 'none')[] = ['none', 'current', 'recentlyStopped', 'history', 'inactive'];

function grouped(items: readonly SummaryItem[]): [ItemGroup | 'none', SummaryItem[]][] {
  const groups = groupBy<SummaryItem, ItemGroup | 'none'>(items, (item) => item.group ?? 'none');
  return GROUP_ORDER.filter((g) => groups.has(g)).map((g) => [g, groups.get(g) as SummaryItem[]]);
}

function ItemGroupList({ items, contradicted }: { items: readonly SummaryItem[]; contradicted: boolean }) {
  const { t } = useFormat();
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? items : items.slice(0, VISIBLE_ITEMS);
  return (
    <>
      <ul className="item-list">
        {visible.map((item) => (
          <ClinicalItemRow key={item.key} item={item} contradicted={contradicted && isStatedAbsence(item)} />
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

export function ClinicalItemList({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  // A "none known" from one source next to real entries from another must be noticed.
  const contradicted = items.some(isEntry);
  const groups = grouped(items);
  if (groups.length === 1 && (groups[0]?.[0] === 'none' || groups[0]?.[0] === 'current')) {
    return <ItemGroupList items={items} contradicted={contradicted} />;
  }
  return (
    <>
      {groups.map(([group, list]) => (
        <div key={group} className={`item-group item-group--${group}`} data-testid={`item-group-${group}`}>
          {group !== 'none' && <h3 className="item-group__title">{t(`sections.groups.${group}`)}</h3>}
          <ItemGroupList items={list} contradicted={contradicted} />
        </div>
      ))}
    </>
  );
}
