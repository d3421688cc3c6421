import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  civilFromDays,
  daysFromCivil,
  formatIsoDate,
  isLeapYear,
  monthlyDueDates,
  parseIsoDate,
  shanghaiDate,
} from './dates.ts';

const d = (text: string) => {
  const date = parseIsoDate(text);
  if (!date) throw new Error(`bad test date ${text}`);
  return date;
};
const plusMonths = (text: string, months: number) => formatIsoDate(addMonthsClamped(d(text), months));

describe('calendar dates', () => {
  it('clamps to the end of the month, counting every due date from the start', () => {
    expect([1, 2, 3, 4, 12, 13].map((k) => plusMonths('2026-01-31', k))).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2027-01-31',
      '2027-02-28',
    ]);
    expect([1, 2, 13].map((k) => plusMonths('2024-01-31', k))).toEqual(['2024-02-29', '2024-03-31', '2025-02-28']);
    expect([12, 24, 48].map((k) => plusMonths('2024-02-29', k))).toEqual(['2025-02-28', '2026-02-28', '2028-02-29']);
    expect(plusMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(plusMonths('2026-03-30', 11)).toBe('2027-02-28');
    expect(plusMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(plusMonths('2026-01-01', 360)).toBe('2056-01-01');
  });

  it('lists due dates in one loop exactly as addMonthsClamped gives them one by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -25_567, max: 80_000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(1, 3, 12),
        (days, periods, step) => {
          const start = civilFromDays(days);
          const expected = Array.from({ length: periods }, (_, k) =>
            formatIsoDate(addMonthsClamped(start, (k + 1) * step)),
          );
          expect(monthlyDueDates(start, periods, step)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    expect(monthlyDueDates(d('0999-12-31'), 2, 1)).toEqual(['1000-01-31', '1000-02-28']);
  });

  it('knows the Gregorian leap years', () => {
    expect([1900, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([false, true, false, true, false, true]);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(formatIsoDate(addDays(d('2026-01-31'), 30))).toBe('2026-03-02');
    expect(formatIsoDate(addDays(d('2024-01-31'), 30))).toBe('2024-03-01');
    expect(formatIsoDate(addDays(d('2024-02-28'), 1))).toBe('2024-02-29');
    expect(formatIsoDate(addDays(d('2026-12-31'), 1))).toBe('2027-01-01');
    expect(formatIsoDate(addDays(d('2026-01-01'), 3650))).toBe('2035-12-30');
    expect(daysFromCivil(d('1970-01-01'))).toBe(0);
  });

  it('agrees with the UTC calendar of Date for any day from 1900 to 2300', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 120_000 }), fc.integer({ min: 0, max: 4000 }), (days, delta) => {
        const expected = new Date((days + delta) * 86_400_000).toISOString().slice(0, 10);
        const start = civilFromDays(days);
        expect(formatIsoDate(addDays(start, delta))).toBe(expected);
        expect(daysFromCivil(start)).toBe(days);
      }),
    );
  });

  it('parses only real dates in the exact YYYY-MM-DD form', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of [
      '2026-02-29',
      '2100-02-29',
      '2024-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-1',
      '26-01-01',
      '2026-01-01T00:00:00Z',
      '0000-01-01',
      '',
      'today',
    ]) {
      expect(parseIsoDate(bad), bad).toBeUndefined();
    }
  });

  it('takes today in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiDate(Date.parse('2026-01-01T15:59:59.999Z'))).toBe('2026-01-01');
    expect(shanghaiDate(Date.parse('2026-01-01T16:00:00Z'))).toBe('2026-01-02');
    expect(shanghaiDate(Date.parse('2024-02-28T16:30:00Z'))).toBe('2024-02-29');
  });
});
