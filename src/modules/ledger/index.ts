export {
  type Account,
  type AccountTotals,
  availableFen,
  balanceFen,
  CUSTOMER_ACCOUNT_NAMES,
  CUSTOMER_PURPOSES,
  type CustomerPurpose,
  frozenFen,
  type NormalSide,
  PLATFORM_ACCOUNT_NAMES,
  PLATFORM_PURPOSES,
  type PlatformPurpose,
  platformAccountId,
} from './accounts.ts';
export { LedgerError } from './ledger.errors.ts';
export { ledgerRoutes } from './ledger.routes.ts';
export {
  type CustomerAccounts,
  type CustomerBalances,
  customerAccounts,
  customerBalances,
  expireHolds,
  getAccount,
  hold,
  openCustomerAccounts,
  postHold,
  transfer,
  transferBatch,
  transferLinked,
  voidHold,
} from './ledger.service.ts';
export { TRANSFER_CODES, type TransferCode } from './transfer-codes.ts';
export {
  TRANSFER_BATCH_MAX,
  type Transfer,
  type TransferCommand,
  type TransferOutcome,
  type Trx,
} from './transfers.ts';
export { type LedgerBreach, type LedgerReport, verifyLedger } from './verify.ts';
