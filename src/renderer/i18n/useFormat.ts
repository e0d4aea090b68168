import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isErrorCode } from '../../shared/errors';
import type { Quantity } from '../../shared/summary';
import { ageParts } from '../model/age';
import type { Language } from './languages';
import { formatDate, formatDateTime, formatNumber, formatQuantity, formatTime } from './formatters';

/** Translation plus the language-aware formatters every view needs. */
function useOwnFormat(language: Language) {
  const { t, i18n } = useTranslation();
  return useMemo(
    () => ({
      t,
      language,
      date: (iso: string) => formatDate(iso, language),
      time: (iso: string) => formatTime(iso, language),
      dateTime: (iso: string) => formatDateTime(iso, language),
      number: (value: number) => formatNumber(value, language),
      /** "3 h 12 min": how long before `now` the instant was. */
      age: (iso: string, now: Date) => {
        const parts = ageParts(iso, now);
        return parts ? t(`age.${parts.unit}`, parts) : iso;
      },
      quantity: (q: Quantity) => formatQuantity(q, language),
      value: (v: Quantity | string) => (typeof v === 'string' ? v : formatQuantity(v, language)),
      /** Words for an error code; an unknown code is still shown, never hidden. */
      error: (code: string) => (isErrorCode(code) ? t(`errors.${code}`) : t('sources.unknownError', { code })),
      /** "2×/d" (src/shared/frequency.ts) in words: "2 ggr per dygn"; an unknown form is shown as it came. */
      frequency: (value: string) => {
        const m = /^(\d+(?:\.\d+)?)×\/(\d+(?:\.\d+)?)?(s|min|h|d|wk|mo|a)$/.exec(value);
        if (!m) return value;
        const unit = t(`frequency.units.${m[3]}`);
        return m[2] ? t('frequency.everyN', { times: m[1], period: m[2], unit }) : t('frequency.per', { times: m[1], unit });
      },
      /** Words for a status code when we have them, else the source's own code. */
      status: (status: string) => {
        const key = `statuses.${status}`;
        return /^[a-z-]+$/.test(status) && i18n.exists(key) ? t(key) : status;
      },
    }),
    [t, i18n, language],
  );
}

export type Format = ReturnType<typeof useOwnFormat>;

const FormatContext = createContext<Format | null>(null);

/**
 * Builds the formatters once for the whole tree (StoreProvider renders it).
 * Each useTranslation() costs a subscription and a wrapped `t`; with hundreds
 * of rows on the heavy patient that was a measurable part of the first render.
 */
export function FormatProvider({ language, children }: { language: Language; children: ReactNode }) {
  return createElement(FormatContext.Provider, { value: useOwnFormat(language) }, children);
}

/** Translation plus the language-aware formatters every view needs. */
export function useFormat(): Format {
  const format = useContext(FormatContext);
  if (!format) throw new Error('useFormat outside FormatProvider');
  return format;
}
