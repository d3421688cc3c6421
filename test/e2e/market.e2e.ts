import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src/platform/totp.ts';
import { DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { DEMO_CUSTOMER_PASSWORD } from '../../src/seed/demo-customers.ts';
import {
  browserUnavailable,
  collectPageErrors,
  newContext,
  screenshot,
  signInCustomer,
  useServerAndBrowser,
} from './browser.ts';

describe.skipIf(browserUnavailable())(
  'the marketplace: a borrower applies, a reviewer publishes, the hall shows it',
  () => {
    const env = useServerAndBrowser();

    it('goes from the borrow wizard through first review to the financing hall', async () => {
      const title = `E2E 经营周转 ${Date.now() % 100000}`;
      const borrower = await (await newContext(env.browser, env.server.baseUrl)).newPage();
      const borrowerErrors = collectPageErrors(borrower);
      await signInCustomer(borrower, '13800000004', DEMO_CUSTOMER_PASSWORD);
      await borrower.goto('/borrow');
      await borrower.locator('[data-testid^="product-"]').filter({ hasText: '信用标' }).click();
      await borrower.getByTestId('borrow-amount').fill('50,000.00');
      await borrower.getByTestId('borrow-term').fill('12');
      await borrower.getByTestId('borrow-rate').fill('10');
      await borrower.getByTestId('borrow-preview').getByTestId('preview-interest').waitFor();
      await screenshot(borrower, 'borrow-preview-zh');
      await borrower.getByTestId('borrow-next').click();
      await borrower
        .getByLabel('借款标题')
        .fill(title)
        .catch(() => undefined);
      await borrower.getByTestId('borrow-purpose').fill('购置原材料，补充经营周转资金');
      await borrower.getByTestId('borrow-submit').click();
      await borrower.getByText('申请已提交，等待初审').waitFor();
      await screenshot(borrower, 'borrow-submitted-zh');

      const staff = await (await newContext(env.browser, env.server.baseUrl)).newPage();
      await staff.goto('/admin/login');
      await staff.getByLabel('用户名').fill('reviewer');
      await staff.getByLabel('密码').fill(DEMO_STAFF_PASSWORD);
      await staff.getByRole('button', { name: /登\s*录/ }).click();
      await staff.getByLabel('动态口令').fill(totpCode(DEMO_TOTP_SECRET, Date.now()));
      await staff.getByRole('button', { name: /登\s*录/ }).click();
      await staff.waitForURL('**/admin/workbench');
      await staff.goto('/admin/loans/first-review');
      const row = staff
        .getByTestId('review-queue')
        .getByRole('row')
        .filter({ hasText: '购置原材料' })
        .or(staff.getByTestId('review-queue').getByRole('row').filter({ hasText: title }));
      await row
        .first()
        .getByRole('button', { name: /审\s*核/ })
        .click();
      const drawer = staff.getByTestId('review-drawer');
      await drawer.getByTestId('review-grade').click();
      await staff.getByTitle('A', { exact: true }).click();
      await drawer.getByTestId('review-submit').click();
      await drawer.getByTestId('review-result').waitFor();
      await screenshot(staff, 'first-review-approved-zh');

      const visitor = await (await newContext(env.browser, env.server.baseUrl)).newPage();
      await visitor.goto('/invest');
      await visitor.getByText('购置原材料').or(visitor.getByText(title)).first().waitFor();
      await screenshot(visitor, 'financing-hall-zh');

      // Two investors bid it full: 30,000.00 and the remaining 20,000.00.
      const balanceOf = async (page: typeof borrower) => {
        await page.goto('/account');
        await page.getByTestId('balance-available').getByText(/\d/).waitFor();
        return BigInt(((await page.getByTestId('balance-available').textContent()) ?? '').replace(/[^\d]/g, ''));
      };
      const borrowerBefore = await balanceOf(borrower);
      for (const [phone, amount] of [
        ['13800000001', '30,000.00'],
        ['13800000002', '20,000.00'],
      ] as const) {
        const investor = await (await newContext(env.browser, env.server.baseUrl)).newPage();
        const investorErrors = collectPageErrors(investor);
        await signInCustomer(investor, phone, DEMO_CUSTOMER_PASSWORD);
        await investor.goto('/invest');
        await investor
          .getByRole('link', { name: /购置原材料|E2E/ })
          .first()
          .click();
        await investor.getByTestId('bid-amount').fill(amount);
        await investor.getByTestId('bid-submit').click();
        await investor.getByTestId('bid-confirm').waitFor();
        await screenshot(investor, `bid-confirm-${phone}`);
        await investor.getByRole('dialog').getByRole('button', { name: '确认投标' }).click();
        await investor.getByTestId('bid-result').waitFor();
        expect(investorErrors).toEqual([]);
      }

      // The loan is full: the risk officer approves the second review, which disburses.
      const risk = await (await newContext(env.browser, env.server.baseUrl)).newPage();
      await risk.goto('/admin/login');
      await risk.getByLabel('用户名').fill('risk');
      await risk.getByLabel('密码').fill(DEMO_STAFF_PASSWORD);
      await risk.getByRole('button', { name: /登\s*录/ }).click();
      await risk.getByLabel('动态口令').fill(totpCode(DEMO_TOTP_SECRET, Date.now()));
      await risk.getByRole('button', { name: /登\s*录/ }).click();
      await risk.waitForURL('**/admin/workbench');
      await risk.goto('/admin/loans/second-review');
      const fullRow = risk.getByRole('row').filter({ hasText: title });
      await fullRow.getByTestId('approve-loan').click();
      await risk.getByRole('dialog').getByRole('button', { name: '复审通过并放款' }).click();
      await fullRow.waitFor({ state: 'detached' });
      await screenshot(risk, 'second-review-done-zh');

      // The borrower has the money (50,000.00 less the 2% service fee) and a repayment schedule of 12 periods.
      await expect.poll(() => balanceOf(borrower), { timeout: 15_000 }).toBe(borrowerBefore + 4_900_000n);
      await borrower.goto('/borrow');
      const mine = borrower.getByTestId('my-applications');
      await mine
        .getByRole('row')
        .filter({ hasText: /购置原材料|E2E/ })
        .first()
        .getByRole('button')
        .first()
        .click();
      await borrower.getByTestId('repayment-schedule').getByRole('row').nth(12).waitFor();
      await screenshot(borrower, 'borrower-schedule-zh');
      expect(borrowerErrors).toEqual([]);
    });
  },
);
