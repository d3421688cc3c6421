import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { RISK_LEVELS } from '../identity/risk/index.ts';
import { REPAYMENT_METHODS } from '../servicing/schedule/index.ts';
import { LoanError } from './loans.errors.ts';
import { NullableFen } from './loans.routes-shared.ts';
import {
  createLoanProduct,
  findLoanProduct,
  listLoanProducts,
  productView,
  updateLoanProduct,
} from './products.service.ts';
import { LOAN_TYPES, PRODUCT_AMOUNT_FEN_MAX, type ProductInput } from './products.ts';

const adminTags = ['back office: loans'];
const RATE = { pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,6})?$', maxLength: 16 } as const;
const FEN_MAX = Number(PRODUCT_AMOUNT_FEN_MAX);
const Fen = (min = 1) => Type.Integer({ minimum: min, maximum: FEN_MAX });

export const ProductBody = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Stable code, lower snake case' }),
    nameZh: Type.String({ minLength: 1, maxLength: 40 }),
    nameEn: Type.String({ minLength: 1, maxLength: 60 }),
    loanType: Type.String({ enum: [...LOAN_TYPES] }),
    methods: Type.Array(Type.String({ enum: [...REPAYMENT_METHODS] }), { minItems: 1, maxItems: 6 }),
    amountMinFen: Fen(),
    amountMaxFen: Fen(),
    termUnit: Type.String({ enum: ['month', 'day'] }),
    termMin: Type.Integer({ minimum: 1, maximum: 3650 }),
    termMax: Type.Integer({ minimum: 1, maximum: 3650 }),
    rateMin: Type.String({ ...RATE, description: 'Lowest annual rate, decimal string, ≤ 0.36' }),
    rateMax: Type.String({ ...RATE, description: 'Highest annual rate, decimal string, ≤ 0.36' }),
    bidMinFen: Fen(),
    bidStepFen: Fen(),
    bidMaxPerInvestorFen: Type.Union([Fen(), Type.Null()]),
    raiseDays: Type.Integer({ minimum: 1, maximum: 60 }),
    serviceFeeRate: Type.String({ ...RATE, description: "Borrower's service fee on the amount, ≤ 0.2" }),
    guaranteeFeeRate: Type.String({ ...RATE, description: 'Guarantee fee on the amount, ≤ 0.2' }),
    managementFeeRate: Type.String({ ...RATE, description: "Investors' management fee on interest, ≤ 0.5" }),
    riskLevels: Type.Array(Type.String({ enum: [...RISK_LEVELS] }), { minItems: 1, maxItems: 4 }),
    allowBonus: Type.Boolean(),
    netWorthShare: Type.Union([Type.String(RATE), Type.Null()]),
    publishTwoPersonAboveFen: Type.Union([Fen(0), Type.Null()]),
    status: Type.String({ enum: ['active', 'disabled'] }),
  },
  { additionalProperties: false },
);

export const ProductSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  loanType: Type.String(),
  methods: Type.Array(Type.String()),
  amountMinFen: FenSchema,
  amountMaxFen: FenSchema,
  termUnit: Type.String(),
  termMin: Type.Integer(),
  termMax: Type.Integer(),
  rateMin: Type.String(),
  rateMax: Type.String(),
  bidMinFen: FenSchema,
  bidStepFen: FenSchema,
  bidMaxPerInvestorFen: NullableFen,
  raiseDays: Type.Integer(),
  serviceFeeRate: Type.String(),
  guaranteeFeeRate: Type.String(),
  managementFeeRate: Type.String(),
  riskLevels: Type.Array(Type.String()),
  allowBonus: Type.Boolean(),
  netWorthShare: Type.Union([Type.String(), Type.Null()]),
  publishTwoPersonAboveFen: NullableFen,
  status: Type.String(),
});

type Body = Static<typeof ProductBody>;

function toInput(body: Body): ProductInput {
  const big = (n: number | null) => (n === null ? null : BigInt(n));
  return {
    ...body,
    loanType: body.loanType as ProductInput['loanType'],
    termUnit: body.termUnit as ProductInput['termUnit'],
    status: body.status as ProductInput['status'],
    amountMinFen: BigInt(body.amountMinFen),
    amountMaxFen: BigInt(body.amountMaxFen),
    bidMinFen: BigInt(body.bidMinFen),
    bidStepFen: BigInt(body.bidStepFen),
    bidMaxPerInvestorFen: big(body.bidMaxPerInvestorFen),
    publishTwoPersonAboveFen: big(body.publishTwoPersonAboveFen),
  };
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Loan products (标种): staff configure them; anyone may read the active ones. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/loan-products',
    {
      schema: {
        operationId: 'listActiveLoanProducts',
        summary: 'Active loan products a borrower may apply for',
        tags: ['loans'],
        response: { 200: Type.Object({ items: Type.Array(ProductSchema) }) },
      },
    },
    async () => ({ items: (await listLoanProducts(app.db, { activeOnly: true })).map(productView) }),
  );

  app.get(
    '/api/v1/admin/loan-products',
    {
      config: { permission: 'loans.products' },
      schema: {
        operationId: 'listLoanProducts',
        summary: 'Every loan product, active and disabled',
        tags: adminTags,
        response: { 200: Type.Object({ items: Type.Array(ProductSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: (await listLoanProducts(app.db, { activeOnly: false })).map(productView) }),
  );

  app.get(
    '/api/v1/admin/loan-products/:id',
    {
      config: { permission: 'loans.products' },
      schema: {
        operationId: 'getLoanProduct',
        summary: 'One loan product',
        tags: adminTags,
        params: IdParams,
        response: { 200: ProductSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findLoanProduct(app.db, request.params.id);
      if (!row) throw LoanError.PRODUCT_NOT_FOUND();
      return productView(row);
    },
  );

  app.post(
    '/api/v1/admin/loan-products',
    {
      config: { permission: 'loans.products' },
      schema: {
        operationId: 'createLoanProduct',
        summary: 'Create a loan product',
        description:
          'Errors: VALIDATION_FAILED, PRODUCT_RANGE_INVALID, PRODUCT_METHODS_INVALID, INVALID_RATE, RATE_OUT_OF_RANGE, ' +
          'PRODUCT_NET_WORTH_SHARE_REQUIRED (400), PRODUCT_CODE_TAKEN (409).',
        tags: adminTags,
        body: ProductBody,
        response: { 201: ProductSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await app.db.transaction().execute((trx) => createLoanProduct(trx, toInput(request.body), request));
      return reply.code(201).send(productView(row));
    },
  );

  app.put(
    '/api/v1/admin/loan-products/:id',
    {
      config: { permission: 'loans.products' },
      schema: {
        operationId: 'updateLoanProduct',
        summary: 'Change a loan product (applications already made keep their terms)',
        tags: adminTags,
        params: IdParams,
        body: ProductBody,
        response: { 200: ProductSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      productView(
        await app.db
          .transaction()
          .execute((trx) => updateLoanProduct(trx, request.params.id, toInput(request.body), request)),
      ),
  );
};
