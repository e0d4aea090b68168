import { type Ref, useMemo } from 'react';
import { useFormat } from '../i18n/useFormat';
import { RECON_FIELDS, reconcileTable, type ReconCell, type ReconRow, type ReconSource } from '../model/reconciliation';
import type { SummaryItem } from '../model/types';
import { VirtualRows } from './VirtualRows';

/** One source's statement: every field, the ones that differ marked in words and a sign, never by colour alone. */
function Cell({ cell, source }: { cell: ReconCell | undefined; source: ReconSource }) {
  const { t, status, frequency } = useFormat();
  if (!cell) {
    return (
      <td className="recon__cell recon__cell--absent" data-testid="recon-cell" data-source={source.sourceId} data-absent="true">
        <span aria-hidden="true" className="recon__absent-sign">
          –
        </span>
        <span className="visually-hidden">{t('recon.notInSource', { source: source.name })}</span>
      </td>
    );
  }
  return (
    <td
      className={`recon__cell${cell.differs.length > 0 ? ' recon__cell--differs' : ''}`}
      data-testid="recon-cell"
      data-source={source.sourceId}
      data-differs={cell.differs.join(' ') || undefined}
    >
      <dl className="recon__fields">
        {RECON_FIELDS.filter((f) => cell.values[f].length > 0 || cell.differs.includes(f)).map((field) => {
          const differs = cell.differs.includes(field);
          const values = cell.values[field].map((v) => (field === 'status' ? status(v) : field === 'frequency' ? frequency(v) : v));
          return (
            <div key={field} className={`recon__field${differs ? ' recon__field--differs' : ''}`} data-field={field} data-differs={differs || undefined}>
              <dt>{t(`recon.fields.${field}`)}</dt>
              <dd>
                {differs && (
                  <span className="recon__diff-sign" aria-hidden="true">
                    ≠
                  </span>
                )}
                {values.length > 0 ? values.join(', ') : <span className="muted">{t('recon.notStated')}</span>}
                {differs && <span className="visually-hidden">{` (${t('recon.differs')})`}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      {(cell.records > 1 || cell.cached) && (
        <p className="recon__meta">
          {[cell.records > 1 ? t('recon.records', { count: cell.records }) : '', cell.cached ? t('recon.cached') : ''].filter(Boolean).join(' · ')}
        </p>
      )}
    </td>
  );
}

/** The row's header: the medication, how the sources compare, current or stopped, possible double medication. */
function RowHeader({ row, sources }: { row: ReconRow; sources: readonly ReconSource[] }) {
  const { t } = useFormat();
  const only = sources.find((s) => row.cells.has(s.sourceId))?.name ?? '';
  const stopped = row.group !== 'current' && row.group !== 'none';
  return (
    <th scope="row" className="recon__medication">
      <span className="recon__text">{row.text}</span>
      {row.substance && <span className="recon__substance">{row.substance}</span>}
      <span className="recon__marks">
        <span className={`tag recon__group${stopped ? ' recon__group--stopped' : ''}`} data-testid="recon-group">
          {t(`recon.groups.${row.group === 'none' ? 'current' : row.group}`)}
        </span>
        {row.national ? (
          <span className="tag tag--national">{t('recon.national')}</span>
        ) : (
          <span className={`tag tag--${row.class}`} data-testid="recon-class">
            {row.class === 'similar' && <span aria-hidden="true">{'≠ '}</span>}
            {row.class === 'identical' && <span aria-hidden="true">{'= '}</span>}
            {row.class === 'similar'
              ? t('recon.differsIn', { fields: row.differing.map((f) => t(`recon.fields.${f}`).toLowerCase()).join(', ') })
              : row.class === 'identical'
                ? t('recon.identicalIn', { count: row.cells.size })
                : t('recon.onlyIn', { source: only })}
          </span>
        )}
        {row.recordKind && <span className="tag tag--kind">{t(`items.recordKinds.${row.recordKind}`)}</span>}
      </span>
      {row.doubleMedication && (
        <span className="recon__double" data-testid="recon-double">
          <span aria-hidden="true">⚠ </span>
          {t('items.doubleMedication')}
        </span>
      )}
      {row.dosage && <span className="recon__dosage">{t('items.dosage', { text: row.dosage })}</span>}
    </th>
  );
}

/**
 * Medication reconciliation (issue 11 item 4): columns per source, rows per
 * substance as the merge grouped them, each cell that source's statement.
 * Virtualized once long (the heavy patient); printing renders every row.
 */
export function ReconciliationTable({
  items,
  sourceOrder,
  renderAll = false,
}: {
  items: readonly SummaryItem[];
  sourceOrder?: readonly ReconSource[];
  renderAll?: boolean;
}) {
  const { t } = useFormat();
  const table = useMemo(() => reconcileTable(items, sourceOrder), [items, sourceOrder]);
  const { rows, sources, counts } = table;
  if (rows.length === 0) {
    return (
      <p className="section__empty" data-testid="recon-empty">
        {t('recon.empty')}
      </p>
    );
  }
  // Only the kinds present: "3 substanser: 1 skiljer sig, 2 lika i alla källor".
  const kinds = (['similar', 'single', 'identical'] as const).filter((k) => counts[k] > 0).map((k) => t(`recon.parts.${k}`, { count: counts[k] }));
  const summary = `${t('recon.substances', { count: rows.length })}: ${kinds.join(', ')}`;
  return (
    <div className="recon" data-testid="reconciliation">
      <p className="recon__summary" data-testid="recon-summary">
        {summary}
        {counts.doubleMedication > 0 && (
          <strong className="recon__summary-double">
            {' · '}
            {t('recon.doubleCount', { count: counts.doubleMedication })}
          </strong>
        )}
      </p>
      {table.statedNone.length > 0 && (
        <p className="recon__none" data-testid="recon-stated-none">
          {t('recon.statedNone', { sources: table.statedNone.join(', ') })}
        </p>
      )}
      <VirtualRows
        kind="table"
        items={rows}
        columns={sources.length + 1}
        getKey={(row) => row.key}
        estimateSize={110}
        renderAll={renderAll}
        maxHeight="70vh"
        label={t('recon.tableLabel', { count: rows.length })}
        testId="recon-table"
        className="recon__scroll"
        tableClassName="recon__table"
        head={
          <>
            <caption className="recon__caption">
              {t('recon.caption')}
              <span className="recon__legend">{t('recon.legend')}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('recon.medication')}</th>
                {sources.map((s) => (
                  <th scope="col" key={s.sourceId} data-testid="recon-source">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
          </>
        }
        renderRow={(row, _i, rowProps) => (
          <tr
            ref={rowProps.ref as Ref<HTMLTableRowElement> | undefined}
            data-index={rowProps['data-index']}
            className={`recon__row recon__row--${row.class}${row.doubleMedication ? ' recon__row--double' : ''}${row.group !== 'current' && row.group !== 'none' ? ' recon__row--stopped' : ''}`}
            data-testid="recon-row"
            data-class={row.class}
            data-group={row.group}
            data-double={row.doubleMedication || undefined}
          >
            <RowHeader row={row} sources={sources} />
            {sources.map((s) => (
              <Cell key={s.sourceId} cell={row.cells.get(s.sourceId)} source={s} />
            ))}
          </tr>
        )}
      />
    </div>
  );
}
