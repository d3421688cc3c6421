import type { Db } from '../db/database.ts';
import { phoneHash } from '../modules/identity/index.ts';
import { QUESTIONS } from '../modules/identity/risk/questionnaire.ts';
import { currentRiskLevel, submitRiskAssessment } from '../modules/identity/risk/risk.service.ts';
import type { FieldCipher } from '../platform/crypto.ts';

/** The demo investors have taken the risk questionnaire (the middle answers: a balanced investor). */
const DEMO_INVESTOR_PHONES = ['13800000001', '13800000002'];

export async function seedDemoRiskAssessments(db: Db, cipher: FieldCipher): Promise<void> {
  for (const phone of DEMO_INVESTOR_PHONES) {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('phone_hash', '=', phoneHash(cipher, phone))
      .executeTakeFirst();
    if (!user || (await currentRiskLevel(db, user.id))) continue;
    const answers = Object.fromEntries(
      QUESTIONS.map((q) => {
        const sorted = [...q.options].sort((a, b) => a.score - b.score);
        return [q.id, sorted[Math.floor((sorted.length * 2) / 3)]?.id ?? sorted[0]?.id];
      }),
    );
    await submitRiskAssessment(db, user.id, { answers });
  }
}
