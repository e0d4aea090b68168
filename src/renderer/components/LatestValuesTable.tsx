import { useFormat } from '../i18n/useFormat';
import { isOutside, type TrendRow } from '../model/trends';
import { ItemProvenance } from './ItemProvenance';

const ARROWS = { up: '↑', down: '↓', same: '→' } as const;

/**
 * The latest value of each measurement with its date, the value before it and
 * a trend arrow; values outside the thresholds marked in words, never by colour
 * alone. The trend charts themselves are the series table's (ResultTable,
 * TrendChart) shown below it by the home-measurement and pregnancy panels.
 */
export function LatestValuesTable({ rows, label, testId }: { rows: readonly (TrendRow & { label?: string })[]; label: string; testId: string }) {
  const { t, date, value } = useFormat();
  if (rows.length === 0) return null;
  return (
    <table className="latest-values" data-testid={testId} aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('trends.measurement')}</th>
          <th scope="col">{t('trends.latest')}</th>
          <th scope="col">{t('trends.previous')}</th>
          <th scope="col">{t('trends.outside')}</th>
          <th scope="col">{t('trends.source')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const outside = isOutside(row.latest);
          return (
            <tr key={row.code} data-testid="latest-value" data-code={row.code} className={outside ? 'is-outside' : undefined}>
              <th scope="row">{row.label ?? row.text}</th>
              <td>
                <span className="latest-values__value">{row.latest.value !== undefined ? value(row.latest.value) : '–'}</span>
                {row.direction && (
                  <span className="latest-values__arrow" title={t(`trends.direction.${row.direction}`)} aria-label={t(`trends.direction.${row.direction}`)}>
                    {' '}
                    {ARROWS[row.direction]}
                  </span>
                )}
                {outside && (
                  <span className="tag tag--warning" data-testid="outside-threshold">
                    {t(`trends.outsideMark.${outside}`)}
                  </span>
                )}
                {row.latest.date && (
                  <>
                    {' '}
                    <time className="latest-values__date" dateTime={row.latest.date}>
                      {date(row.latest.date)}
                    </time>
                  </>
                )}
              </td>
              <td>
                {row.previous?.value !== undefined ? value(row.previous.value) : '–'}
                {row.previous?.date && (
                  <>
                    {' '}
                    <time className="latest-values__date" dateTime={row.previous.date}>
                      {date(row.previous.date)}
                    </time>
                  </>
                )}
              </td>
              <td>{t('trends.outsideCount', { outside: row.outsideCount, total: row.count })}</td>
              <td>
                <ItemProvenance sources={row.latest.sources} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
