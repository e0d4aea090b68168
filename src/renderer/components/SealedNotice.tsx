import { useState } from 'react';
import { useFormat } from '../i18n/useFormat';
import type { SummaryView } from '../model/types';

type Notice = NonNullable<SummaryView['sealed']>;

/**
 * Sealed information (issue 10 item 5), as far as the source country's law
 * lets the clinician know of it: how much is hidden, which sources hold it
 * where the law allows naming them, and a way to open it on a stated basis
 * and reason (logged). Finnish sources' sealed information is never counted
 * or named: the services do not send it.
 */
export function SealedNotice({
  count,
  notice,
  names,
  onReveal,
}: {
  count: number;
  notice?: Notice | undefined;
  names: ReadonlyMap<string, string>;
  onReveal?: (sourceId: string, basis: 'consent' | 'emergency', reason: string) => Promise<string | null>;
}) {
  const { t } = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const [basis, setBasis] = useState<'consent' | 'emergency'>('consent');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const revealed = notice?.revealed ?? [];
  const consentNeeded = notice?.consentNeeded ?? [];
  if (count <= 0 && revealed.length === 0 && consentNeeded.length === 0) return null;
  return (
    <div className="sealed-notice" role="note" data-testid="hidden-sealed">
      {count > 0 && <p>{t('sections.hiddenSealed', { count })}</p>}
      {consentNeeded.length > 0 && (
        <p data-testid="consent-needed">{t('access.consentNeeded', { sources: consentNeeded.map((id) => names.get(id) ?? id).join(', ') })}</p>
      )}
      {revealed.length > 0 && (
        <p className="sealed-notice__revealed" data-testid="sealed-revealed">
          {t('access.revealed', { sources: revealed.map((id) => names.get(id) ?? id).join(', ') })}
        </p>
      )}
      {(notice?.holders ?? []).length > 0 && (
        <ul className="sealed-notice__holders">
          {notice!.holders.map((h) => (
            <li key={h.sourceId} data-testid="sealed-holder" data-source={h.sourceId}>
              {t('access.holder', { source: names.get(h.sourceId) ?? h.sourceId, law: t(`access.laws.${h.law}`) })}{' '}
              {onReveal && open !== h.sourceId && (
                <button
                  type="button"
                  onClick={() => {
                    setOpen(h.sourceId);
                    // Opened as an emergency: the emergency basis first, where the source's law allows it.
                    setBasis(notice?.emergency && h.revealableWith.includes('emergency') ? 'emergency' : (h.revealableWith[0] ?? 'consent'));
                    setProblem(null);
                  }}
                  data-testid="sealed-reveal"
                >
                  {t('access.reveal')}
                </button>
              )}
              {onReveal && open === h.sourceId && (
                <form
                  className="sealed-notice__form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void onReveal(h.sourceId, basis, reason.trim()).then((p) => {
                      setProblem(p);
                      if (!p) setOpen(null);
                    });
                  }}
                >
                  <label>
                    {t('access.basis')}
                    <select value={basis} onChange={(e) => setBasis(e.target.value as 'consent' | 'emergency')} data-testid="sealed-basis">
                      {h.revealableWith.map((b) => (
                        <option key={b} value={b}>
                          {t(`access.bases.${b}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('access.purpose.reason')}
                    <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="sealed-reason" required />
                  </label>
                  <button type="submit" disabled={reason.trim().length < 3} data-testid="sealed-reveal-submit">
                    {t('access.reveal')}
                  </button>
                  {problem && (
                    <span role="alert" className="sealed-notice__problem">
                      {problem}
                    </span>
                  )}
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
