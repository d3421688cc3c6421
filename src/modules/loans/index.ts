/**
 * The loan marketplace: products (标种), applications (借款申请), first review (初审) and the financing
 * hall (融资大厅). Bidding, second review, disbursement and failed raises live beside these files.
 */
import type { FastifyPluginAsync } from 'fastify';
import { applicationRoutes } from './applications.routes.ts';
import { hallRoutes } from './hall.routes.ts';
import { productRoutes } from './products.routes.ts';
import { reviewRoutes } from './review.routes.ts';

export {
  type ApplicationInput,
  applyForLoan,
  type LoanRow,
  resubmitApplication,
  schedulePreview,
} from './applications.service.ts';
export { canMove, HALL_STATUSES, LOAN_STATUSES, LOAN_TRANSITIONS, recordLoanEvent } from './loan-status.ts';
export { LoanError } from './loans.errors.ts';
export { createLoanProduct, listLoanProducts, productView } from './products.service.ts';
export { CREDIT_GRADES, LOAN_TYPES, type ProductInput, validateProduct } from './products.ts';
export { decideFirstReview, PUBLISH_APPROVAL, publishDueLoans } from './review.service.ts';

/** Products, applications, first review and the hall. */
export const loanMarketRoutes: FastifyPluginAsync = async (app) => {
  await app.register(productRoutes);
  await app.register(applicationRoutes);
  await app.register(reviewRoutes);
  await app.register(hallRoutes);
};
export { startFailedRaiseSweep } from './disbursement.routes.ts';
export { myLoansRoutes } from './my-loans.routes.ts';
