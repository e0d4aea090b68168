import { useRef } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PatientSearch } from '../components/PatientSearch';
import { useStickyHeight } from '../components/useStickyHeight';
import { UserBanner } from '../components/UserBanner';
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';

export function HeaderBar() {
  const { t } = useFormat();
  const settingsOpen = useSamsyn((s) => s.settingsOpen);
  const openSettings = useSamsyn((s) => s.openSettings);
  const closeSettings = useSamsyn((s) => s.closeSettings);
  const header = useRef<HTMLElement>(null);
  // The patient header sticks just below this one.
  useStickyHeight(header, '--app-header-height');
  // Patient search and settings only for a signed-in, unlocked user.
  const unlocked = useSamsyn((s) => Boolean(s.session?.user) && s.session?.locked === false);
  return (
    <header className="app-header" ref={header}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header__brand">
        <span className="app-header__name">{t('app.name')}</span>
        <span className="app-header__tagline">{t('app.tagline')}</span>
      </div>
      {unlocked && <PatientSearch />}
      <LanguageSwitch />
      <UserBanner />
      {unlocked && (
      <button
        type="button"
        className="button app-header__settings"
        aria-expanded={settingsOpen}
        onClick={settingsOpen ? closeSettings : openSettings}
        data-testid="settings-open"
      >
        {t('settings.open')}
      </button>
      )}
    </header>
  );
}
