import type { Db } from '../db/database.ts';
import { phoneHash } from '../modules/identity/index.ts';
import { applyBidBatch } from '../modules/loans/bidding.service.ts';
import { approveFullLoan } from '../modules/loans/disbursement.service.ts';
import { applyForLoan, createLoanProduct, decideFirstReview, type ProductInput } from '../modules/loans/index.ts';
import { cancelRaisingLoan, failLoanIfExpired } from '../modules/loans/raise.service.ts';
import type { FieldCipher } from '../platform/crypto.ts';

const base = {
  bidMaxPerInvestorFen: null,
  serviceFeeRate: '0.02',
  guaranteeFeeRate: '0',
  managementFeeRate: '0.1',
  riskLevels: ['steady', 'balanced', 'aggressive'],
  allowBonus: false,
  netWorthShare: null,
  publishTwoPersonAboveFen: 50_000_000n,
  status: 'active',
} as const;

/** Three demo products: credit (信用标), guaranteed (担保标) and flash (秒标). */
const PRODUCTS: readonly ProductInput[] = [
  {
    ...base,
    code: 'credit',
    nameZh: '信用标',
    nameEn: 'Credit loan',
    loanType: 'credit',
    methods: ['equal_installment', 'equal_principal', 'interest_monthly'],
    amountMinFen: 300_000n,
    amountMaxFen: 20_000_000n,
    termUnit: 'month',
    termMin: 3,
    termMax: 36,
    rateMin: '0.08',
    rateMax: '0.18',
    bidMinFen: 5_000n,
    bidStepFen: 100n,
    raiseDays: 7,
  },
  {
    ...base,
    code: 'guaranteed',
    nameZh: '担保标',
    nameEn: 'Guaranteed loan',
    loanType: 'guaranteed',
    methods: ['equal_installment', 'quarterly', 'bullet'],
    amountMinFen: 1_000_000n,
    amountMaxFen: 100_000_000n,
    termUnit: 'month',
    termMin: 3,
    termMax: 24,
    rateMin: '0.06',
    rateMax: '0.12',
    bidMinFen: 10_000n,
    bidStepFen: 100n,
    raiseDays: 10,
    guaranteeFeeRate: '0.01',
    riskLevels: ['conservative', 'steady', 'balanced', 'aggressive'],
  },
  {
    ...base,
    code: 'flash',
    nameZh: '秒标',
    nameEn: 'Flash loan',
    loanType: 'flash',
    methods: ['daily'],
    amountMinFen: 100_000n,
    amountMaxFen: 100_000_000n,
    termUnit: 'day',
    termMin: 1,
    termMax: 30,
    rateMin: '0.05',
    rateMax: '0.1',
    bidMinFen: 5_000n,
    bidStepFen: 100n,
    raiseDays: 1,
    serviceFeeRate: '0',
  },
];

/**
 * Demo products and loans in every state: submitted (awaiting first review), raising in the hall, rejected,
 * bid full (second review), disbursed and repaying, failed (raise window ended) and cancelled. Borrowers are the demo customers 13800000003 and 13800000004. Runs once (skips if products exist).
 */
