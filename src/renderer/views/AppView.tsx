import { ConfiguredSources } from '../components/ConfiguredSources';
import { PurposeDialog } from '../components/PurposeDialog';
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';
import { HeaderBar } from './HeaderBar';
import { PatientSummaryView } from './PatientSummaryView';
import { SettingsPanel } from './SettingsPanel';
import { LockScreen, SignInView } from './SignInView';
import { useActivityReporting } from './useActivityReporting';
import { WelcomeView } from './WelcomeView';

function LoadingView({ display }: { display: string }) {
  const { t } = useFormat();
  const appInfo = useSamsyn((s) => s.appInfo);
  return (
    <div className="loading" aria-busy="true" data-testid="patient-loading">
      <p className="loading__text" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('patient.loading', { id: display })}
      </p>
      {appInfo && appInfo.sources.length > 0 && (
        <section className="source-bar">
          <ConfiguredSources sources={appInfo.sources} pending />
        </section>
      )}
    </div>
  );
}

function Footer() {
  const { t } = useFormat();
  const appInfo = useSamsyn((s) => s.appInfo);
  if (!appInfo) return null;
  return (
    <footer className="app-footer">
      {t('app.name')} · {t('app.version', { version: appInfo.version })} · {t(`app.transport.${appInfo.transport}`)}
    </footer>
  );
}

/** Signed out: the sign-in view; locked: the lock screen. No patient view is mounted in either. */
function SessionGate() {
  const session = useSamsyn((s) => s.session);
  useActivityReporting();
  if (!session) return null;
  if (!session.user) return <SignInView />;
  if (session.locked) return <LockScreen />;
  return <PatientArea />;
}

export function AppView() {
  return (
    <div className="app">
      <HeaderBar />
      <main id="main" className="app-main" tabIndex={-1}>
        <SessionGate />
      </main>
      <Footer />
    </div>
  );
}

function PatientArea() {
  const { t, error } = useFormat();
  const selected = useSamsyn((s) => s.selected);
  const summary = useSamsyn((s) => s.summary);
  const loading = useSamsyn((s) => s.loading);
  const failure = useSamsyn((s) => s.error);
  const settingsOpen = useSamsyn((s) => s.settingsOpen);
  const purposeNeeded = useSamsyn((s) => s.purposeNeeded);
  const statePurpose = useSamsyn((s) => s.statePurpose);
  const clearPatient = useSamsyn((s) => s.clearPatient);
  return (
    <>
        {settingsOpen && <SettingsPanel />}
        {purposeNeeded && (
          <PurposeDialog display={purposeNeeded.display} onSubmit={(statement) => void statePurpose(statement)} onCancel={clearPatient} />
        )}
        {failure && (
          <p className="notice notice--error" role="alert" data-testid="summary-error">
            {t('patient.failed', { reason: error(failure.code) })}
          </p>
        )}
        {!selected && <WelcomeView />}
        {selected && loading && <LoadingView display={selected.display} />}
        {selected && summary && !loading && <PatientSummaryView summary={summary} selected={selected} />}
    </>
  );
}
