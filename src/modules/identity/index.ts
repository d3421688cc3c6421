import type { FastifyPluginAsync } from 'fastify';
import { customerAuthRoutes } from './customer-auth.routes.ts';
import { kycRoutes } from './kyc.routes.ts';

export { BANKS, type BankCardStatus, CARD_STATUSES } from './bank-card.ts';
export { hasPendingWithdrawal, recordBoundCard } from './bank-cards.service.ts';
export { CustomerError } from './customer.errors.ts';
export { type CustomerProfile, customerProfile } from './customer-auth.service.ts';
export { CUSTOMER_CONTEXTS, createCustomer, phoneHash } from './customers.service.ts';
export { type KycProvider, rulesOnlyKycProvider, verifyRealName } from './real-name.service.ts';
export { SMS_PURPOSES, type SmsProvider, type SmsPurpose, smsProviderFromConfig } from './sms.provider.ts';
export {
  consumeWithdrawCode,
  describeCards,
  findWithdrawalCard,
  sendWithdrawCode,
  type WithdrawalCard,
  WithdrawalCardError,
} from './withdrawal-support.service.ts';
export { customerAuthRoutes, kycRoutes };

/** Customer routes: SMS codes, sign-up and sign-in, profile, real-name verification, bank cards and their review. */
export const customerRoutes: FastifyPluginAsync = async (app) => {
  await app.register(customerAuthRoutes);
  await app.register(kycRoutes);
};
