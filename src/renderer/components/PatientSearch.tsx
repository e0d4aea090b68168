import { useEffect, useId, useRef, type FormEvent } from 'react';
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';

/** Long enough not to judge a number while it is still being typed. */
const CHECK_DELAY_MS = 450;

export function PatientSearch() {
  const { t, error } = useFormat();
  const input = useSamsyn((s) => s.input);
  const check = useSamsyn((s) => s.check);
  const setInput = useSamsyn((s) => s.setInput);
  const checkInput = useSamsyn((s) => s.checkInput);
  const openPatient = useSamsyn((s) => s.openPatient);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const hintId = `${id}-hint`;
  const messageId = `${id}-message`;

  useEffect(() => {
    if (check.state !== 'unchecked') return undefined;
    const timer = window.setTimeout(() => checkInput(), CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [input, check.state, checkInput]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  // Ctrl+K (⌘K) from anywhere: to the patient search, its text selected for the next id.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void openPatient(input);
  };

  const invalid = check.state === 'invalid';

  return (
    <form className="patient-search" role="search" onSubmit={onSubmit} noValidate>
      <label className="patient-search__label" htmlFor={id}>
        {t('search.label')}
      </label>
      <div className="patient-search__row">
        <input
          ref={inputRef}
          id={id}
          data-testid="patient-input"
          className="patient-search__input"
          type="text"
          inputMode="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={300}
          placeholder={t('search.placeholder')}
          value={input}
          aria-invalid={invalid}
          aria-describedby={`${messageId} ${hintId}`}
          aria-keyshortcuts="Control+K Meta+K"
          onChange={(event) => setInput(event.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="open-patient">
          {t('search.open')}
        </button>
      </div>
      {/* The live region is always present so screen readers announce changes in it. */}
      <div id={messageId} className="patient-search__message" aria-live="polite">
        {invalid && (
          <p className="field-error" data-testid="patient-input-error">
            {error(check.error.code)}
          </p>
        )}
        {check.state === 'valid' && (
          <p className="field-ok" data-testid="patient-input-ok">
            {t('search.valid', {
              kind: t(`idKinds.${check.patient.nationalId?.kind ?? 'identifier'}`),
              id: check.patient.display,
            })}
          </p>
        )}
      </div>
      <p id={hintId} className="visually-hidden">
        {t('search.hint')}
      </p>
    </form>
  );
}
