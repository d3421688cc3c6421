export { CompanyError } from './companies.errors.ts';
export { companyRoutes } from './companies.routes.ts';
export { type CompanyView, type FinancialsView, findCustomerCompany, listFinancials } from './companies.service.ts';
export * from './companies.ts';
