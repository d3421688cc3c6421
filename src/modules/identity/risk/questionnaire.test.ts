import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.ts';
import {
  LEVEL_BANDS,
  levelForScore,
  QUESTIONS,
  type Question,
  RISK_LEVELS,
  scoreAnswers,
  scoreRange,
} from './questionnaire.ts';

/** The answers choosing, for each question, the option at `pick(question)`. */
type Option = Question['options'][number];

function answersBy(pick: (options: readonly Option[]) => Option): Record<string, string> {
  return Object.fromEntries(QUESTIONS.map((q) => [q.id, pick(q.options).id]));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
}

describe('the questionnaire', () => {
  it('has ten questions with unique ids, each with unique answers scored 0 to 10 in both languages', () => {
    expect(QUESTIONS).toHaveLength(10);
    expect(new Set(QUESTIONS.map((q) => q.id)).size).toBe(10);
    for (const q of QUESTIONS) {
      expect(q.text.zh && q.text.en).toBeTruthy();
      expect(new Set(q.options.map((o) => o.id)).size).toBe(q.options.length);
      for (const o of q.options) {
        expect(Number.isInteger(o.score) && o.score >= 0 && o.score <= 10).toBe(true);
        expect(o.text.zh && o.text.en).toBeTruthy();
      }
    }
  });

  it('has level bands that cover every reachable total exactly once, in order', () => {
    const { min, max } = scoreRange();
    expect(LEVEL_BANDS[0]!.minScore).toBeLessThanOrEqual(min);
    expect(LEVEL_BANDS.at(-1)!.maxScore).toBeGreaterThanOrEqual(max);
    for (let i = 1; i < LEVEL_BANDS.length; i++) {
      expect(LEVEL_BANDS[i]!.minScore).toBe(LEVEL_BANDS[i - 1]!.maxScore + 1);
    }
    expect(LEVEL_BANDS.map((b) => b.level)).toEqual([...RISK_LEVELS]);
  });

  it('maps the level boundaries', () => {
    expect(levelForScore(0)).toBe('conservative');
    expect(levelForScore(35)).toBe('conservative');
    expect(levelForScore(36)).toBe('steady');
    expect(levelForScore(55)).toBe('steady');
    expect(levelForScore(56)).toBe('balanced');
    expect(levelForScore(75)).toBe('balanced');
    expect(levelForScore(76)).toBe('aggressive');
    expect(levelForScore(100)).toBe('aggressive');
    expect(() => levelForScore(-1)).toThrow(RangeError);
    expect(() => levelForScore(101)).toThrow(RangeError);
    expect(() => levelForScore(40.5)).toThrow(RangeError);
  });

  it('scores the most cautious answers conservative and the boldest aggressive', () => {
    const cautious = answersBy((options) => options.reduce((a, b) => (b.score < a.score ? b : a)));
    const bold = answersBy((options) => options.reduce((a, b) => (b.score > a.score ? b : a)));
    expect(scoreAnswers(cautious)).toEqual({ score: scoreRange().min, level: 'conservative' });
    expect(scoreAnswers(bold)).toEqual({ score: 100, level: 'aggressive' });
  });

  it('gives every complete set of answers the level of its total', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: QUESTIONS.length, maxLength: QUESTIONS.length }), (picks) => {
        const answers = Object.fromEntries(QUESTIONS.map((q, i) => [q.id, q.options[picks[i]!]!.id]));
        const expected = QUESTIONS.reduce((sum, q, i) => sum + q.options[picks[i]!]!.score, 0);
        const result = scoreAnswers(answers);
        expect(result.score).toBe(expected);
        expect(result.level).toBe(levelForScore(expected));
      }),
    );
  });

  it('refuses missing, unknown and invalid answers with stable codes', () => {
    const full = answersBy((options) => options[0]!);
    const { age: _age, ...withoutAge } = full;
    expect(codeOf(() => scoreAnswers(withoutAge))).toBe('RISK_ANSWERS_INCOMPLETE');
    expect(codeOf(() => scoreAnswers({}))).toBe('RISK_ANSWERS_INCOMPLETE');
    expect(codeOf(() => scoreAnswers({ ...full, zodiac: 'a' }))).toBe('RISK_ANSWER_UNKNOWN_QUESTION');
    expect(codeOf(() => scoreAnswers({ ...full, age: 'z' }))).toBe('RISK_ANSWER_INVALID_OPTION');
    expect(codeOf(() => scoreAnswers({ ...full, age: 1 }))).toBe('RISK_ANSWER_INVALID_OPTION');
    expect(codeOf(() => scoreAnswers({ ...full, __proto__: 'a' }))).toBeUndefined();
    expect(codeOf(() => scoreAnswers(JSON.parse(`{"__proto__":"a",${JSON.stringify(full).slice(1)}`)))).toBe(
      'RISK_ANSWER_UNKNOWN_QUESTION',
    );
  });
});
