import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { defineErrors } from '../../platform/errors.ts';

export const MessageError = defineErrors({
  MESSAGE_NOT_FOUND: { status: 404, zh: '消息不存在', en: 'No such message' },
  INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
});

export const MESSAGE_TITLE_CHARS_MAX = 100;
export const MESSAGE_BODY_CHARS_MAX = 2000;

export interface MemberMessage {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly readAt: Date | null;
  readonly createdAt: Date;
}

/** A message from staff to one member (站内信), in the caller's transaction. */
export async function sendMemberMessage(
  trx: Trx,
  input: { userId: string; title: string; body: string; senderStaffId: string | null },
): Promise<MemberMessage> {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  const row = await trx
    .insertInto('member_messages')
    .values({
      id,
      user_id: input.userId,
      title: input.title.trim(),
      body: input.body.trim(),
      sender_staff_id: input.senderStaffId,
    })
    .returning(['id', 'title', 'body', 'read_at', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, title: row.title, body: row.body, readAt: row.read_at, createdAt: row.created_at };
}

const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodeCursor(cursor: string): { at: string; id: string } {
  const text = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [at = '', id = '', ...rest] = text.split('|');
  if (rest.length || !TIME_PATTERN.test(at) || !/^msg_[0-9a-f]{32}$/.test(id)) {
    throw MessageError.INVALID_CURSOR({ field: 'cursor' });
  }
  return { at, id };
}

/** A member's messages, newest first, with how many are unread. */
export async function listMemberMessages(
  db: Db,
  userId: string,
  query: { cursor?: string | undefined; limit: number; unreadOnly?: boolean | undefined },
): Promise<{ items: MemberMessage[]; nextCursor: string | null; unreadCount: number }> {
  let q = db
    .selectFrom('member_messages')
    .select([
      'id',
      'title',
      'body',
      'read_at',
      'created_at',
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
    ])
    .where('user_id', '=', userId);
  if (query.unreadOnly) q = q.where('read_at', 'is', null);
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    q = q.where(sql<boolean>`(created_at, id) < (${c.at}::timestamptz, ${c.id})`);
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const unread = await db
    .selectFrom('member_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, title: r.title, body: r.body, readAt: r.read_at, createdAt: r.created_at })),
    nextCursor: more && last ? Buffer.from(`${last.cursor_at}|${last.id}`, 'utf8').toString('base64url') : null,
    unreadCount: Number(unread.n),
  };
}

/** Mark one of the member's messages read (again is harmless); another member's id is not found. */
export async function markMessageRead(db: Db, userId: string, messageId: string, now: Date = new Date()) {
  const row = await db
    .updateTable('member_messages')
    .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(now)) }))
    .where('id', '=', messageId)
    .where('user_id', '=', userId)
    .returning(['id', 'title', 'body', 'read_at', 'created_at'])
    .executeTakeFirst();
  if (!row) throw MessageError.MESSAGE_NOT_FOUND({ messageId });
  return { id: row.id, title: row.title, body: row.body, readAt: row.read_at, createdAt: row.created_at };
}
