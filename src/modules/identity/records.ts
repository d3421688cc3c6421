import { randomBytes } from 'node:crypto';

/**
 * Helpers shared by the identity records (documents, companies, risk assessments).
 *
 * Ids are `<prefix>_<UUIDv7 as 32 hex digits>`: opaque to clients, unguessable (74 random bits), and ordered
 * by creation time, so `order by id desc` pages newest first with the id itself as the cursor.
 */
export function newRecordId(prefix: string, nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  return `${prefix}_${bytes.toString('hex')}`;
}

/** The pattern of an id made by newRecordId with this prefix (for route parameter schemas). */
export function recordIdPattern(prefix: string): string {
  return `^${prefix}_[0-9a-f]{32}$`;
}

const SHANGHAI_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The business date (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return SHANGHAI_DATE.format(at);
}
