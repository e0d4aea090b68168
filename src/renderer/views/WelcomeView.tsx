import { ConfiguredSources } from '../components/ConfiguredSources';
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';

export function WelcomeView() {
  const { t, error } = useFormat();
  const appInfo = useSamsyn((s) => s.appInfo);
  const appInfoError = useSamsyn((s) => s.appInfoError);
  return (
    <div className="welcome">
      <h1 className="welcome__title">{t('welcome.title')}</h1>
      <p className="welcome__body">{t('welcome.body')}</p>
      <section className="source-bar source-bar--welcome" aria-labelledby="configured-sources-title">
        <h2 id="configured-sources-title" className="source-bar__title">
          {t('welcome.sourcesHeading')}
        </h2>
        {appInfoError ? (
          <p className="notice notice--error" role="alert">
            {t('app.infoFailed', { reason: error(appInfoError.code) })}
          </p>
        ) : !appInfo ? (
          <p className="muted">{t('app.infoLoading')}</p>
        ) : appInfo.sources.length === 0 ? (
          <p className="notice notice--warning">{t('welcome.noSources')}</p>
        ) : (
          <ConfiguredSources sources={appInfo.sources} pending={false} />
        )}
      </section>
    </div>
  );
}
