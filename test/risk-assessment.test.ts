import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../src/modules/identity/risk/questionnaire.ts';
import {
  ASSESSMENTS_PER_DAY_MAX,
  currentRiskAssessment,
  currentRiskLevel,
  submitRiskAssessment,
} from '../src/modules/identity/risk/risk.service.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let alice: TestCustomer;
let bob: TestCustomer;

beforeAll(async () => {
  t = await createTestApp();
  alice = await signedInCustomer(t);
  bob = await signedInCustomer(t);
});
afterAll(async () => t?.close());

const en = { 'accept-language': 'en' };

/** Answers whose total is exactly `target` (a search over the questions, remembering dead ends). */
function answersScoring(target: number): Record<string, string> {
  const dead = new Set<string>();
  const search = (i: number, remaining: number): string[] | undefined => {
    if (i === QUESTIONS.length) return remaining === 0 ? [] : undefined;
    if (remaining < 0 || dead.has(`${i}:${remaining}`)) return undefined;
    for (const option of QUESTIONS[i]!.options) {
      const rest = search(i + 1, remaining - option.score);
      if (rest) return [option.id, ...rest];
    }
    dead.add(`${i}:${remaining}`);
    return undefined;
  };
  const picks = search(0, target);
  if (!picks) throw new Error(`no answers total ${target}`);
  return Object.fromEntries(QUESTIONS.map((q, i) => [q.id, picks[i]!]));
}

const submit = (who: TestCustomer, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/me/risk-assessment',
    headers: { ...who.headers, ...en },
    payload: payload as object,
  });

describe('the questionnaire', () => {
  it('is public, in the caller’s language, without the scores', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/v1/risk-questionnaire' });
    expect(zh.statusCode).toBe(200);
    const body = zh.json();
    expect(body.version).toBe(1);
    expect(body.validityMonths).toBe(12);
    expect(body.questions).toHaveLength(10);
    expect(body.questions[0].text).toBe('您的年龄是？');
    expect(body.levels.map((l: { name: string }) => l.name)).toEqual(['保守型', '稳健型', '平衡型', '进取型']);
    expect(JSON.stringify(body)).not.toContain('score"');
    const english = await t.app.inject({ method: 'GET', url: '/api/v1/risk-questionnaire', headers: en });
    expect(english.json().questions[0].text).toBe('How old are you?');
  });
});

describe('taking the assessment', () => {
  it('has no level before the first assessment', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/risk-assessment', headers: alice.headers });
    expect(res.json()).toEqual({ current: null, history: [] });
    expect(await currentRiskLevel(t.database.db, alice.id)).toBeNull();
  });

  it('scores the answers, returns the level and its expiry a year later', async () => {
    const res = await submit(alice, { answers: answersScoring(60), version: 1 });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      score: 60,
      level: 'balanced',
      levelName: 'Balanced',
      expired: false,
      questionnaireVersion: 1,
    });
    const assessed = new Date(a.assessedAt);
    const expires = new Date(a.expiresAt);
    const days = (expires.getTime() - assessed.getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(365);
    expect(days).toBeLessThanOrEqual(366);
    expect(a.expiresOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await currentRiskLevel(t.database.db, alice.id)).toBe('balanced');
  });

  it('counts only the latest assessment and keeps the history', async () => {
    const res = await submit(alice, { answers: answersScoring(20) });
    expect(res.json().level).toBe('conservative');
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/risk-assessment', headers: alice.headers });
    const body = mine.json();
    expect(body.current).toMatchObject({ score: 20, level: 'conservative', levelName: '保守型' });
    expect(body.history.map((h: { score: number }) => h.score)).toEqual([20, 60]);
    expect(await currentRiskLevel(t.database.db, alice.id)).toBe('conservative');
    // Another customer's assessments are not mine.
    const bobs = await t.app.inject({ method: 'GET', url: '/api/v1/me/risk-assessment', headers: bob.headers });
    expect(bobs.json()).toEqual({ current: null, history: [] });
  });

  it('maps the boundary totals to their levels when recorded', async () => {
    const expected: [number, string][] = [
      [35, 'conservative'],
      [36, 'steady'],
      [55, 'steady'],
      [56, 'balanced'],
      [75, 'balanced'],
      [76, 'aggressive'],
    ];
    const day = Date.UTC(2030, 0, 1);
    for (const [i, [score, level]] of expected.entries()) {
      // One per day, so the daily limit does not interfere.
      const now = new Date(day + i * 86_400_000);
      const a = await submitRiskAssessment(t.database.db, bob.id, { answers: answersScoring(score) }, now);
      expect([a.score, a.level]).toEqual([score, level]);
      expect(await currentRiskLevel(t.database.db, bob.id, now)).toBe(level);
    }
  });

  it('expires after a year: then there is no current level', async () => {
    const takenAt = new Date('2031-03-15T10:00:00+08:00');
    const carol = await signedInCustomer(t);
    const a = await submitRiskAssessment(t.database.db, carol.id, { answers: answersScoring(90) }, takenAt);
    expect(a.expiresOn).toBe('2032-03-15');
    expect(await currentRiskLevel(t.database.db, carol.id, new Date('2032-03-15T09:59:59+08:00'))).toBe('aggressive');
    expect(await currentRiskLevel(t.database.db, carol.id, new Date('2032-03-15T10:00:00+08:00'))).toBeNull();
    expect(await currentRiskAssessment(t.database.db, carol.id, new Date('2033-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuses incomplete, unknown and invalid answers with stable codes and nothing recorded', async () => {
    const full = answersScoring(50);
    const { liquidity: _l, ...incomplete } = full;
    const cases: [unknown, number, string][] = [
      [{ answers: incomplete }, 400, 'RISK_ANSWERS_INCOMPLETE'],
      [{ answers: {} }, 400, 'RISK_ANSWERS_INCOMPLETE'],
      [{ answers: { ...full, star_sign: 'a' } }, 400, 'RISK_ANSWER_UNKNOWN_QUESTION'],
      [{ answers: { ...full, age: 'e' } }, 400, 'RISK_ANSWER_INVALID_OPTION'],
      [{ answers: { ...full, age: 1 } }, 400, 'VALIDATION_FAILED'],
      [{ answers: ['a', 'b'] }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
      [{ answers: full, extra: 1 }, 400, 'VALIDATION_FAILED'],
      [{ answers: full, version: 99 }, 409, 'RISK_QUESTIONNAIRE_CHANGED'],
    ];
    const carol = await signedInCustomer(t);
    for (const [payload, status, code] of cases) {
      const res = await submit(carol, payload);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
      expect(res.json().error.message).toBeTruthy();
    }
    const res = await submit(carol, { answers: incomplete });
    expect(res.json().error.details.missing).toEqual(['liquidity']);
    expect(await currentRiskLevel(t.database.db, carol.id)).toBeNull();
  });

  it(`allows at most ${ASSESSMENTS_PER_DAY_MAX} assessments a day`, async () => {
    const dave = await signedInCustomer(t);
    for (let i = 0; i < ASSESSMENTS_PER_DAY_MAX; i++) {
      expect((await submit(dave, { answers: answersScoring(40 + i) })).statusCode).toBe(201);
    }
    const refused = await submit(dave, { answers: answersScoring(90) });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RISK_ASSESSMENT_TOO_FREQUENT');
    expect(await currentRiskLevel(t.database.db, dave.id)).toBe('steady');
  });

  it('needs a signed-in customer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/risk-assessment' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/me/risk-assessment', payload: { answers: {} } })).statusCode,
    ).toBe(401);
  });
});
