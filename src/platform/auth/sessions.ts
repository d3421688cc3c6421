import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';

export type SubjectKind = 'customer' | 'staff';
export type SessionStage = 'full' | 'setup';

/** How long a session lives without use, and at most. */
export const SESSION_LIMITS: Record<SubjectKind, { idleSeconds: number; absoluteSeconds: number }> = {
  customer: { idleSeconds: 30 * 60, absoluteSeconds: 24 * 60 * 60 },
  staff: { idleSeconds: 15 * 60, absoluteSeconds: 12 * 60 * 60 },
};
/** Record use at most this often, so a busy session does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;
const TOKEN_BYTES = 32;

export interface Session {
  readonly tokenHash: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly csrfToken: string;
  readonly stage: SessionStage;
  readonly expiresAt: Date;
}

export interface NewSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  input: { subjectKind: SubjectKind; subjectId: string; stage?: SessionStage; ip?: string; userAgent?: string },
  now: Date = new Date(),
): Promise<NewSession> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const csrfToken = randomBytes(TOKEN_BYTES).toString('base64url');
  const limits = SESSION_LIMITS[input.subjectKind];
  const expiresAt = new Date(now.getTime() + limits.absoluteSeconds * 1000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      subject_kind: input.subjectKind,
      subject_id: input.subjectId,
      csrf_token: csrfToken,
      stage: input.stage ?? 'full',
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      created_at: now,
      last_seen_at: now,
      idle_timeout_seconds: limits.idleSeconds,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The live session for a token, or undefined when unknown, revoked, idle too long or past its end. */
export async function resolveSession(
  db: Db,
  token: string,
  kind: SubjectKind,
  now: Date = new Date(),
): Promise<Session | undefined> {
  if (token.length === 0 || token.length > 200) return undefined;
  const hash = tokenHash(token);
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', hash)
    .where('subject_kind', '=', kind)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  if (row.expires_at.getTime() <= now.getTime()) return undefined;
  if (row.last_seen_at.getTime() + row.idle_timeout_seconds * 1000 <= now.getTime()) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', hash).execute();
  }
  return {
    tokenHash: row.token_hash,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    csrfToken: row.csrf_token,
    stage: row.stage,
    expiresAt: row.expires_at,
  };
}

export async function revokeSession(db: Db, hash: string, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Sign a subject out everywhere (password reset, account frozen), optionally keeping one session. */
export async function revokeSubjectSessions(
  db: Db,
  kind: SubjectKind,
  subjectId: string,
  keepHash?: string,
  now: Date = new Date(),
) {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('subject_kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('revoked_at', 'is', null);
  if (keepHash) q = q.where('token_hash', '<>', keepHash);
  await q.execute();
}

/** Move a staff session from setup to full once the password is changed and TOTP enrolled. */
export async function promoteSession(db: Db, hash: string): Promise<void> {
  await db.updateTable('sessions').set({ stage: 'full' }).where('token_hash', '=', hash).execute();
}
