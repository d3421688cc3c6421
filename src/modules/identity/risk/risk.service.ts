import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { newRecordId, shanghaiDate } from '../records.ts';
import { ASSESSMENT_VALIDITY_MONTHS, QUESTIONNAIRE_VERSION, type RiskLevel, scoreAnswers } from './questionnaire.ts';
import { RiskError } from './risk.errors.ts';

/** Most assessments one customer may take per business day (Asia/Shanghai). */
export const ASSESSMENTS_PER_DAY_MAX = 5;
/** How many past assessments the history shows. */
export const ASSESSMENT_HISTORY_MAX = 20;

export interface RiskAssessment {
  readonly id: string;
  readonly questionnaireVersion: number;
  readonly answers: Readonly<Record<string, string>>;
  readonly score: number;
  readonly level: RiskLevel;
  readonly assessedAt: Date;
  readonly expiresAt: Date;
  /** The business date (Asia/Shanghai) the assessment expires on. */
  readonly expiresOn: string;
  readonly expired: boolean;
}

function toAssessment(
  row: {
    id: string;
    questionnaire_version: number;
    answers: unknown;
    score: number;
    level: RiskLevel;
    created_at: Date;
    expires_at: Date;
  },
  now: Date,
): RiskAssessment {
  return {
    id: row.id,
    questionnaireVersion: row.questionnaire_version,
    answers: row.answers as Record<string, string>,
    score: row.score,
    level: row.level,
    assessedAt: row.created_at,
    expiresAt: row.expires_at,
    expiresOn: shanghaiDate(row.expires_at),
    expired: row.expires_at.getTime() <= now.getTime(),
  };
}

function assessments(db: Db | Trx, userId: string) {
  return db
    .selectFrom('risk_assessments')
    .select(['id', 'questionnaire_version', 'answers', 'score', 'level', 'created_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
}

/**
 * Score the answers and record the assessment; it counts from now for ASSESSMENT_VALIDITY_MONTHS.
 * `version`, when given, must be the questionnaire's current version (the form was not stale).
 */
export async function submitRiskAssessment(
  db: Db,
  userId: string,
  input: { answers: Readonly<Record<string, unknown>>; version?: number | undefined },
  now: Date = new Date(),
): Promise<RiskAssessment> {
  if (input.version !== undefined && input.version !== QUESTIONNAIRE_VERSION) {
    throw RiskError.RISK_QUESTIONNAIRE_CHANGED({ version: QUESTIONNAIRE_VERSION });
  }
  const { score, level } = scoreAnswers(input.answers);
  return db.transaction().execute(async (trx) => {
    // The customer's row serialises their submissions, so the daily limit holds under concurrency.
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    const startOfDay = sql<Date>`(${shanghaiDate(now)}::date)::timestamp at time zone 'Asia/Shanghai'`;
    const today = await trx
      .selectFrom('risk_assessments')
      .select(sql<string>`count(*)`.as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>=', startOfDay)
      .executeTakeFirstOrThrow();
    if (Number(today.n) >= ASSESSMENTS_PER_DAY_MAX) {
      throw RiskError.RISK_ASSESSMENT_TOO_FREQUENT({ limit: ASSESSMENTS_PER_DAY_MAX });
    }
    const answers = Object.fromEntries(Object.entries(input.answers).map(([k, v]) => [k, String(v)]));
    const row = await trx
      .insertInto('risk_assessments')
      .values({
        id: newRecordId('rsk', now.getTime()),
        user_id: userId,
        questionnaire_version: QUESTIONNAIRE_VERSION,
        answers: JSON.stringify(answers),
        score,
        level,
        created_at: now,
        expires_at: sql<Date>`${now}::timestamptz + make_interval(months => ${ASSESSMENT_VALIDITY_MONTHS})`,
      })
      .returning(['id', 'questionnaire_version', 'answers', 'score', 'level', 'created_at', 'expires_at'])
      .executeTakeFirstOrThrow();
    return toAssessment(row, now);
  });
}

/** The customer's assessments, newest first (at most ASSESSMENT_HISTORY_MAX). */
export async function riskAssessmentHistory(
  db: Db | Trx,
  userId: string,
  now: Date = new Date(),
): Promise<RiskAssessment[]> {
  const rows = await assessments(db, userId).limit(ASSESSMENT_HISTORY_MAX).execute();
  return rows.map((r) => toAssessment(r, now));
}

/** The assessment that counts now: the latest one, if it has not expired. */
export async function currentRiskAssessment(
  db: Db | Trx,
  userId: string,
  now: Date = new Date(),
): Promise<RiskAssessment | undefined> {
  const row = await assessments(db, userId).limit(1).executeTakeFirst();
  if (!row) return undefined;
  const assessment = toAssessment(row, now);
  return assessment.expired ? undefined : assessment;
}

/**
 * The customer's risk level now, or null when they have never taken the questionnaire or their latest
 * assessment has expired (they must take it again before bidding). Only the latest assessment counts.
 */
export async function currentRiskLevel(
  db: Db | Trx,
  userId: string,
  now: Date = new Date(),
): Promise<RiskLevel | null> {
  return (await currentRiskAssessment(db, userId, now))?.level ?? null;
}
