import { LanguageSwitch } from '../components/LanguageSwitch';
import { PatientSearch } from '../components/PatientSearch';
import { useFormat } from '../i18n/useFormat';

export function HeaderBar() {
  const { t } = useFormat();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header__brand">
        <span className="app-header__name">{t('app.name')}</span>
        <span className="app-header__tagline">{t('app.tagline')}</span>
      </div>
      <PatientSearch />
      <LanguageSwitch />
    </header>
  );
}
