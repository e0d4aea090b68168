import { groupBy } from '../../shared/groupBy';
import type { ItemGroup } from '../../shared/summary';
import { isEntry, isStatedAbsence } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { useFormat } from '../i18n/useFormat';
import { ClinicalItemRow } from './ClinicalItemRow';
import { VirtualRows } from './VirtualRows';

/** Current first; stopped, earlier and inactive ones apart below, each under its heading. */
const GROUP_ORDER: readonly (ItemGroup | 'none')[] = ['none', 'current', 'recentlyStopped', 'history', 'inactive'];

function grouped(items: readonly SummaryItem[]): [ItemGroup | 'none', SummaryItem[]][] {
  const groups = groupBy<SummaryItem, ItemGroup | 'none'>(items, (item) => item.group ?? 'none');
  return GROUP_ORDER.filter((g) => groups.has(g)).map((g) => [g, groups.get(g) as SummaryItem[]]);
}

/**
 * Every item of a group, in a virtualized list once it is long (thousands of
 * medications, care contacts or documents keep only the visible rows in the
 * DOM); `renderAll` renders every row (print).
 */
function ItemGroupList({ items, contradicted, renderAll }: { items: readonly SummaryItem[]; contradicted: boolean; renderAll: boolean }) {
  const { t } = useFormat();
  return (
    <VirtualRows
      kind="list"
      items={items}
      getKey={(item) => item.key}
      estimateSize={88}
      renderAll={renderAll}
      label={t('sections.listLabel', { count: items.length })}
      listClassName="item-list"
      testId="item-list"
      renderRow={(item, _i, rowProps) => (
        <ClinicalItemRow item={item} contradicted={contradicted && isStatedAbsence(item)} rowProps={rowProps} />
      )}
    />
  );
}

export function ClinicalItemList({ items, renderAll = false }: { items: readonly SummaryItem[]; renderAll?: boolean }) {
  const { t } = useFormat();
  // A "none known" from one source next to real entries from another must be noticed.
  const contradicted = items.some(isEntry);
  const groups = grouped(items);
  if (groups.length === 1 && (groups[0]?.[0] === 'none' || groups[0]?.[0] === 'current')) {
    return <ItemGroupList items={items} contradicted={contradicted} renderAll={renderAll} />;
  }
  return (
    <>
      {groups.map(([group, list]) => (
        <div key={group} className={`item-group item-group--${group}`} data-testid={`item-group-${group}`}>
          {group !== 'none' && <h3 className="item-group__title">{t(`sections.groups.${group}`)}</h3>}
          <ItemGroupList items={list} contradicted={contradicted} renderAll={renderAll} />
        </div>
      ))}
    </>
  );
}