export async function seedDemoLoans(db: Db, cipher: FieldCipher): Promise<void> {
  const existing = await db.selectFrom('loan_products').select('id').limit(1).executeTakeFirst();
  if (existing) return;
  const reviewer = await db.selectFrom('staff').select('id').where('username', '=', 'risk').executeTakeFirst();
  const borrowers = await Promise.all(
    ['13800000003', '13800000004'].map((phone) =>
      db.selectFrom('users').select('id').where('phone_hash', '=', phoneHash(cipher, phone)).executeTakeFirst(),
    ),
  );
  await db.transaction().execute(async (trx) => {
    const made = [];
    for (const p of PRODUCTS) made.push(await createLoanProduct(trx, p));
    const [wang, liu] = borrowers;
    if (!wang || !liu || !reviewer) return;
    const [creditP, guaranteedP, flashP] = made;
    if (!creditP || !guaranteedP || !flashP) return;
    const loans = [
      {
        who: wang.id,
        productId: creditP.id,
        amountFen: 5_000_000n,
        termMonths: 12,
        annualRate: '0.12',
        method: 'equal_installment',
        purpose: '店面装修与设备采购',
        decide: 'raise:A',
      },
      {
        who: liu.id,
        productId: guaranteedP.id,
        amountFen: 20_000_000n,
        termMonths: 6,
        annualRate: '0.09',
        method: 'quarterly',
        purpose: '季节性备货周转',
        decide: 'raise:B',
      },
      {
        who: wang.id,
        productId: flashP.id,
        amountFen: 1_000_000n,
        termDays: 7,
        annualRate: '0.08',
        method: 'daily',
        purpose: '短期资金周转',
        decide: 'raise:A',
      },
      {
        who: liu.id,
        productId: creditP.id,
        amountFen: 800_000n,
        termMonths: 6,
        annualRate: '0.15',
        method: 'equal_principal',
        purpose: '教育培训费用',
        decide: 'reject',
      },
      {
        who: wang.id,
        productId: creditP.id,
        amountFen: 3_000_000n,
        termMonths: 24,
        annualRate: '0.1',
        method: 'interest_monthly',
        purpose: '购置经营车辆',
        decide: 'none',
      },
      {
        who: liu.id,
        productId: guaranteedP.id,
        amountFen: 2_000_000n,
        termMonths: 12,
        annualRate: '0.08',
        method: 'equal_installment',
        purpose: '农业种植投入',
        decide: 'none',
      },
    ] as const;
    for (const l of loans) {
      const { who, decide, ...input } = l;
      const loan = await applyForLoan(trx, who, { ...input, documentIds: [] });
      if (decide.startsWith('raise:'))
        await decideFirstReview(trx, reviewer.id, loan.id, { decision: 'approve', grade: decide.slice(6) });
      else if (decide === 'reject')
        await decideFirstReview(trx, reviewer.id, loan.id, { decision: 'reject', note: '负债收入比过高' });
    }

    // Loans further along: bid full and waiting for second review, disbursed and repaying, failed, cancelled.
    const investors = await Promise.all(
      ['13800000001', '13800000002'].map((phone) =>
        trx.selectFrom('users').select('id').where('phone_hash', '=', phoneHash(cipher, phone)).executeTakeFirst(),
      ),
    );
    const [zhao, qian] = investors;
    if (!zhao || !qian) return;
    let bidSerial = 0;
    const bid = async (loanId: string, investorId: string, amountFen: bigint) => {
      bidSerial += 1;
      const [outcome] = await applyBidBatch(trx, loanId, [
        { loanId, investorId, amountFen, idempotencyKey: `demo-bid-${bidSerial}`, requestHash: `demo-${bidSerial}` },
      ]);
      if (!outcome?.ok) throw new Error(`demo bid refused: ${JSON.stringify(outcome)}`);
    };
    const raising = async (
      who: string,
      amountFen: bigint,
      purpose: string,
      method: 'equal_installment' | 'equal_principal',
    ) => {
      const loan = await applyForLoan(trx, who, {
        productId: creditP.id,
        amountFen,
        termMonths: 12,
        annualRate: '0.11',
        method,
        purpose,
        documentIds: [],
      });
      await decideFirstReview(trx, reviewer.id, loan.id, { decision: 'approve', grade: 'B' });
      return loan.id;
    };
    const full = await raising(liu.id, 1_000_000n, '门店扩张备货', 'equal_installment');
    await bid(full, zhao.id, 600_000n);
    await bid(full, qian.id, 400_000n);
    const repaying = await raising(wang.id, 2_000_000n, '采购生产设备', 'equal_principal');
    await bid(repaying, zhao.id, 1_200_000n);
    await bid(repaying, qian.id, 800_000n);
    await approveFullLoan(trx, { loanId: repaying, staffId: reviewer.id, note: '资料齐全，准予放款' });
    const failed = await raising(liu.id, 1_500_000n, '短期经营周转', 'equal_installment');
    await bid(failed, qian.id, 100_000n);
    await trx
      .updateTable('loans')
      .set({ raise_ends_at: new Date(Date.now() - 60_000) })
      .where('id', '=', failed)
      .execute();
    await failLoanIfExpired(trx, failed);
    const cancelled = await raising(wang.id, 900_000n, '装修款', 'equal_installment');
    await bid(cancelled, zhao.id, 50_000n);
    await cancelRaisingLoan(trx, { loanId: cancelled, staffId: reviewer.id, reason: '借款人主动撤回申请' });
  });
}
