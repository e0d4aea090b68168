import { useFormat } from '../i18n/useFormat';

/** Sealed information is hidden by default, but the clinician is told that it exists. */
export function SealedNotice({ count }: { count: number }) {
  const { t } = useFormat();
  if (count <= 0) return null;
  return (
    <p className="sealed-notice" role="note" data-testid="hidden-sealed">
      {t('sections.hiddenSealed', { count })}
    </p>
  );
}
