import type { Db } from '../db/database.ts';
import {
  createCustomer,
  phoneHash,
  recordBoundCard,
  rulesOnlyKycProvider,
  verifyRealName,
} from '../modules/identity/index.ts';
import { idNumberCheckChar, luhnValid } from '../modules/identity/validators.ts';
import { customerAccounts, platformAccountId, transfer } from '../modules/ledger/index.ts';
import type { FieldCipher } from '../platform/crypto.ts';

/** The password of every demo customer. */
export const DEMO_CUSTOMER_PASSWORD = 'Demo-pass-2026';

interface DemoCustomer {
  readonly phone: string;
  readonly role: 'investor' | 'borrower';
  readonly name: string;
  /** The first 17 characters of the ID number; the check character is computed. */
  readonly idFirst17: string;
  readonly bankCode: string;
  /** The card number without its Luhn check digit, which is computed. */
  readonly cardBody: string;
  /** Recharges (充值) from custody cash, in fen. */
  readonly rechargesFen: readonly bigint[];
  /** A bonus (红包) from marketing expense into the bonus account, in fen. */
  readonly bonusFen?: bigint;
}

const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    phone: '13800000001',
    role: 'investor',
    name: '张伟',
    idFirst17: '11010119850307123',
    bankCode: 'ICBC',
    cardBody: '622202100000000001',
    rechargesFen: [30_000_000n, 20_000_000n],
    bonusFen: 18_800n,
  },
  {
    phone: '13800000002',
    role: 'investor',
    name: '李娜',
    idFirst17: '31010419900815224',
    bankCode: 'CMB',
    cardBody: '621483100000000002',
    rechargesFen: [12_000_000n],
  },
  {
    phone: '13800000003',
    role: 'borrower',
    name: '王强',
    idFirst17: '44030519820412331',
    bankCode: 'CCB',
    cardBody: '621700100000000003',
    rechargesFen: [500_000n],
  },
  {
    phone: '13800000004',
    role: 'borrower',
    name: '刘洋',
    idFirst17: '33010619880129452',
    bankCode: 'BOC',
    cardBody: '621661100000000004',
    rechargesFen: [1_200_000n],
  },
];

/** Printed after `npm start` with the staff logins. */
export const DEMO_CUSTOMER_LOGINS = DEMO_CUSTOMERS.map((c) => ({
  area: 'customer' as const,
  role: c.role,
  login: c.phone,
  password: DEMO_CUSTOMER_PASSWORD,
}));

function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error(`no Luhn digit for ${body}`);
}

/**
 * Demo customers, investors and borrowers: a password, a verified identity, a bound card, recharges into their
 * cash accounts and, for one, a bonus; so statements and the trial balance show figures. A customer whose phone
 * already exists is left as it is.
 */
export async function seedDemoCustomers(db: Db, cipher: FieldCipher): Promise<void> {
  for (const c of DEMO_CUSTOMERS) {
    const exists = await db
      .selectFrom('users')
      .select('id')
      .where('phone_hash', '=', phoneHash(cipher, c.phone))
      .executeTakeFirst();
    if (exists) continue;
    const { id } = await db
      .transaction()
      .execute((trx) => createCustomer(trx, cipher, { phone: c.phone, password: DEMO_CUSTOMER_PASSWORD }));
    await verifyRealName(db, cipher, rulesOnlyKycProvider, {
      userId: id,
      name: c.name,
      idNumber: `${c.idFirst17}${idNumberCheckChar(c.idFirst17)}`,
    });
    await db.transaction().execute(async (trx) => {
      await recordBoundCard(trx, cipher, {
        userId: id,
        bankCode: c.bankCode,
        cardNumber: withLuhnDigit(c.cardBody),
        reservedPhone: c.phone,
      });
      const accounts = await customerAccounts(trx, id);
      for (const [i, amountFen] of c.rechargesFen.entries()) {
        await transfer(trx, {
          id: `demo-recharge-${id}-${i + 1}`,
          debitAccountId: platformAccountId('custody_cash'),
          creditAccountId: accounts.cash.id,
          amountFen,
          code: 'recharge',
          memo: '演示数据：充值',
        });
      }
      if (c.bonusFen) {
        await transfer(trx, {
          id: `demo-bonus-${id}`,
          debitAccountId: platformAccountId('marketing_expense'),
          creditAccountId: accounts.bonus.id,
          amountFen: c.bonusFen,
          code: 'bonus',
          memo: '演示数据：新手红包',
        });
      }
    });
  }
}
