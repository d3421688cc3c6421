import type { LocalizedText } from '../../../platform/i18n.ts';
import { RiskError } from './risk.errors.ts';

/**
 * The investor risk questionnaire (风险测评): ten questions, one answer each, every answer worth 0 to 10
 * points; the total (0–100) gives the risk level. Pure rules; the service keeps the history.
 *
 * Changing a question, an answer or a score changes what past totals mean: bump QUESTIONNAIRE_VERSION
 * (every assessment records the version it answered).
 */
export const QUESTIONNAIRE_VERSION = 1;
/** How long an assessment counts, in months. */
export const ASSESSMENT_VALIDITY_MONTHS = 12;

export const RISK_LEVELS = ['conservative', 'steady', 'balanced', 'aggressive'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Each level covers the totals from its minimum up to the next level's minimum − 1. */
export const LEVEL_BANDS: readonly {
  level: RiskLevel;
  minScore: number;
  maxScore: number;
  name: LocalizedText;
  description: LocalizedText;
}[] = [
  {
    level: 'conservative',
    minScore: 0,
    maxScore: 35,
    name: { zh: '保守型', en: 'Conservative' },
    description: {
      zh: '您希望本金安全，几乎不能承受损失。建议只选择风险最低的项目，并控制出借金额。',
      en: 'You want your principal safe and can bear almost no loss. Choose only the lowest-risk loans and keep amounts small.',
    },
  },
  {
    level: 'steady',
    minScore: 36,
    maxScore: 55,
    name: { zh: '稳健型', en: 'Steady' },
    description: {
      zh: '您追求稳定收益，可以承受较小的波动。建议以低风险项目为主，分散出借。',
      en: 'You seek steady returns and can bear small swings. Favour low-risk loans and spread your lending.',
    },
  },
  {
    level: 'balanced',
    minScore: 56,
    maxScore: 75,
    name: { zh: '平衡型', en: 'Balanced' },
    description: {
      zh: '您在收益和风险之间寻求平衡，可以承受一定的本金损失。',
      en: 'You balance return against risk and can bear some loss of principal.',
    },
  },
  {
    level: 'aggressive',
    minScore: 76,
    maxScore: 100,
    name: { zh: '进取型', en: 'Aggressive' },
    description: {
      zh: '您追求较高收益，能够承受较大的本金损失和流动性风险。请仍注意分散风险。',
      en: 'You seek higher returns and can bear larger losses and illiquidity. Still spread your risk.',
    },
  },
];

export interface Question {
  readonly id: string;
  readonly text: LocalizedText;
  readonly options: readonly { readonly id: string; readonly text: LocalizedText; readonly score: number }[];
}

const opt = (id: string, score: number, zh: string, en: string) => ({ id, score, text: { zh, en } });

export const QUESTIONS: readonly Question[] = [
  {
    id: 'age',
    text: { zh: '您的年龄是？', en: 'How old are you?' },
    options: [
      opt('a', 8, '18–30 岁', '18 to 30'),
      opt('b', 10, '31–45 岁', '31 to 45'),
      opt('c', 6, '46–60 岁', '46 to 60'),
      opt('d', 2, '60 岁以上', 'Over 60'),
    ],
  },
  {
    id: 'income',
    text: { zh: '您的家庭年收入（税后）约为？', en: "What is your household's yearly income after tax?" },
    options: [
      opt('a', 2, '10 万元以下', 'Under 100,000 yuan'),
      opt('b', 5, '10 万–30 万元', '100,000 to 300,000 yuan'),
      opt('c', 8, '30 万–100 万元', '300,000 to 1,000,000 yuan'),
      opt('d', 10, '100 万元以上', 'Over 1,000,000 yuan'),
    ],
  },
  {
    id: 'investable_share',
    text: {
      zh: '您计划用于出借的资金占家庭金融资产的比例是？',
      en: "What share of your household's financial assets do you plan to lend?",
    },
    options: [
      opt('a', 2, '50% 以上', 'Over 50%'),
      opt('b', 5, '25%–50%', '25% to 50%'),
      opt('c', 8, '10%–25%', '10% to 25%'),
      opt('d', 10, '10% 以下', 'Under 10%'),
    ],
  },
  {
    id: 'experience',
    text: { zh: '您有多长时间的投资经验？', en: 'How long have you been investing?' },
    options: [
      opt('a', 0, '没有，只有银行存款', 'Never; only bank deposits'),
      opt('b', 4, '2 年以内，主要是银行理财或货币基金', 'Under 2 years, mostly bank wealth products or money funds'),
      opt('c', 7, '2–5 年，投资过股票、基金或债券', '2 to 5 years, in shares, funds or bonds'),
      opt('d', 10, '5 年以上，投资过多类资产', 'Over 5 years, in many kinds of assets'),
    ],
  },
  {
    id: 'knowledge',
    text: {
      zh: '您对网络借贷的风险（借款人违约、本金损失、不能提前退出）了解多少？',
      en: 'How well do you know the risks of online lending (borrower default, loss of principal, no early exit)?',
    },
    options: [
      opt('a', 0, '不了解', 'Not at all'),
      opt('b', 4, '了解一些', 'A little'),
      opt('c', 7, '比较了解', 'Fairly well'),
      opt('d', 10, '非常了解', 'Very well'),
    ],
  },
  {
    id: 'horizon',
    text: { zh: '您计划的出借期限是？', en: 'For how long do you plan to lend?' },
    options: [
      opt('a', 2, '3 个月以内', 'Under 3 months'),
      opt('b', 5, '3–6 个月', '3 to 6 months'),
      opt('c', 8, '6–12 个月', '6 to 12 months'),
      opt('d', 10, '1 年以上', 'Over 1 year'),
    ],
  },
  {
    id: 'goal',
    text: { zh: '您的投资目标是？', en: 'What is your goal?' },
    options: [
      opt('a', 0, '保住本金，收益略高于存款即可', 'Keep my principal; a little more than a deposit is enough'),
      opt('b', 4, '稳定收益，可以承受小幅波动', 'Steady returns; small swings are fine'),
      opt('c', 7, '较高收益，可以承受一定亏损', 'Higher returns; some loss is acceptable'),
      opt('d', 10, '高收益，可以承受较大亏损', 'High returns; large losses are acceptable'),
    ],
  },
  {
    id: 'loss_tolerance',
    text: { zh: '您最多能承受多大的本金损失？', en: 'What is the largest loss of principal you could bear?' },
    options: [
      opt('a', 0, '不能有任何损失', 'No loss at all'),
      opt('b', 4, '10% 以内', 'Up to 10%'),
      opt('c', 7, '10%–30%', '10% to 30%'),
      opt('d', 10, '30% 以上', 'Over 30%'),
    ],
  },
  {
    id: 'reaction',
    text: { zh: '如果您出借的项目发生逾期，您会？', en: 'If a loan you funded falls overdue, what do you do?' },
    options: [
      opt('a', 0, '非常焦虑，立即要求退出', 'Worry a lot and want out at once'),
      opt('b', 3, '担心，以后减少出借', 'Worry, and lend less in future'),
      opt('c', 7, '等待催收结果，不影响出借计划', 'Wait for collection; my plans do not change'),
      opt('d', 10, '视为正常风险，继续分散出借', 'Treat it as normal risk and keep lending, spread out'),
    ],
  },
  {
    id: 'liquidity',
    text: {
      zh: '这笔资金在未来一年内被急用的可能性有多大？',
      en: 'How likely are you to need this money urgently within a year?',
    },
    options: [
      opt('a', 0, '很可能', 'Very likely'),
      opt('b', 3, '有可能', 'Possibly'),
      opt('c', 7, '不太可能', 'Unlikely'),
      opt('d', 10, '基本不会', 'Almost certainly not'),
    ],
  },
];

/** The level a total falls in. Throws a RangeError for a total no answers can give (a programmer error). */
export function levelForScore(score: number): RiskLevel {
  const band = LEVEL_BANDS.find((b) => score >= b.minScore && score <= b.maxScore);
  if (!Number.isInteger(score) || band === undefined) throw new RangeError(`no risk level for score ${score}`);
  return band.level;
}

export function levelName(level: RiskLevel): LocalizedText {
  return LEVEL_BANDS.find((b) => b.level === level)!.name;
}

/** Most entries an answers object may have before it is refused unread. */
export const ANSWERS_ENTRIES_MAX = 50;

/**
 * Score a complete set of answers (`{ questionId: optionId }`). Refuses, with the offending question named:
 * an unknown question, an unknown answer, and any question left unanswered.
 */
export function scoreAnswers(answers: Readonly<Record<string, unknown>>): { score: number; level: RiskLevel } {
  const keys = Object.keys(answers);
  if (keys.length > ANSWERS_ENTRIES_MAX) throw RiskError.RISK_ANSWER_UNKNOWN_QUESTION({ field: 'answers' });
  for (const key of keys) {
    if (!QUESTIONS.some((q) => q.id === key)) {
      throw RiskError.RISK_ANSWER_UNKNOWN_QUESTION({
        field: `answers.${key.slice(0, 40)}`,
        question: key.slice(0, 40),
      });
    }
  }
  const missing = QUESTIONS.filter((q) => !Object.hasOwn(answers, q.id)).map((q) => q.id);
  if (missing.length > 0) throw RiskError.RISK_ANSWERS_INCOMPLETE({ field: `answers.${missing[0]}`, missing });
  let score = 0;
  for (const question of QUESTIONS) {
    const chosen = answers[question.id];
    const option = question.options.find((o) => o.id === chosen);
    if (option === undefined) {
      throw RiskError.RISK_ANSWER_INVALID_OPTION({ field: `answers.${question.id}`, question: question.id });
    }
    score += option.score;
  }
  return { score, level: levelForScore(score) };
}

/** The lowest and highest totals the questionnaire can give. */
export function scoreRange(): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const q of QUESTIONS) {
    const scores = q.options.map((o) => o.score);
    min += Math.min(...scores);
    max += Math.max(...scores);
  }
  return { min, max };
}
