import { defineErrors } from '../../../platform/errors.ts';

export const RiskError = defineErrors({
  RISK_ANSWERS_INCOMPLETE: {
    status: 400,
    zh: '请回答全部题目（未答：{missing}）',
    en: 'Answer every question (unanswered: {missing})',
  },
  RISK_ANSWER_UNKNOWN_QUESTION: {
    status: 400,
    zh: '问卷中没有这道题：{field}',
    en: 'There is no such question: {field}',
  },
  RISK_ANSWER_INVALID_OPTION: {
    status: 400,
    zh: '答案不是该题的选项：{field}',
    en: 'The answer is not one of the options: {field}',
  },
  RISK_QUESTIONNAIRE_CHANGED: {
    status: 409,
    zh: '问卷已更新，请刷新页面后重新作答',
    en: 'The questionnaire has changed; reload the page and answer again',
  },
  RISK_ASSESSMENT_TOO_FREQUENT: {
    status: 429,
    zh: '今天的测评次数已用完（每天最多 {limit} 次），请明天再试',
    en: 'You have taken the assessment {limit} times today; try again tomorrow',
  },
});
