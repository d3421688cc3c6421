import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/identity/customers.service.ts';
import { totpCode } from '../../src/platform/totp.ts';
import { DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { testPhone } from '../helpers/customers.ts';
import {
  browserUnavailable,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
  startTestServer,
  type TestServer,
} from './browser.ts';

const TOTP_STEP_MS = 30_000;
const lastStep = new Map<string, number>();

/**
 * An authenticator code this staff member has not used yet: a code's 30-second step is accepted once, and
 * the tests sign the same demo staff in more than once. The server accepts the next step too, so a fresh
 * one is at most one step ahead; if not even that is free, wait for the clock.
 */
async function freshTotpCode(username: string): Promise<string> {
  const now = Math.floor(Date.now() / TOTP_STEP_MS);
  const step = Math.max(now, (lastStep.get(username) ?? -1) + 1);
  if (step > now + 1) await new Promise((r) => setTimeout(r, (step - now - 1) * TOTP_STEP_MS + 1000));
  lastStep.set(username, step);
  return totpCode(DEMO_TOTP_SECRET, step * TOTP_STEP_MS);
}

/** Sign in to the back office as a demo staff member (password, then the authenticator code). */
async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/admin/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_STAFF_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByLabel('动态口令').fill(await freshTotpCode(username));
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL('**/admin/workbench');
}

/** The two 401s every sign-in makes on purpose: the signed-out check and the login that asks for the code. */
const unexpected = (errors: string[]) => errors.filter((e) => !e.includes('status of 401'));

describe.skipIf(browserUnavailable())('the back office in Chromium: members, freeze, audit, approval', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let phone: string;
  let memberId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    phone = testPhone();
    memberId = (
      await server.database.db
        .transaction()
        .execute((trx) => createCustomer(trx, server.app.cipher, { phone, password: 'Member-pass-2026' }))
    ).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a member by phone, freezes them with a reason, and shows the audit entry', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'admin');

    const menu = page.getByRole('menu', { name: 'admin' });
    await menu.getByText('会员管理', { exact: true }).click();
    await menu.getByText('会员列表', { exact: true }).click();
    await page.waitForURL('**/admin/members/list');
    await page.getByTestId('member-search').fill(phone);
    await page.getByTestId('member-search-submit').click();
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    await page.getByTestId('member-phone').getByText(masked, { exact: true }).waitFor();
    await expect(page.getByTestId('member-phone').count()).resolves.toBe(1);
    await screenshot(page, 'admin-members-zh');

    await page.getByTestId('member-open').click();
    await expect(page.getByTestId('member-status').textContent()).resolves.toBe('正常');
    await page.getByTestId('member-freeze').click();
    // The reason is required: confirming an empty dialog only shows the form's message.
    await page.getByTestId('reason-ok').click();
    await page.getByText('请填写原因').waitFor();
    await page.getByTestId('reason-input').fill('疑似盗用他人身份');
    await page.getByTestId('reason-ok').click();
    await page.getByTestId('member-status').getByText('已冻结').waitFor();
    await page.getByTestId('member-violations').getByText('疑似盗用他人身份').waitFor();
    await screenshot(page, 'admin-member-frozen-zh');

    // Request the unfreeze (it needs a second person).
    await page.getByTestId('member-unfreeze').click();
    await page.getByTestId('reason-input').fill('身份已核实');
    await page.getByTestId('reason-ok').click();
    await page.getByTestId('member-frozen-alert').getByText('解冻申请待复核').waitFor();
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-mask').waitFor({ state: 'detached' });

    await menu.getByText('系统管理', { exact: true }).click();
    await menu.getByText('审计日志', { exact: true }).click();
    await page.waitForURL('**/admin/system/audit-log');
    await page.getByTestId('audit-action').fill('member.frozen');
    await page.getByTestId('audit-target').fill(memberId);
    await page.getByTestId('audit-search').click();
    const table = page.getByTestId('audit-table');
    await table.getByText('member.frozen', { exact: true }).waitFor();
    await expect(table.locator('tbody tr.ant-table-row').count()).resolves.toBe(1);
    await table.locator('tbody tr.ant-table-row').first().locator('.ant-table-row-expand-icon').click();
    const diff = page.getByTestId('json-diff');
    await diff
      .getByText('"frozen"')
      .or(diff.getByText('frozen', { exact: true }))
      .first()
      .waitFor();
    await diff.getByText('疑似盗用他人身份').waitFor();
    await screenshot(page, 'admin-audit-log-zh');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('another staff member approves the unfreeze from the queue', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'risk');
    await expect(
      page.getByTestId('workbench-pending-approvals').locator('.ant-statistic-content-value').textContent(),
    ).resolves.toBe('1');
    await page.goto('/admin/members/approvals');
    const queue = page.getByTestId('approvals-table');
    await queue.getByText('身份已核实').waitFor();
    await screenshot(page, 'admin-approvals-zh');
    await page.getByTestId('approval-approve').click();
    await page.getByTestId('reason-ok').click();
    await queue.getByText('没有复核申请').waitFor();

    await page.goto('/admin/members/list');
    await page.getByTestId('member-search').fill(memberId);
    await page.getByTestId('member-search-submit').click();
    await page.getByTestId('member-open').click();
    await expect(page.getByTestId('member-status').textContent()).resolves.toBe('正常');
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it('shows the system pages in English', async () => {
    context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, 'admin');
    await page.getByTestId('language-switch').getByText('English').click();
    const menu = page.getByRole('menu', { name: 'admin' });
    await menu.getByText('System', { exact: true }).click();
    for (const [label, url, marker] of [
      ['Staff', '**/admin/system/staff', 'admin'],
      ['Roles & permissions', '**/admin/system/roles', 'Built-in'],
      ['Organisations', '**/admin/system/organisations', 'New top-level organisation'],
      ['SMS outbox', '**/admin/system/sms-outbox', 'Text (codes hidden)'],
    ] as const) {
      await menu.getByText(label, { exact: true }).click();
      await page.waitForURL(url);
      await page.getByText(marker, { exact: true }).first().waitFor();
      await screenshot(page, `admin-${url.split('/').pop()}-en`);
    }
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
