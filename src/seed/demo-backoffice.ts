import type { Db } from '../db/database.ts';
import { adjustPoints, freezeMember } from '../modules/backoffice/members.service.ts';
import { createCustomer, phoneHash } from '../modules/identity/index.ts';
import { sendMemberMessage } from '../modules/notify/index.ts';
import type { FieldCipher } from '../platform/crypto.ts';

/** A demo member the back office shows as frozen (with its violation), with points and a message. */
const FROZEN_DEMO_PHONE = '13800000009';
const FROZEN_DEMO_PASSWORD = 'Demo-pass-2026';

/**
 * Back-office demo data: one frozen member (risk officer's freeze, reason recorded), VIP points on a
 * demo investor, and a welcome message. Safe to run twice: skipped when the frozen member exists.
 */
export async function seedDemoBackoffice(db: Db, cipher: FieldCipher): Promise<void> {
  const exists = await db
    .selectFrom('users')
    .select('id')
    .where('phone_hash', '=', phoneHash(cipher, FROZEN_DEMO_PHONE))
    .executeTakeFirst();
  if (exists) return;
  const risk = await db.selectFrom('staff').select('id').where('username', '=', 'risk').executeTakeFirst();
  const investor = await db
    .selectFrom('users')
    .select('id')
    .where('phone_hash', '=', phoneHash(cipher, '13800000001'))
    .executeTakeFirst();
  await db.transaction().execute(async (trx) => {
    const { id } = await createCustomer(trx, cipher, { phone: FROZEN_DEMO_PHONE, password: FROZEN_DEMO_PASSWORD });
    if (risk) {
      await freezeMember(trx, {
        memberId: id,
        reason: '演示数据：短时间内多次异地登录，疑似账户被盗',
        staffId: risk.id,
      });
      await sendMemberMessage(trx, {
        userId: id,
        title: '账户已冻结',
        body: '您的账户因安全原因已被冻结，请联系客服 400-800-1234 核实身份。',
        senderStaffId: risk.id,
      });
    }
    if (investor) {
      await adjustPoints(trx, {
        memberId: investor.id,
        deltaPoints: 1_200,
        reason: '演示数据：出借积分',
        staffId: null,
      });
      await sendMemberMessage(trx, {
        userId: investor.id,
        title: '欢迎来到借贷厅',
        body: '您已获得 1200 积分，晋升白银会员。',
        senderStaffId: null,
      });
    }
  });
}
