export type { Custodian, CustodianEvent } from './custodian.ts';
export { paymentsRoutes } from './payments.routes.ts';
export { paymentsAdminRoutes } from './payments-admin.routes.ts';
export { RECHARGE_DAILY_MAX_FEN, RECHARGE_MAX_FEN, RECHARGE_MIN_FEN } from './recharge.service.ts';
export { reconcileYesterdayIfDue } from './reconciliation.job.ts';
export { sandboxRoutes } from './sandbox/sandbox.routes.ts';
export { createSandboxCustodian } from './sandbox/sandbox.service.ts';
export { signBody } from './signing.ts';
export { withdrawalAdminRoutes, withdrawalRoutes } from './withdrawal.routes.ts';
