import { useMemo } from 'react';
import { useFormat } from '../i18n/useFormat';
import type { SummaryItem } from '../model/types';
import { useSamsyn } from '../store/StoreProvider';
import { ClinicalItemList } from './ClinicalItemList';
import { ReconciliationTable } from './ReconciliationTable';
import { useViewState } from './viewState';

export const MEDICATION_VIEW_KEY = 'medications:view';

/**
 * The medications section: the list (current first, stopped apart) or the
 * reconciliation across sources ("Avstämning"); the choice is kept for the
 * session (viewState.ts). Print prints the one shown.
 */
/** The two ways to see the medications, in the switch's order. */
const VIEWS = [
  { view: 'list', testId: 'medication-view-list', label: 'recon.list' },
  { view: 'reconcile', testId: 'medication-view-reconcile', label: 'recon.reconcile' },
] as const;

export function MedicationsPanel({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  const [view, setView] = useViewState<'list' | 'reconcile'>(MEDICATION_VIEW_KEY, 'list');
  const sources = useSamsyn((s) => s.summary?.sources);
  const order = useMemo(() => (sources ?? []).map((s) => ({ sourceId: s.sourceId, name: s.name })), [sources]);
  return (
    <>
      <div className="view-switch" role="group" aria-label={t('recon.switchLabel')} data-testid="medication-view-switch">
        {VIEWS.map(({ view: option, testId, label }) => (
          <button
            key={option}
            type="button"
            className="view-switch__button"
            aria-pressed={view === option}
            data-testid={testId}
            onClick={() => setView(option)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {view === 'reconcile' ? <ReconciliationTable items={items} sourceOrder={order} /> : <ClinicalItemList items={items} />}
    </>
  );
}
