import { useFormat, type Format } from '../i18n/useFormat';
import type { SummaryItem } from '../model/types';

type Conflict = SummaryItem['conflicts'][number];

function valueWords(conflict: Conflict, value: string, format: Format): string {
  if (conflict.field === 'date') return format.date(value);
  if (conflict.field === 'status') return format.status(value);
  if (conflict.field === 'frequency') return format.frequency(value);
  return value;
}

/** One entry per source and value: repeated records of the same fact add nothing to read. */
function uniqueValues(conflict: Conflict): Conflict['values'] {
  const seen = new Set<string>();
  return conflict.values.filter((v) => {
    const key = `${v.sourceId}\u0000${v.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where sources disagree, every version is shown side by side; none is chosen for the clinician. */
export function ConflictList({ item }: { item: SummaryItem }) {
  const format = useFormat();
  const { t } = format;
  if (item.conflicts.length === 0) return null;
  const nameOf = (sourceId: string) => item.sources.find((s) => s.sourceId === sourceId)?.sourceName ?? sourceId;
  return (
    <div className="conflicts" data-testid="item-conflicts">
      {item.conflicts.map((conflict) => (
        <div className="conflict" key={conflict.field} role="group" aria-label={t('items.conflict', { field: t(`items.conflictFields.${conflict.field}`) })}>
          <p className="conflict__label">{t('items.conflict', { field: t(`items.conflictFields.${conflict.field}`) })}</p>
          <ul className="conflict__values">
            {uniqueValues(conflict).map((v) => (
              <li key={`${v.sourceId}|${v.value}`} className="conflict__value">
                <span className="conflict__source">{nameOf(v.sourceId)}</span>
                <span className="conflict__text">{valueWords(conflict, v.value, format)}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
