import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash } from '../../src/modules/identity/index.ts';
import { customerAccounts, platformAccountId, transfer } from '../../src/modules/ledger/index.ts';
import { freshCardNumber, freshIdNumber } from '../helpers/customer-flows.ts';
import { testPhone } from '../helpers/customers.ts';
import { signedInStaff } from '../helpers/staff.ts';
import type { TestApp } from '../helpers/test-app.ts';
import {
  browserUnavailable,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
  startTestServer,
  type TestServer,
} from './browser.ts';

const PASSWORD = 'Sturdy-pass-2026';

describe.skipIf(browserUnavailable())('a customer in Chromium', () => {
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

  /** The code in the latest outbox message to a phone, read the way a developer would: from the dev endpoint. */
  async function codeFromOutbox(phone: string): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.baseUrl}/api/v1/dev/sms-outbox?phone=${phone}&limit=1`);
      const body = (await res.json()) as { items: { body: string; createdAt: string }[] };
      const match = /\b(\d{6})\b/.exec(body.items[0]?.body ?? '');
      if (match) return match[1]!;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no code for ${phone}`);
  }

  /** Let loading overlays and fades finish so screenshots show the settled page. */
  async function settled(page: Page) {
    await page
      .locator('.ant-spin-spinning')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.waitForTimeout(400);
  }

  async function sendCodeAndFill(page: Page, phone: string) {
    await page.getByTestId('send-sms-code').click();
    await page
      .getByTestId('send-sms-code')
      .getByText(/秒后重发/)
      .waitFor();
    await page.getByRole('textbox', { name: '短信验证码' }).fill(await codeFromOutbox(phone));
  }

  it('registers with the SMS code, signs in again, verifies, binds a card and sees the account', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const phone = testPhone();
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;

    // Sign up: the password rules are on the page before anything is typed.
    await page.goto('/');
    await page.getByTestId('header-register').click();
    await page.waitForURL('**/register');
    await page
      .getByTestId('password-rules')
      .getByText(/至少包含一个字母和一个数字/)
      .waitFor();
    await page.getByLabel('手机号').fill(phone);
    await sendCodeAndFill(page, phone);
    await page.getByLabel('密码', { exact: true }).fill('password1');
    await page.getByText('这是常见密码，容易被猜到，请换一个').first().waitFor();
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByLabel('确认密码').fill(PASSWORD);
    await settled(page);
    await screenshot(page, 'customer-register-zh');
    await page
      .getByRole('main')
      .getByRole('button', { name: /注\s*册/ })
      .click();
    await page.waitForURL('**/account');
    await expect(page.getByTestId('header-phone').textContent()).resolves.toContain(masked);
    await page.getByTestId('account-real-name').getByText('未认证').waitFor();

    // Sign out, then back in with the password.
    await page.getByTestId('header-sign-out').click();
    await page.getByTestId('header-login').waitFor();
    await page.goto('/account');
    await page.waitForURL('**/login');
    await page.getByLabel('手机号').fill(phone);
    await page.getByLabel('密码', { exact: true }).fill('Wrong-pass-2026');
    await page
      .getByRole('main')
      .getByRole('button', { name: /登\s*录/ })
      .click();
    await page.getByRole('alert').getByText('手机号或密码错误').waitFor();
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page
      .getByRole('main')
      .getByRole('button', { name: /登\s*录/ })
      .click();
    await page.waitForURL('**/account');

    // Real-name verification.
    const menu = page.getByRole('menu', { name: 'account' });
    await menu.getByText('实名认证').click();
    await page.waitForURL('**/account/real-name');
    await page.getByLabel('真实姓名').fill('张三丰');
    await page.getByLabel('身份证号').fill(freshIdNumber());
    await page.getByRole('button', { name: '提交认证' }).click();
    await page.getByTestId('real-name-verified').waitFor();
    await settled(page);
    await screenshot(page, 'customer-real-name-zh');

    // Bind a card: bank, number, reserved phone and its code; it waits for review.
    await menu.getByText('银行卡').click();
    await page.waitForURL('**/account/bank-cards');
    await page.getByTestId('add-card').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('开户银行').click();
    await page.locator('.ant-select-item-option', { hasText: '招商银行' }).click();
    const cardNumber = freshCardNumber();
    await dialog.getByLabel('银行卡号').fill(cardNumber);
    const reservedPhone = testPhone();
    await dialog.getByLabel('银行预留手机号').fill(reservedPhone);
    await dialog.getByTestId('send-sms-code').click();
    await dialog.getByRole('textbox', { name: '短信验证码' }).fill(await codeFromOutbox(reservedPhone));
    await settled(page);
    await screenshot(page, 'customer-add-card-zh');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await page.locator('.ant-table-row').getByText('待审核').waitFor();
    await expect(
      page
        .locator('.ant-table-row')
        .getByText(`${cardNumber.slice(0, 4)} **** **** ${cardNumber.slice(-4)}`)
        .count(),
    ).resolves.toBe(1);
    expect(await page.content()).not.toContain(cardNumber);

    // A reviewer approves it and the bank binding succeeds; the customer sees it bound.
    const t = { app: server.app, database: server.database } as unknown as TestApp;
    const reviewer = await signedInStaff(t, ['reviewer']);
    const queue = await server.app.inject({
      method: 'GET',
      url: '/api/v1/admin/bank-cards?status=pending_review',
      headers: reviewer.headers,
    });
    const cardId = queue.json().items[0].id as string;
    for (const decision of ['approve', 'confirm_binding']) {
      const res = await server.app.inject({
        method: 'POST',
        url: `/api/v1/admin/bank-cards/${cardId}/review`,
        headers: reviewer.headers,
        payload: { decision },
      });
      expect(res.statusCode).toBe(200);
    }
    await page.reload();
    await page.getByTestId(`card-status-${cardId}`).getByText('已绑定').waitFor();
    await settled(page);
    await screenshot(page, 'customer-bank-cards-zh');

    // Money arrives (a recharge through the ledger); the overview shows it.
    const user = await server.database.db
      .selectFrom('users')
      .select('id')
      .where('phone_hash', '=', phoneHash(server.app.cipher, phone))
      .executeTakeFirstOrThrow();
    const accounts = await customerAccounts(server.database.db, user.id);
    await server.database.db.transaction().execute((trx) =>
      transfer(trx, {
        id: `e2e-recharge-${user.id}`,
        debitAccountId: platformAccountId('custody_cash'),
        creditAccountId: accounts.cash.id,
        amountFen: 123_456n,
        code: 'recharge',
      }),
    );
    await menu.getByText('账户总览').click();
    await page.waitForURL(/\/account$/);
    await page.getByTestId('balance-available').getByText('1,234.56').waitFor();
    await page.getByTestId('account-real-name').getByText('已认证').waitFor();
    await settled(page);
    await screenshot(page, 'customer-overview-zh');

    await menu.getByText('资金流水').click();
    await page.locator('.ant-table-row').getByText('充值').waitFor();
    await settled(page);
    await screenshot(page, 'customer-statement-zh');

    // The one 401 is the wrong password above.
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    expect(errors.filter((e) => e.includes('status of 401'))).toHaveLength(1);
    await context.close();
  });

  it('signs a demo investor in by SMS, in English, and filters the statement by type and account', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/login');
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('tab', { name: 'SMS code' }).click();
    await page.getByLabel('Mobile number').fill('13800000001');
    await page.getByTestId('send-sms-code').click();
    await page.getByRole('textbox', { name: 'SMS code' }).fill(await codeFromOutbox('13800000001'));
    await settled(page);
    await screenshot(page, 'customer-login-sms-en');
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/account');
    // 500,000.00 recharged less the 18,000.00 the demo investor has in demo loans (src/seed/demo-loans.ts).
    await page.getByTestId('balance-available').getByText('482,000.00').waitFor();
    await page.getByTestId('balance-bonus').getByText('188.00').waitFor();
    await settled(page);
    await screenshot(page, 'customer-overview-en');
    await page.getByRole('menu', { name: 'account' }).getByText('Statement').click();
    await page.locator('.ant-table-row').first().waitFor();
    // Two recharges, and the demo loans' bids: three holds, one posted at disbursement, one released on cancel.
    await expect(page.locator('.ant-table-row').count()).resolves.toBe(7);
    // The type filter: no bonus grants among the cash movements.
    await page.getByRole('combobox', { name: 'Type' }).fill('Bonus gr');
    await page.locator('.ant-select-item-option', { hasText: 'Bonus granted' }).click();
    await page.getByText('No movements yet').waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('Bonus money', { exact: true }).click();
    await page.locator('.ant-table-row').getByText('Bonus granted').waitFor();
    await expect(page.getByTestId('statement-csv').getAttribute('href')).resolves.toContain('account=bonus');
    await settled(page);
    await screenshot(page, 'customer-statement-en');
    expect(errors).toEqual([]);
    await context.close();
  });
});
