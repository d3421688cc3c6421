import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { LoanError } from './loans.errors.ts';

const Row = Type.Object({
  period: Type.Integer(),
  dueDate: Type.String({ format: 'date' }),
  principalFen: FenSchema,
  interestFen: FenSchema,
  paymentFen: FenSchema,
  remainingPrincipalFen: FenSchema,
  status: Type.String({ enum: ['pending', 'paid', 'overdue'] }),
});

/** A borrower's repayment schedule (还款计划) of a disbursed loan. */
export const myLoansRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me/loans/:loanId/repayment-schedule',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyRepaymentSchedule',
        summary: 'The repayment schedule of one of my disbursed loans',
        tags: ['loans'],
        params: Type.Object({ loanId: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Object({ loanId: Type.String(), rows: Type.Array(Row), totalPaymentFen: FenSchema }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const loan = await app.db
        .selectFrom('loans')
        .select(['id'])
        .where('id', '=', request.params.loanId)
        .where('borrower_id', '=', request.customer!.id)
        .executeTakeFirst();
      if (!loan) throw LoanError.LOAN_NOT_FOUND({ loanId: request.params.loanId });
      const rows = await app.db
        .selectFrom('repayment_schedules')
        .selectAll()
        .where('loan_id', '=', loan.id)
        .orderBy('period')
        .execute();
      return {
        loanId: loan.id,
        rows: rows.map((r) => ({
          period: r.period,
          dueDate: r.due_date,
          principalFen: r.principal_fen,
          interestFen: r.interest_fen,
          paymentFen: r.payment_fen,
          remainingPrincipalFen: r.remaining_principal_fen,
          status: r.status,
        })),
        totalPaymentFen: rows.reduce((sum, r) => sum + r.payment_fen, 0n),
      };
    },
  );
};
