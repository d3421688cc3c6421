import { describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_PASSWORD } from '../../src/seed/demo-customers.ts';
import { browserUnavailable, collectPageErrors, newContext, screenshot, useServerAndBrowser } from './browser.ts';

describe.skipIf(browserUnavailable())('recharge through the sandbox custodian in Chromium', () => {
  const env = useServerAndBrowser();

  it('recharges 1,000.00 on the custodian’s page and sees the balance grow', async () => {
    const context = await newContext(env.browser, env.server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/login');
    await page.getByLabel('手机号').fill('13800000001');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_CUSTOMER_PASSWORD);
    await page
      .getByRole('main')
      .getByRole('button', { name: /登\s*录/ })
      .click();
    await page.waitForURL('**/account');
    // The balance loads after the page: wait for a figure before reading it.
    await page.getByTestId('balance-available').getByText(/\d/).waitFor();
    const before = (await page.getByTestId('balance-available').textContent()) ?? '';
    const beforeFen = BigInt(before.replace(/[^\d]/g, ''));

    await page.getByRole('menu', { name: 'account' }).getByText('充值', { exact: true }).click();
    await page.waitForURL('**/account/recharge');
    await page.getByTestId('recharge-amount').fill('1,000.00');
    await page.getByTestId('recharge-submit').click();
    await page.getByRole('dialog').getByText('将充值 ¥1,000.00').waitFor();
    await screenshot(page, 'recharge-confirm-zh');
    await page.getByRole('dialog').getByRole('button', { name: '去支付' }).click();

    // The custodian's own page.
    await page.waitForURL('**/sandbox/custodian/orders/**');
    await page.locator('#amount').getByText('¥1,000.00').waitFor();
    await screenshot(page, 'sandbox-payment-page');
    await page.locator('#pay-success').click();

    // Back on the platform: the custodian's signed callback arrives and the result shows.
    await page.waitForURL('**/account/recharge?orderNo=*');
    await page.getByTestId('recharge-result').getByText('充值成功：¥1,000.00 已到账').waitFor({ timeout: 20_000 });
    await screenshot(page, 'recharge-result-zh');

    await page.getByRole('menu', { name: 'account' }).getByText('账户总览').click();
    await page.waitForURL('**/account');
    await expect
      .poll(
        async () =>
          BigInt(((await page.getByTestId('balance-available').textContent()) ?? '').replace(/[^\d]/g, '') || '0'),
        {
          timeout: 10_000,
        },
      )
      .toBe(beforeFen + 100_000n);
    expect(errors).toEqual([]);
    await context.close();
  });
});
