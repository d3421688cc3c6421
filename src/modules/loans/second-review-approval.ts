import { registerApprovalKind } from '../backoffice/index.ts';
import { approveFullLoan } from './disbursement.service.ts';

/** Second review above the product's two-person limit: a second staff member's approval disburses. */
export const SECOND_REVIEW_APPROVAL = 'loans.second_review';

registerApprovalKind<{ loanId: string }>(SECOND_REVIEW_APPROVAL, {
  name: { zh: '满标复审放款', en: 'Second review and disbursement' },
  permission: 'loans.second_review',
  async apply(trx, payload, context) {
    await approveFullLoan(trx, {
      loanId: payload.loanId,
      staffId: context.checkerId,
      note: context.reason ?? context.note,
    });
  },
});
