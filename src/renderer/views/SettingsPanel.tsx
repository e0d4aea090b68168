import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';

/** Settings: for now the encrypted local cache, its counts and "Töm cache". */
export function SettingsPanel() {
  const { t, error } = useFormat();
  const status = useSamsyn((s) => s.cacheStatus);
  const failure = useSamsyn((s) => s.cacheError);
  const cleared = useSamsyn((s) => s.cacheCleared);
  const clearCache = useSamsyn((s) => s.clearCache);
  const close = useSamsyn((s) => s.closeSettings);
  return (
    <section
      className="settings-panel"
      aria-labelledby="settings-title"
      data-testid="settings-panel"
      // Escape closes the panel from any of its controls.
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <div className="settings-panel__head">
        <h2 id="settings-title">{t('settings.title')}</h2>
        <button type="button" className="button" onClick={close} data-testid="settings-close">
          {t('settings.close')}
        </button>
      </div>
      <h3>{t('settings.cacheHeading')}</h3>
      {!status ? (
        <p className="muted">{t('settings.loading')}</p>
      ) : status.available ? (
        <p data-testid="cache-info">
          {t('settings.cacheInfo', {
            patients: status.patients,
            snapshots: status.snapshots,
            hours: status.retentionHours,
          })}
        </p>
      ) : (
        <p className="notice notice--warning" data-testid="cache-info">
          {t('settings.cacheOff', { reason: error(status.error ?? 'CACHE_UNAVAILABLE') })}
        </p>
      )}
      {(status?.setAsideFiles ?? 0) > 0 && (
        <p data-testid="cache-set-aside">{t('settings.setAside', { count: status?.setAsideFiles ?? 0, hours: status?.retentionHours ?? 0 })}</p>
      )}
      <button
        type="button"
        className="button button--danger"
        onClick={() => void clearCache()}
        disabled={!status?.available}
        data-testid="cache-clear"
      >
        {t('settings.clear')}
      </button>
      {cleared !== null && (
        <p role="status" data-testid="cache-clear-result">
          {t('settings.cleared', { removed: cleared })}
        </p>
      )}
      {failure && (
        <p className="notice notice--error" role="alert" data-testid="cache-clear-result">
          {t('settings.clearFailed', { reason: error(failure.code) })}
        </p>
      )}
    </section>
  );
}
