import { useFormat } from '../i18n/useFormat';
import type { SummaryView } from '../store/samsynStore';

/** Says when the local cache is off, was set aside, or failed for this summary; silent when all is well. */
export function CacheNotice({ notice }: { notice: NonNullable<SummaryView['cache']> }) {
  const { t, error } = useFormat();
  if (!notice.error) return null;
  const reason = error(notice.error);
  const text = !notice.available
    ? t('cache.off', { reason })
    : notice.setAside
      ? t('cache.setAside', { reason })
      : t('cache.failed', { reason });
  return (
    <p className="notice notice--warning" role="status" data-testid="cache-notice" data-code={notice.error}>
      {text}
    </p>
  );
}
