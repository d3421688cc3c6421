/**
 * The custodian (资金存管) holds the real money; the platform keeps only virtual accounts. Everything the
 * platform needs from it goes through this interface. A real custodian is one new implementation plus its
 * callback format mapped onto `CustodianEvent`. It must:
 * - accept a recharge order and give the customer a page to pay on (`createRechargeOrder`), idempotent by order number;
 * - pay out to a customer's bound card (`payout`), idempotent by order number: asking twice pays once;
 * - answer the status of any order (`queryOrder`), used when a callback is late or lost;
 * - produce a daily statement of every settled order (`dailyStatement`) for reconciliation;
 * - report results by signed callbacks (HMAC-SHA256 over `${X-Timestamp}.${raw body}`, header X-Signature),
 *   retried until acknowledged with 2xx; duplicates and any order are allowed, the platform copes.
 */
export interface Custodian {
  readonly name: string;
  createRechargeOrder(input: { orderNo: string; userRef: string; amountFen: bigint }): Promise<{ payUrl: string }>;
  payout(input: {
    orderNo: string;
    userRef: string;
    amountFen: bigint;
    cardRef: string;
  }): Promise<{ accepted: boolean }>;
  queryOrder(orderNo: string): Promise<CustodianOrderStatus>;
  dailyStatement(businessDate: string): Promise<CustodianStatementLine[]>;
}

export interface CustodianOrderStatus {
  readonly orderNo: string;
  readonly status: 'created' | 'succeeded' | 'failed' | 'unknown';
  readonly amountFen: bigint | null;
}

export interface CustodianStatementLine {
  readonly orderNo: string;
  readonly kind: 'recharge' | 'payout';
  readonly amountFen: bigint;
  readonly status: 'succeeded' | 'failed';
  readonly settledAt: string;
}

/** What a callback says happened. */
export interface CustodianEvent {
  readonly eventId: string;
  readonly event: 'recharge.succeeded' | 'recharge.failed' | 'payout.succeeded' | 'payout.failed';
  readonly orderNo: string;
  readonly amountFen: bigint;
  readonly occurredAt: string;
  readonly reason?: string;
}

export const CUSTODIAN_EVENTS = ['recharge.succeeded', 'recharge.failed', 'payout.succeeded', 'payout.failed'] as const;
