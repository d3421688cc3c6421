import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import {
  CALCULATOR_AMOUNT_FEN_MAX,
  CALCULATOR_AMOUNT_FEN_MIN,
  CALCULATOR_TERM_DAYS_MAX,
  CALCULATOR_TERM_MONTHS_MAX,
  REPAYMENT_METHODS,
} from './schedule/index.ts';
import { calculateRepaymentSchedule } from './schedule.service.ts';

const RATE_TEXT_CHARS_MAX = 16;

const ScheduleRequest = Type.Object(
  {
    amountFen: Type.Integer({
      minimum: Number(CALCULATOR_AMOUNT_FEN_MIN),
      maximum: Number(CALCULATOR_AMOUNT_FEN_MAX),
      description: 'Loan amount in fen (1.00 to 100,000,000.00 yuan)',
      examples: [1_000_000],
    }),
    annualRate: Type.String({
      pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,6})?$',
      maxLength: RATE_TEXT_CHARS_MAX,
      description: 'Annual rate as a decimal string, 0 to 0.36, at most 6 decimals',
      examples: ['0.12'],
    }),
    method: Type.Enum(REPAYMENT_METHODS, {
      type: 'string',
      description:
        'equal_installment 等额本息 · equal_principal 等额本金 · interest_monthly 按月付息到期还本 · ' +
        'bullet 一次性还本付息 · quarterly 按季等额本息 (months a multiple of 3) · daily 按天计息 (termDays)',
    }),
    termMonths: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: CALCULATOR_TERM_MONTHS_MAX,
        description: 'Term in months, for every method but daily',
      }),
    ),
    termDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: CALCULATOR_TERM_DAYS_MAX, description: 'Term in days, for daily only' }),
    ),
    startDate: Type.Optional(
      Type.String({
        format: 'date',
        description: 'The day the loan starts, YYYY-MM-DD; default today in Asia/Shanghai',
        examples: ['2026-01-31'],
      }),
    ),
  },
  { additionalProperties: false },
);

const ScheduleRow = Type.Object({
  period: Type.Integer(),
  dueDate: Type.String({ format: 'date' }),
  principalFen: Type.Integer(),
  interestFen: Type.Integer(),
  paymentFen: Type.Integer(),
  remainingPrincipalFen: Type.Integer(),
});

const ScheduleBody = Type.Object({
  rows: Type.Array(ScheduleRow),
  totalPrincipalFen: Type.Integer(),
  totalInterestFen: Type.Integer(),
  totalPaymentFen: Type.Integer(),
});

/** Public loan calculators (网贷工具); no login. */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/tools/repayment-schedule',
    {
      schema: {
        operationId: 'calculateRepaymentSchedule',
        summary: 'Repayment schedule of a loan, exact to the fen (public calculator)',
        description:
          'Every figure is integer fen, rounded half-up where the conventions say (docs/schedules.md). ' +
          'Errors: VALIDATION_FAILED, AMOUNT_OUT_OF_RANGE, RATE_OUT_OF_RANGE, TERM_REQUIRED, TERM_NOT_APPLICABLE, ' +
          'TERM_OUT_OF_RANGE, TERM_NOT_WHOLE_QUARTERS, INVALID_START_DATE (all 400, details.field names the input).',
        tags: ['tools'],
        body: ScheduleRequest,
        response: { 200: ScheduleBody, ...errorResponses(400) },
      },
    },
    async (request) => calculateRepaymentSchedule(request.body, Date.now()),
  );
};
