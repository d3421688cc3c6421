import { type RawBuilder, sql } from 'kysely';
import { BackofficeError } from './backoffice.errors.ts';

/** Page sizes of back-office lists: `?limit=` defaults to 20 and may not exceed 100. */
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CURSOR_CHARS_MAX = 200;

/** A list position: the sort instant (microsecond text, UTC) and the id of the last row shown. */
export interface TimeCursor {
  readonly at: string;
  readonly id: string;
}

/**
 * The column as UTC text with microseconds, so a cursor keeps the database's full precision
 * (a JS Date would drop the microseconds and skip or repeat rows created in the same millisecond).
 */
export function cursorTime(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeTimeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  const text = cursor.length <= CURSOR_CHARS_MAX ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [at = '', id = '', ...rest] = text.split('|');
  if (rest.length || !TIME_PATTERN.test(at) || !ID_PATTERN.test(id)) {
    throw BackofficeError.INVALID_CURSOR({ field: 'cursor' });
  }
  return { at, id };
}

/** `(atColumn, idColumn) < cursor`: rows after the cursor in newest-first order. */
export function olderThan(atColumn: string, idColumn: string, cursor: TimeCursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(atColumn)}, ${sql.ref(idColumn)}) < (${cursor.at}::timestamptz, ${cursor.id})`;
}

/** Cut a page fetched with `limit + 1` rows: the page and the cursor of its last row when more follow. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string,
): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: more && last ? cursorOf(last) : null };
}
