import { useFormat } from '../i18n/useFormat';
import { trendRows } from '../model/trends';
import type { SummaryItem } from '../model/types';
import { LatestValuesTable } from './LatestValuesTable';
import { ResultTable } from './ResultTable';

/**
 * Home measurements: the latest value of each kind with its trend and how many
 * lie outside the care plan's thresholds, who measured it and with what device;
 * every measurement stays listed below.
 */
export function HomeMeasurementsPanel({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  const rows = trendRows(items);
  const devices = [...new Set(items.flatMap((i) => (i.section === 'homeMeasurements' && i.details.device ? [i.details.device] : [])))].sort();
  const byPatient = items.some((i) => i.section === 'homeMeasurements' && i.details.selfReported !== undefined);
  const carePlan = items.some((i) => i.section === 'homeMeasurements' && i.details.thresholds === 'carePlan');
  return (
    <>
      {rows.length > 0 && (
        <div className="home-measurements" data-testid="home-measurements-summary">
          <p className="home-measurements__about">
            {byPatient && (
              <span className="tag tag--neutral" data-testid="measured-by-patient">
                {t('homeMonitoring.byPatient')}
              </span>
            )}
            {carePlan && <span className="tag tag--neutral">{t('homeMonitoring.carePlanThresholds')}</span>}
            {devices.length > 0 && <span className="home-measurements__devices">{t('homeMonitoring.devices', { devices: devices.join(', ') })}</span>}
          </p>
          <LatestValuesTable rows={rows} label={t('homeMonitoring.latest')} testId="home-latest" />
        </div>
      )}
      <ResultTable items={items} />
    </>
  );
}
