import type { Trx } from '../../db/database.ts';
import type { LoanStatus } from '../../db/schema.ts';

/** Every status a loan may have; see the LoanStatus comment in src/db/schema.ts for the machine. */
export const LOAN_STATUSES = [
  'submitted',
  'returned',
  'rejected',
  'scheduled',
  'raising',
  'second_review',
  'repaying',
  'finished',
  'failed',
  'cancelled',
] as const satisfies readonly LoanStatus[];

/** The statuses the public financing hall (融资大厅) shows. */
export const HALL_STATUSES = [
  'raising',
  'second_review',
  'repaying',
  'finished',
] as const satisfies readonly LoanStatus[];
export type HallStatus = (typeof HALL_STATUSES)[number];

/** Applications still waiting on someone: the borrower may have at most OPEN_APPLICATIONS_MAX of them. */
export const OPEN_STATUSES = ['submitted', 'returned', 'scheduled'] as const satisfies readonly LoanStatus[];

/** Which status may follow which (the whole machine; sections 5–7 use the later edges). */
export const LOAN_TRANSITIONS: Readonly<Record<LoanStatus, readonly LoanStatus[]>> = {
  submitted: ['returned', 'rejected', 'scheduled', 'raising'],
  returned: ['submitted'],
  rejected: [],
  scheduled: ['raising', 'cancelled'],
  raising: ['second_review', 'failed', 'cancelled'],
  second_review: ['repaying', 'cancelled'],
  repaying: ['finished'],
  finished: [],
  failed: [],
  cancelled: [],
};

export function canMove(from: LoanStatus, to: LoanStatus): boolean {
  return LOAN_TRANSITIONS[from].includes(to);
}

export interface LoanEventInput {
  readonly loanId: string;
  readonly from: LoanStatus | null;
  readonly to: LoanStatus;
  readonly actor: { readonly kind: 'customer' | 'staff' | 'system'; readonly id: string | null };
  readonly note?: string | null;
}

/** Append one line to a loan's status history (loan_events), in the caller's transaction. */
export async function recordLoanEvent(trx: Trx, event: LoanEventInput): Promise<void> {
  await trx
    .insertInto('loan_events')
    .values({
      loan_id: event.loanId,
      from_status: event.from,
      to_status: event.to,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id,
      note: event.note ?? null,
    })
    .execute();
}
