import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/platform/totp.ts';
import { DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import {
  browserUnavailable,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
  startTestServer,
  type TestServer,
} from './browser.ts';

describe.skipIf(browserUnavailable())('the web shell in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the customer home page in Chinese, switches to English, and remembers the choice', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/');
    const nav = page.getByRole('menu', { name: 'main' });
    for (const label of ['首页', '我要出借', '我要借款', '网贷工具', '帮助中心', '我的账户']) {
      await expect(nav.getByText(label, { exact: true }).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByTestId('hero-title').textContent()).resolves.toBe('透明、稳健的网络借贷平台');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(fs.existsSync(await screenshot(page, 'home-zh'))).toBe(true);

    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByTestId('hero-title').getByText('A transparent, prudent lending marketplace').waitFor();
    for (const label of ['Home', 'Invest', 'Borrow', 'Tools', 'Help', 'My Account']) {
      await expect(nav.getByText(label, { exact: true }).isVisible()).resolves.toBe(true);
    }
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    await screenshot(page, 'home-en');

    await page.reload();
    await page.getByTestId('hero-title').getByText('A transparent, prudent lending marketplace').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('navigates the site sections and shows data from the API', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/');
    await page.getByRole('menu', { name: 'main' }).getByText('帮助中心').click();
    await page.waitForURL('**/help');
    await expect(page.getByTestId('hotline').textContent()).resolves.toBe('客服热线：400-800-1234');
    await page.goto('/no/such/page');
    await page.getByText('页面不存在', { exact: true }).waitFor();
    await screenshot(page, 'not-found-zh');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('renders the back-office login page and its sider menu in both languages', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/admin/login');
    await expect(page.getByTestId('admin-login-title').textContent()).resolves.toBe('管理后台登录');
    await expect(page.getByLabel('用户名').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('密码').isVisible()).resolves.toBe(true);
    // Submitting empty shows the form's own messages; nothing is sent.
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('请输入用户名').waitFor();
    await screenshot(page, 'admin-login-zh');

    await page.getByTestId('language-switch').getByText('English').click();
    await expect(page.getByTestId('admin-login-title').textContent()).resolves.toBe('Back office sign-in');
    await expect(page.getByLabel('Username').isVisible()).resolves.toBe(true);
    await screenshot(page, 'admin-login-en');

    // Signed out, the back office sends you to the login page.
    await page.goto('/admin');
    await page.waitForURL('**/admin/login');

    // Sign in as the demo super admin: password first, then the authenticator code it asks for.
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authenticator code').fill(totpCode(DEMO_TOTP_SECRET, Date.now()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin/workbench');
    const menu = page.getByRole('menu', { name: 'admin' });
    for (const label of ['Workbench', 'Members', 'Loans', 'Funds', 'Reports', 'System']) {
      await menu.getByText(label, { exact: true }).waitFor();
    }
    await expect(page.getByTestId('staff-name').textContent()).resolves.toBe('系统管理员 Admin');
    await screenshot(page, 'admin-shell-en');

    await menu.getByText('Funds', { exact: true }).click();
    await menu.getByText('Trial balance', { exact: true }).click();
    await page.waitForURL('**/admin/finance/trial-balance');
    await page.getByTestId('tb-status').getByText('Debits equal credits').waitFor();
    await expect(page.getByTestId('tb-total-debit').textContent()).resolves.toBe(
      await page.getByTestId('tb-total-credit').textContent(),
    );
    await screenshot(page, 'admin-trial-balance-en');
    // The two 401s are expected: the signed-out check of /api/v1/admin/me and the login that asks for the code.
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    expect(errors.filter((e) => e.includes('status of 401'))).toHaveLength(2);
    await context.close();
  });
});
