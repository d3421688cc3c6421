import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp, cipherFromConfig } from '../../src/app.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { startOutboxWorker } from '../../src/platform/outbox.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { ROOT } from '../helpers/processes.ts';
import { testConfig } from '../helpers/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results');

/** '' when the browser can run; otherwise the reason (tests use it with `describe.skipIf`). */
export function browserUnavailable(): string {
  return inject('browserUnavailable');
}

export interface TestServer {
  readonly baseUrl: string;
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** The built platform (production mode, web assets served) on a free port with its own fresh, demo-seeded database. */
export async function startTestServer(): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = testConfig({ NODE_ENV: 'production' }, ROOT);
  await migrateToLatest(database.db);
  await seedDemo(database.db, cipherFromConfig(config));
  const app = await buildApp(config, { database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // As in production: the outbox worker runs custodian calls and the sandbox's callback deliveries.
  const worker = startOutboxWorker(app.db, app.outboxHandlers, { intervalMs: 200, onError: () => {} });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    database,
    close: async () => {
      await worker.stop();
      await app.close();
      await database.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** A fresh browser profile (no stored language) with a desktop viewport. */
export async function newContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
}

/** Save a full-page screenshot under test-results/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fail the test on any uncaught page error or console error (a broken page must not pass). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * For a describe block: a fresh demo-seeded server and a browser before its tests, both closed after.
 * Read `env.server` and `env.browser` inside the tests.
 */
export function useServerAndBrowser(): { readonly server: TestServer; readonly browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startTestServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Sign in on the customer site with phone and password (Chinese UI), landing in the account area. */
export async function signInCustomer(page: Page, phone: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page
    .getByRole('main')
    .getByRole('button', { name: /登\s*录/ })
    .click();
  await page.waitForURL('**/account');
}
