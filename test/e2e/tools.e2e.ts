import { describe, expect, it } from 'vitest';
import { browserUnavailable, collectPageErrors, newContext, screenshot, useServerAndBrowser } from './browser.ts';

describe.skipIf(browserUnavailable())('the loan calculators (网贷工具) in Chromium', () => {
  const env = useServerAndBrowser();

  it('computes the worked example to the fen and agrees with the server', async () => {
    const context = await newContext(env.browser, env.server.baseUrl);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/tools');
    await page.getByTestId('tools-amount').fill('10,000.00');
    await page.getByTestId('tools-rate').fill('12');
    await page.getByTestId('tools-term').fill('6');
    await page.getByTestId('tools-start-date').fill('2026-01-31');
    await page.getByTestId('tools-calculate').click();
    await page.getByTestId('tools-verify').getByText('已与服务器核对：结果逐分一致').waitFor();
    await expect(page.getByTestId('tools-first-payment').textContent()).resolves.toContain('1,725.48');
    // Interest 100.00 + 83.75 + 67.33 + 50.75 + 34.00 + 17.08
    await expect(page.getByTestId('tools-total-interest').textContent()).resolves.toContain('352.91');
    const table = page.getByTestId('tools-table');
    await table.getByText('2026-02-28').waitFor();
    await table.getByText('1,725.51').waitFor();
    await screenshot(page, 'tools-equal-installment-zh');

    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByTestId('tools-methods').getByText('Equal principal', { exact: true }).click();
    await page.getByTestId('tools-calculate').click();
    await page
      .getByTestId('tools-verify')
      .getByText(/identical/i)
      .waitFor();
    await expect(page.getByTestId('tools-first-payment').textContent()).resolves.toContain('1,766.67');
    await screenshot(page, 'tools-equal-principal-en');
    expect(errors).toEqual([]);
    await context.close();
  });
});
