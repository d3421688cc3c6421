import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/platform/totp.ts';
import { DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { DEMO_CUSTOMER_PASSWORD } from '../../src/seed/demo-customers.ts';
import {
  browserUnavailable,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
  startTestServer,
  type TestServer,
} from './browser.ts';

/** Fen shown as "1,234.56" → 123456n. */
const fenOf = (text: string | null) => BigInt((text ?? '').replace(/[^\d]/g, '') || '0');

describe.skipIf(browserUnavailable())('withdrawal through the sandbox custodian in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function sandbox(controls: Record<string, unknown>) {
    const current = (await (await fetch(`${server.baseUrl}/sandbox/custodian/control`)).json()) as object;
    const res = await fetch(`${server.baseUrl}/sandbox/custodian/control`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...current, ...controls }),
    });
    expect(res.status).toBe(200);
  }

  async function codeFromOutbox(phone: string): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.baseUrl}/api/v1/dev/sms-outbox?phone=${phone}&limit=1`);
      const body = (await res.json()) as { items: { body: string }[] };
      const match = /提现验证码是 (\d{6})/.exec(body.items[0]?.body ?? '');
      if (match) return match[1]!;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no withdrawal code for ${phone}`);
  }

  async function signInCustomer(page: Page, phone: string, labels = { phone: '手机号', password: '密码' }) {
    await page.goto('/login');
    await page.getByLabel(labels.phone).fill(phone);
    await page.getByRole('textbox', { name: labels.password, exact: true }).fill(DEMO_CUSTOMER_PASSWORD);
    await page
      .getByRole('main')
      .getByRole('button', { name: /登\s*录|Sign in/ })
      .click();
    await page.waitForURL('**/account');
  }

  async function settled(page: Page) {
    await page
      .locator('.ant-spin-spinning')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.waitForTimeout(400);
  }

  async function figure(page: Page, testId: string): Promise<bigint> {
    const loc = page.getByTestId(testId);
    await expect.poll(async () => /\d/.test((await loc.textContent()) ?? ''), { timeout: 10_000 }).toBe(true);
    return fenOf(await loc.textContent());
  }

  it('withdraws 1,000.00: sees the fee, confirms, sees 1,002.00 frozen, then settled', async () => {
    // The custodian pays at once but its callback arrives 6 s later: long enough to see the money frozen.
    await sandbox({ delayMs: 6_000, duplicates: 1, reorder: false, failDeliveries: 0, payoutResult: 'success' });
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInCustomer(page, '13800000001');
    const availableBefore = await figure(page, 'balance-available');
    const frozenBefore = await figure(page, 'balance-frozen');
    const menu = page.getByRole('menu', { name: 'account' });

    await menu.getByText('提现', { exact: true }).click();
    await page.waitForURL('**/account/withdraw');
    expect(await figure(page, 'withdraw-available')).toBe(availableBefore);
    // The only bound card is chosen already.
    await page.getByTestId('withdraw-card').getByText('中国工商银行').waitFor();
    await page.getByTestId('withdraw-amount').fill('1,000.00');
    await expect.poll(() => page.getByTestId('withdraw-fee').textContent()).toBe('¥2.00');
    expect(await page.getByTestId('withdraw-received').textContent()).toBe('¥1,000.00');
    expect(await page.getByTestId('withdraw-total').textContent()).toBe('¥1,002.00');
    // More than there is: refused before anything is sent.
    await page.getByTestId('withdraw-amount').fill('99,999,999.00');
    await page.getByText(/单笔最多提现/).waitFor();
    await page.getByTestId('withdraw-amount').fill('1,000.00');

    await page.getByTestId('send-sms-code').click();
    await page
      .getByTestId('send-sms-code')
      .getByText(/秒后重发/)
      .waitFor();
    await page.getByTestId('withdraw-sms-code').fill(await codeFromOutbox('13800000001'));
    await settled(page);
    await screenshot(page, 'withdraw-form-zh');

    await page.getByTestId('withdraw-submit').click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByTestId('withdraw-confirm');
    await confirm.getByText('¥1,002.00').waitFor();
    await confirm.getByText('中国工商银行').waitFor();
    await screenshot(page, 'withdraw-confirm-zh');
    await dialog.getByRole('button', { name: /确认提现/ }).click();

    // Frozen while the custodian pays.
    const result = page.getByTestId('withdraw-result');
    await result.getByText('提现处理中：¥1,002.00 已冻结，等待银行付款').waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/\/account\/withdraw\?orderNo=W\d+/);
    await expect.poll(() => figure(page, 'withdraw-frozen'), { timeout: 10_000 }).toBe(frozenBefore + 100_200n);
    expect(await figure(page, 'withdraw-available')).toBe(availableBefore - 100_200n);
    await settled(page);
    await screenshot(page, 'withdraw-frozen-zh');

    // The overview shows it frozen too.
    await menu.getByText('账户总览').click();
    await page.waitForURL('**/account');
    await expect.poll(() => figure(page, 'balance-frozen'), { timeout: 10_000 }).toBe(frozenBefore + 100_200n);
    await settled(page);
    await screenshot(page, 'withdraw-overview-frozen-zh');

    // Back to the order: the custodian's signed callback arrives and the withdrawal settles.
    await page.goBack();
    await result.getByText(/^提现成功：¥1,000\.00 已付至 中国工商银行/).waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-status')).toBe('succeeded');
    await expect.poll(() => figure(page, 'withdraw-frozen'), { timeout: 10_000 }).toBe(frozenBefore);
    await page.getByRole('cell', { name: '成功' }).first().waitFor();
    await settled(page);
    await screenshot(page, 'withdraw-settled-zh');

    await menu.getByText('账户总览').click();
    await expect.poll(() => figure(page, 'balance-available'), { timeout: 10_000 }).toBe(availableBefore - 100_200n);
    expect(await figure(page, 'balance-frozen')).toBe(frozenBefore);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in English: a large withdrawal waits for review; finance approves it in the back office; it settles', async () => {
    await sandbox({ delayMs: 0, duplicates: 0, reorder: false, failDeliveries: 0, payoutResult: 'success' });
    const context = await newContext(browser, server.baseUrl);
    await context.addInitScript({ content: "window.localStorage.setItem('lendhall.language', 'en-US')" });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInCustomer(page, '13800000002', { phone: 'Mobile number', password: 'Password' });
    const availableBefore = await figure(page, 'balance-available');
    await page.getByRole('menu', { name: 'account' }).getByText('Withdraw', { exact: true }).click();
    await page.waitForURL('**/account/withdraw');
    await page.getByTestId('withdraw-amount').fill('60000');
    await expect.poll(() => page.getByTestId('withdraw-fee').textContent()).toBe('¥60.00');
    await page.getByText(/reviewed by staff before they are paid/).waitFor();
    await page.getByTestId('send-sms-code').click();
    await page.getByTestId('withdraw-sms-code').fill(await codeFromOutbox('13800000002'));
    await page.getByTestId('withdraw-submit').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Withdraw' }).click();
    const result = page.getByTestId('withdraw-result');
    await result.getByText('Withdrawal in review: ¥60,060.00 is frozen until staff approve it').waitFor();
    const orderNo = new URL(page.url()).searchParams.get('orderNo')!;
    await settled(page);
    await screenshot(page, 'withdraw-review-pending-en');

    // Finance reviews it in the back office.
    const staffContext = await newContext(browser, server.baseUrl);
    const staff = await staffContext.newPage();
    const staffErrors = collectPageErrors(staff);
    await staff.goto('/admin/login');
    await staff.getByLabel('用户名').fill('finance');
    await staff.getByLabel('密码').fill(DEMO_STAFF_PASSWORD);
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.getByLabel('动态口令').fill(totpCode(DEMO_TOTP_SECRET, Date.now()));
    await staff.getByRole('button', { name: /登\s*录/ }).click();
    await staff.waitForURL('**/admin/workbench');
    const adminMenu = staff.getByRole('menu', { name: 'admin' });
    await adminMenu.getByText('资金管理', { exact: true }).click();
    await adminMenu.getByText('提现审核', { exact: true }).click();
    await staff.waitForURL('**/admin/finance/withdrawals');
    const row = staff.getByRole('row', { name: new RegExp(orderNo) });
    await row.getByText('60,000.00').waitFor();
    await settled(staff);
    await screenshot(staff, 'withdraw-review-admin-zh');
    await staff.getByTestId(`approve-${orderNo}`).click();
    await staff.getByRole('dialog').getByText('将向存管银行发起付款：¥60,000.00').waitFor();
    await staff
      .getByRole('dialog')
      .getByRole('button', { name: /通\s*过/ })
      .click();
    await staff.getByText('已通过，付款已发起').waitFor();
    expect(staffErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await staffContext.close();

    // The customer's page was left open: reload and see it paid.
    await page.reload();
    await result.getByText(/^Withdrawn: ¥60,000\.00 paid to /).waitFor({ timeout: 30_000 });
    await settled(page);
    await screenshot(page, 'withdraw-review-settled-en');
    await page.getByRole('menu', { name: 'account' }).getByText('Overview').click();
    await expect.poll(() => figure(page, 'balance-available'), { timeout: 10_000 }).toBe(availableBefore - 6_006_000n);
    expect(errors).toEqual([]);
    await context.close();
  });
});
