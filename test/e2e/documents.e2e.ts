import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src/platform/totp.ts';
import { DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { DEMO_CUSTOMER_PASSWORD } from '../../src/seed/demo-customers.ts';
import { browserUnavailable, collectPageErrors, newContext, screenshot, useServerAndBrowser } from './browser.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(browserUnavailable())('documents: a customer uploads, a reviewer with TOTP approves', () => {
  const env = useServerAndBrowser();

  it('goes from upload to approval and the customer sees it', async () => {
    const customer = await (await newContext(env.browser, env.server.baseUrl)).newPage();
    const customerErrors = collectPageErrors(customer);
    await customer.goto('/login');
    await customer.getByLabel('手机号').fill('13800000002');
    await customer.getByLabel('密码', { exact: true }).fill(DEMO_CUSTOMER_PASSWORD);
    await customer
      .getByRole('main')
      .getByRole('button', { name: /登\s*录/ })
      .click();
    await customer.waitForURL('**/account');
    await customer.getByRole('menu', { name: 'account' }).getByText('资料上传').click();
    await customer.waitForURL('**/account/documents');
    await customer.getByLabel('资料类型').click();
    await customer.getByTitle('身份证').click();
    await customer
      .locator('input[type=file]')
      .setInputFiles({ name: 'identity-card.png', mimeType: 'image/png', buffer: PNG });
    await customer.getByRole('table').getByText('待审核').waitFor();
    await screenshot(customer, 'documents-uploaded-zh');

    const staff = await (await newContext(env.browser, env.server.baseUrl)).newPage();
    const staffErrors = collectPageErrors(staff);
    await staff.goto('/admin/login');
    await staff.getByLabel('用户名').fill('reviewer');
    await staff.getByLabel('密码').fill(DEMO_STAFF_PASSWORD);
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.getByLabel('动态口令').fill(totpCode(DEMO_TOTP_SECRET, Date.now()));
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.waitForURL('**/admin/workbench');
    const menu = staff.getByRole('menu', { name: 'admin' });
    await menu.getByText('会员管理', { exact: true }).click();
    await menu.getByText('资料审核', { exact: true }).click();
    await staff.waitForURL('**/admin/members/documents');
    await staff
      .getByRole('button', { name: /通\s*过/ })
      .first()
      .click();
    await staff
      .getByRole('tooltip')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    // Approved, it leaves the pending queue and shows under "approved".
    await staff.getByRole('table').getByText('暂无资料').waitFor();
    await staff.getByText('已通过', { exact: true }).click();
    await staff.getByRole('table').getByText('identity-card.png').waitFor();
    await screenshot(staff, 'documents-reviewed-zh');

    await customer.reload();
    await customer.getByRole('table').getByText('已通过').waitFor();
    // Expected 401s: none here; both sides stayed signed in.
    expect(customerErrors).toEqual([]);
    expect(staffErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
