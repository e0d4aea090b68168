import { useFormat } from '../i18n/useFormat';
import { isLanguage, LANGUAGES } from '../i18n/languages';
import { useSamsyn } from '../store/StoreProvider';

export function LanguageSwitch() {
  const { t, language } = useFormat();
  const setLanguage = useSamsyn((s) => s.setLanguage);
  return (
    <label className="language-switch">
      <span className="language-switch__label">{t('language.label')}</span>
      <select
        data-testid="language-switch"
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((lng) => (
          // Each language is named in itself, so anyone can find their own.
          <option key={lng} value={lng} lang={lng}>
            {t(`language.names.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
