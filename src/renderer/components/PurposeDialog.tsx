import { useRef, useState } from 'react';
import { useFormat } from '../i18n/useFormat';
import type { PurposeStatement } from '../store/patientSlice';
import { useDialogFocus } from './useDialogFocus';

/**
 * Why this patient is opened (issue 10 item 4): asked once per patient per
 * session, before anything of theirs is fetched. Ordinary care needs the
 * clinician to confirm the care relationship; an emergency ("nödöppning")
 * needs a reason, which goes to the access log and is marked on the screen.
 */
export function PurposeDialog({ display, onSubmit, onCancel }: { display: string; onSubmit: (s: PurposeStatement) => void; onCancel: () => void }) {
  const { t } = useFormat();
  const [purpose, setPurpose] = useState<'care' | 'emergency'>('care');
  const [relationship, setRelationship] = useState(false);
  const [reason, setReason] = useState('');
  const [consent, setConsent] = useState(false);
  const ready = purpose === 'care' ? relationship : reason.trim().length >= 3;
  const ref = useRef<HTMLFormElement>(null);
  // Modal: focus starts inside, Tab stays inside, Escape cancels (nothing of the patient is fetched).
  useDialogFocus(ref, onCancel);
  return (
    <form
      ref={ref}
      className="purpose-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="purpose-title"
      data-testid="purpose-dialog"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onSubmit({ purpose, ...(purpose === 'emergency' ? { reason: reason.trim() } : {}), ...(consent ? { consent } : {}) });
      }}
    >
      <h2 id="purpose-title">{t('access.purpose.title', { id: display })}</h2>
      <fieldset>
        <legend>{t('access.purpose.legend')}</legend>
        <label>
          <input type="radio" name="purpose" checked={purpose === 'care'} onChange={() => setPurpose('care')} data-testid="purpose-care" />
          {t('access.purpose.care')}
        </label>
        {purpose === 'care' && (
          <label className="purpose-dialog__confirm">
            <input type="checkbox" checked={relationship} onChange={(e) => setRelationship(e.target.checked)} data-testid="purpose-relationship" />
            {t('access.purpose.relationship')}
          </label>
        )}
        <label>
          <input type="radio" name="purpose" checked={purpose === 'emergency'} onChange={() => setPurpose('emergency')} data-testid="purpose-emergency" />
          {t('access.purpose.emergency')}
        </label>
        {purpose === 'emergency' && (
          <label className="purpose-dialog__reason">
            {t('access.purpose.reason')}
            <textarea value={reason} maxLength={500} rows={2} onChange={(e) => setReason(e.target.value)} data-testid="purpose-reason" required />
          </label>
        )}
      </fieldset>
      <label className="purpose-dialog__consent">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="purpose-consent" />
        {t('access.purpose.consent')}
      </label>
      <p className="purpose-dialog__logged">{t('access.purpose.logged')}</p>
      <div className="purpose-dialog__actions">
        <button type="submit" className="button button--primary" disabled={!ready} data-testid="purpose-open">
          {t('access.purpose.open')}
        </button>
        <button type="button" className="button" onClick={onCancel} data-testid="purpose-cancel">
          {t('access.purpose.cancel')}
        </button>
      </div>
    </form>
  );
}
