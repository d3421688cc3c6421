import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { CommonError } from '../../platform/errors.ts';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { customerAccounts, customerBalances } from './ledger.service.ts';
import {
  listStatement,
  STATEMENT_EXPORT_ROWS_MAX,
  STATEMENT_PAGE_DEFAULT,
  STATEMENT_PAGE_MAX,
  type StatementEntry,
  statementCsv,
  transferCodeName,
} from './statement.ts';
import { TRANSFER_CODES } from './transfer-codes.ts';
import { trialBalance } from './trial-balance.ts';

const Fen = FenSchema;

const Balances = Type.Object({
  availableFen: Fen,
  frozenFen: Fen,
  bonusFen: Fen,
  bonusFrozenFen: Fen,
  totalCashFen: Fen,
});

const Entry = Type.Object({
  transferId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  code: Type.String(),
  codeName: Type.String({ description: "The type's name in the caller's language" }),
  kind: Type.String({ enum: ['posted', 'pending', 'post_pending', 'void_pending'] }),
  inFen: Fen,
  outFen: Fen,
  frozenChangeFen: Fen,
  balanceAfterFen: Fen,
  frozenAfterFen: Fen,
  availableAfterFen: Fen,
  memo: Type.Union([Type.String(), Type.Null()]),
});

const StatementQuery = Type.Object(
  {
    account: Type.Optional(Type.String({ enum: ['cash', 'bonus'], default: 'cash' })),
    code: Type.Optional(Type.Array(Type.String({ enum: Object.keys(TRANSFER_CODES) }), { maxItems: 20 })),
    from: Type.Optional(Type.String({ format: 'date', description: 'First business date (Asia/Shanghai), inclusive' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last business date (Asia/Shanghai), inclusive' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: STATEMENT_PAGE_MAX, default: STATEMENT_PAGE_DEFAULT })),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    format: Type.Optional(Type.String({ enum: ['json', 'csv'], default: 'json' })),
  },
  { additionalProperties: false },
);
type StatementQueryT = Static<typeof StatementQuery>;

const StatementPage = Type.Object({
  items: Type.Array(Entry),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  codes: Type.Array(Type.Object({ code: Type.String(), name: Type.String() }), {
    description: 'Every type, for filters',
  }),
});

const TrialBalanceBody = Type.Object({
  asOfDate: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      normalSide: Type.String({ enum: ['debit', 'credit'] }),
      accounts: Type.Integer(),
      debitFen: Fen,
      creditFen: Fen,
    }),
  ),
  totalDebitFen: Fen,
  totalCreditFen: Fen,
  balanced: Type.Boolean(),
  pendingFen: Fen,
});

const statementDescription =
  'Statement (资金流水) of one account, newest first: `limit` (max 100) and `cursor` page it; `format=csv` ' +
  `exports up to ${STATEMENT_EXPORT_ROWS_MAX} rows as CSV (UTF-8 with BOM).`;

/** Balances, statements and the trial balance. */
export const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function sendStatement(
    reply: FastifyReply,
    language: 'zh-CN' | 'en-US',
    ownerId: string,
    query: StatementQueryT,
    filename: string,
  ) {
    const accounts = await customerAccounts(app.db, ownerId);
    const account = query.account === 'bonus' ? accounts.bonus : accounts.cash;
    const csv = query.format === 'csv';
    const page = await listStatement(app.db, account.id, {
      limit: csv ? STATEMENT_EXPORT_ROWS_MAX : (query.limit ?? STATEMENT_PAGE_DEFAULT),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.code ? { codes: query.code } : {}),
      ...(query.from ? { fromDate: query.from } : {}),
      ...(query.to ? { toDate: query.to } : {}),
    });
    if (csv) {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}.csv"`)
        .send(statementCsv(page.items, language));
    }
    return {
      items: page.items.map((e: StatementEntry) => ({
        ...e,
        createdAt: e.createdAt.toISOString(),
        codeName: transferCodeName(e.code, language),
      })),
      nextCursor: page.nextCursor,
      codes: Object.keys(TRANSFER_CODES).map((code) => ({ code, name: transferCodeName(code, language) })),
    };
  }

  app.get(
    '/api/v1/me/account',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyAccount',
        summary: 'My balances: available, frozen and bonus money',
        tags: ['account'],
        response: { 200: Balances, ...errorResponses(401) },
      },
    },
    async (request) => customerBalances(app.db, request.customer!.id),
  );

  app.get(
    '/api/v1/me/statement',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyStatement',
        summary: 'My statement (资金流水)',
        description: statementDescription,
        tags: ['account'],
        querystring: StatementQuery,
        response: { 200: StatementPage, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => sendStatement(reply, request.language, request.customer!.id, request.query, 'statement'),
  );

  app.get(
    '/api/v1/admin/customers/:customerId/statement',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getCustomerStatement',
        summary: "A customer's statement (staff)",
        description: statementDescription,
        tags: ['back office: funds'],
        params: Type.Object({ customerId: Type.String({ maxLength: 64 }) }),
        querystring: StatementQuery,
        response: { 200: StatementPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const exists = await app.db
        .selectFrom('ledger_accounts')
        .select('id')
        .where('owner_id', '=', customerId)
        .executeTakeFirst();
      if (!exists) throw CommonError.NOT_FOUND({ customerId });
      await audit(app.db, request, { action: 'ledger.statement_viewed', targetKind: 'customer', targetId: customerId });
      return sendStatement(reply, request.language, customerId, request.query, `statement-${customerId}`);
    },
  );

  app.get(
    '/api/v1/admin/ledger/trial-balance',
    {
      config: { permission: 'ledger.trial_balance' },
      schema: {
        operationId: 'getTrialBalance',
        summary: 'Trial balance (试算平衡表) at the end of a business date, or now',
        tags: ['back office: funds'],
        querystring: Type.Object(
          { date: Type.Optional(Type.String({ format: 'date' })) },
          { additionalProperties: false },
        ),
        response: { 200: TrialBalanceBody, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const tb = await trialBalance(app.db, request.query.date);
      const en = request.language === 'en-US';
      return { ...tb, rows: tb.rows.map((r) => ({ ...r, name: en ? r.name.en : r.name.zh })) };
    },
  );
};
