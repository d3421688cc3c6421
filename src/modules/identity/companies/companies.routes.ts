import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../../platform/audit.ts';
import { errorResponses } from '../../../platform/http-schemas.ts';
import { AMOUNT_FEN_MAX, fenFromJson } from '../../money/index.ts';
import { CompanyError } from './companies.errors.ts';
import {
  addFinancials,
  COMPANY_ID_PATTERN,
  COMPANY_PAGE_DEFAULT,
  COMPANY_PAGE_MAX,
  type CompanyView,
  companyForStaff,
  customerFinancials,
  type FinancialsView,
  findCustomerCompany,
  listCompaniesForStaff,
  type StaffCompanyView,
  saveCustomerCompany,
  updateFinancials,
} from './companies.service.ts';
import { COMPANY_NAME_CHARS_MAX, INDUSTRIES, LEGAL_REPRESENTATIVE_CHARS_MAX } from './companies.ts';

const FEN_MAX = Number(AMOUNT_FEN_MAX);
/** Integer fen as a JSON number (the handler returns bigint). */
const Fen = Type.Unsafe<bigint>(Type.Integer({ description: 'Amount in fen (1 yuan = 100 fen)' }));
/** Integer fen in a request: whole numbers only, within the platform's range. */
const FenInput = (minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: FEN_MAX, description: `${description}, in fen` });

const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.String({ enum: [...values] }));

const CompanyBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  creditCode: Type.String({ description: 'Unified social credit code (统一社会信用代码)' }),
  legalRepresentativeMasked: Type.String({ description: "The legal representative's name, masked" }),
  registeredCapitalFen: Fen,
  industry: Type.String({ enum: [...INDUSTRIES] }),
  foundedOn: Type.String({ format: 'date' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const StaffCompanyBody = Type.Object({
  ...CompanyBody.properties,
  customerId: Type.String(),
  customerPhoneMasked: Type.String(),
});

const FinancialsBody = Type.Object({
  year: Type.Integer(),
  revenueFen: Fen,
  netProfitFen: Fen,
  totalAssetsFen: Fen,
  totalLiabilitiesFen: Fen,
  updatedAt: Type.String({ format: 'date-time' }),
});
const FinancialsList = Type.Object({
  items: Type.Array(FinancialsBody),
  nextCursor: Type.Null({ description: 'Always null: every year is in one page' }),
});

const FinancialsFields = {
  revenueFen: FenInput(0, 'Operating revenue (营业收入)'),
  netProfitFen: Type.Integer({
    minimum: -FEN_MAX,
    maximum: FEN_MAX,
    description: 'Net profit (净利润), negative for a loss, in fen',
  }),
  totalAssetsFen: FenInput(0, 'Total assets (资产总额)'),
  totalLiabilitiesFen: FenInput(0, 'Total liabilities (负债总额)'),
};

function companyJson(c: CompanyView) {
  return {
    id: c.id,
    name: c.name,
    creditCode: c.creditCode,
    legalRepresentativeMasked: c.legalRepresentativeMasked,
    registeredCapitalFen: c.registeredCapitalFen,
    industry: c.industry,
    foundedOn: c.foundedOn,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function staffCompanyJson(c: StaffCompanyView) {
  return { ...companyJson(c), customerId: c.customerId, customerPhoneMasked: c.customerPhoneMasked };
}

function financialsJson(f: FinancialsView) {
  return { ...f, updatedAt: f.updatedAt.toISOString() };
}

function financialsInput(body: {
  revenueFen: number;
  netProfitFen: number;
  totalAssetsFen: number;
  totalLiabilitiesFen: number;
}) {
  return {
    revenueFen: fenFromJson(body.revenueFen),
    netProfitFen: fenFromJson(body.netProfitFen),
    totalAssetsFen: fenFromJson(body.totalAssetsFen),
    totalLiabilitiesFen: fenFromJson(body.totalLiabilitiesFen),
  };
}

const tags = ['company'];
const staffTags = ['back office: companies'];

/** Company profiles (企业用户) and their yearly financial statements. */
export const companyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me/company',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyCompany',
        summary: 'My company profile (404 COMPANY_NOT_FOUND before one is saved)',
        tags,
        response: { 200: CompanyBody, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const company = await findCustomerCompany(app.db, request.customer!.id);
      if (!company) throw CompanyError.COMPANY_NOT_FOUND();
      return companyJson(company);
    },
  );

  app.put(
    '/api/v1/me/company',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'saveMyCompany',
        summary: 'Create or replace my company profile',
        description:
          'One profile per customer; the credit code is checked (GB 32100 check character) and unique on the ' +
          'platform. `legalRepresentative` is required on creation; omit it on an update to keep the current one.',
        tags,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: COMPANY_NAME_CHARS_MAX * 2 }),
            creditCode: Type.String({ minLength: 1, maxLength: 40 }),
            legalRepresentative: Type.Optional(
              Type.String({ minLength: 1, maxLength: LEGAL_REPRESENTATIVE_CHARS_MAX * 2 }),
            ),
            registeredCapitalFen: FenInput(1, 'Registered capital (注册资本)'),
            industry: enumOf(INDUSTRIES),
            foundedOn: Type.String({ format: 'date', description: 'Founding date (成立日期), YYYY-MM-DD' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: CompanyBody, 201: CompanyBody, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await saveCustomerCompany(app.db, app.cipher, request.customer!.id, {
        ...body,
        registeredCapitalFen: fenFromJson(body.registeredCapitalFen),
      });
      await audit(app.db, request, {
        action: result.created ? 'company.created' : 'company.updated',
        targetKind: 'company',
        targetId: result.company.id,
        before: result.before ? companyJson(result.before) : undefined,
        after: companyJson(result.company),
      });
      return reply.code(result.created ? 201 : 200).send(companyJson(result.company));
    },
  );

  app.get(
    '/api/v1/me/company/financials',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyCompanyFinancials',
        summary: "My company's yearly financial statements, newest year first",
        tags,
        response: { 200: FinancialsList, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const items = await customerFinancials(app.db, request.customer!.id);
      return { items: items.map(financialsJson), nextCursor: null };
    },
  );

  app.post(
    '/api/v1/me/company/financials',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'addMyCompanyFinancials',
        summary: "Record one year's financial statement (one per year)",
        tags,
        body: Type.Object(
          { year: Type.Integer({ minimum: 1900, maximum: 2999 }), ...FinancialsFields },
          { additionalProperties: false },
        ),
        response: { 201: FinancialsBody, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const added = await addFinancials(app.db, request.customer!.id, {
        year: request.body.year,
        ...financialsInput(request.body),
      });
      await audit(app.db, request, {
        action: 'company.financials_added',
        targetKind: 'company_financials',
        targetId: String(added.year),
        after: financialsJson(added),
      });
      return reply.code(201).send(financialsJson(added));
    },
  );

  app.put(
    '/api/v1/me/company/financials/:year',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'updateMyCompanyFinancials',
        summary: "Correct one year's financial statement",
        tags,
        params: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2999 }) }),
        body: Type.Object(FinancialsFields, { additionalProperties: false }),
        response: { 200: FinancialsBody, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const result = await updateFinancials(app.db, request.customer!.id, {
        year: request.params.year,
        ...financialsInput(request.body),
      });
      await audit(app.db, request, {
        action: 'company.financials_updated',
        targetKind: 'company_financials',
        targetId: String(result.after.year),
        before: financialsJson(result.before),
        after: financialsJson(result.after),
      });
      return financialsJson(result.after);
    },
  );

  app.get(
    '/api/v1/admin/companies',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'listCompanies',
        summary: 'Company profiles, newest first; `q` matches part of the name or a whole credit code',
        tags: staffTags,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            industry: Type.Optional(enumOf(INDUSTRIES)),
            customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: COMPANY_PAGE_MAX, default: COMPANY_PAGE_DEFAULT }),
            ),
            cursor: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(StaffCompanyBody),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const page = await listCompaniesForStaff(app.db, request.query);
      return { items: page.items.map(staffCompanyJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/admin/companies/:id',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'getCompany',
        summary: 'One company profile with its yearly financial statements',
        tags: staffTags,
        params: Type.Object({ id: Type.String({ pattern: COMPANY_ID_PATTERN }) }),
        response: {
          200: Type.Object({ ...StaffCompanyBody.properties, financials: Type.Array(FinancialsBody) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { company, financials } = await companyForStaff(app.db, request.params.id);
      await audit(app.db, request, { action: 'company.viewed', targetKind: 'company', targetId: company.id });
      return { ...staffCompanyJson(company), financials: financials.map(financialsJson) };
    },
  );
};
