/**
 * Calendar arithmetic on plain year/month/day numbers. Birth dates are calendar
 * dates, not instants: going through `Date` in UTC or local time would let the
 * machine's time zone shift a birthday, so only the reference `today` is read
 * from a Date (as the local calendar date the clinician sees).
 */

export interface CalendarDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** True when the date exists in the Gregorian calendar (29 Feb only in leap years). */
export function isExistingDate(date: CalendarDate): boolean {
  return (
    Number.isInteger(date.year) &&
    date.month >= 1 &&
    date.month <= 12 &&
    date.day >= 1 &&
    date.day <= daysInMonth(date.year, date.month)
  );
}

/** Negative when a is earlier, 0 when equal, positive when later. Works for non-existing dates too. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function toCalendarDate(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) {
    // A programming error (the clock is passed in by the caller), not user input.
    throw new RangeError('identity: options.today is not a valid Date');
  }
  return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate() };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function toIsoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
