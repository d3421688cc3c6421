/**
 * Calendar dates as 'YYYY-MM-DD' strings, computed on year/month/day integers only: no Date object, no
 * time zone, so the server and every browser get the same due dates.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** 'YYYY-MM-DD' → its parts, or undefined when it is not a real date of years 0001–9999. */
export function parseIsoDate(text: string): CivilDate | undefined {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

const TWO_DIGITS = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

function yearText(year: number): string {
  return year >= 1000 ? String(year) : String(year).padStart(4, '0');
}

export function formatIsoDate(date: CivilDate): string {
  return `${yearText(date.year)}-${TWO_DIGITS[date.month]}-${TWO_DIGITS[date.day]}`;
}

/**
 * The same day of the month `months` later, clamped to that month's last day:
 * Jan 31 + 1 → Feb 28 (Feb 29 in a leap year), Jan 31 + 2 → Mar 31. Always counted from `start`,
 * so a clamped month does not shorten the ones after it.
 */
export function addMonthsClamped(start: CivilDate, months: number): CivilDate {
  const index = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(start.day, daysInMonth(year, month)) };
}

/**
 * The due dates of `periods` periods of `stepMonths` months: addMonthsClamped(start, k · stepMonths) for
 * k = 1…periods, as text. One loop without intermediate objects, because every schedule row needs one.
 */
export function monthlyDueDates(start: CivilDate, periods: number, stepMonths: number): string[] {
  const out: string[] = new Array(periods);
  let index = start.year * 12 + (start.month - 1);
  for (let k = 0; k < periods; k++) {
    index += stepMonths;
    const year = Math.floor(index / 12);
    const month = index - year * 12 + 1;
    const day = Math.min(start.day, daysInMonth(year, month));
    out[k] = `${yearText(year)}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
  }
  return out;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(date: CivilDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (date.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + date.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function addDays(start: CivilDate, days: number): CivilDate {
  return civilFromDays(daysFromCivil(start) + days);
}

/** Today's date in Asia/Shanghai (the platform's business calendar) at the instant `epochMs`. */
export function shanghaiDate(epochMs: number): string {
  return formatIsoDate(civilFromDays(Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY)));
}
