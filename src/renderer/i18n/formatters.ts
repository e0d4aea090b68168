import type { Quantity } from '../../shared/summary';
import { LOCALES, type Language } from './languages';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(language: Language, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language}|${kind}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], options);
    cache.set(key, format);
  }
  return format;
}

function numberFormat(language: Language): Intl.NumberFormat {
  const key = `n|${language}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 6 });
    cache.set(key, format);
  }
  return format;
}

const YEAR = /^\d{4}$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A clinical date in the chosen language. Date-only values are calendar dates,
 * not instants: they are formatted in UTC so a clinic west of Greenwich never
 * shows the day before. Partial dates (FHIR allows "2024" and "2024-03") stay partial.
 */
export function formatDate(iso: string, language: Language): string {
  if (YEAR.test(iso)) return iso;
  const ym = YEAR_MONTH.exec(iso);
  if (ym) {
    return dateFormat(language, 'ym', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(`${iso}-01T00:00:00Z`),
    );
  }
  if (DAY.test(iso)) {
    const date = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return iso;
    return dateFormat(language, 'day-utc', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(date);
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat(language, 'day', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** Clock time of an instant (hh:mm), for "fetched at". */
export function formatTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat(language, 'time', { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** Date and time of an instant; the date is left out when it is today, to keep chips short. */
export function formatDateTime(iso: string, language: Language, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay =
    date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  const time = formatTime(iso, language);
  return sameDay ? time : `${formatDate(iso, language)} ${time}`;
}

export function formatNumber(value: number, language: Language): string {
  return numberFormat(language).format(value);
}

/**
 * A unit as a reader wants it: UCUM annotations in braces (`{INR}`, `{cells}`)
 * are for machines, and a unit of only an annotation or `1` is no unit.
 */
export function displayUnit(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  return plain === '' || plain === '1' ? undefined : plain;
}

export function formatQuantity(quantity: Quantity, language: Language): string {
  const number = `${quantity.comparator ?? ''}${formatNumber(quantity.value, language)}`;
  const unit = displayUnit(quantity.unit);
  return unit ? `${number} ${unit}` : number;
}
