import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { rulesOnlyKycProvider, verifyRealName } from '../src/modules/identity/real-name.service.ts';
import { loadContractData, renderContractPdf } from '../src/modules/loans/contract.service.ts';
import { formatYuan } from '../src/modules/money/index.ts';
import { maskIdNumber, maskPhone } from '../src/platform/crypto.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { testIdNumber } from './helpers/kyc.ts';
import { bid, insertProduct, insertRaisingLoan, investor } from './helpers/loans.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp, testConfig } from './helpers/test-app.ts';

let t: TestApp;
let staff: TestStaff;
let borrower: TestCustomer;
const borrowerName = '王小明';
const borrowerIdNumber = testIdNumber();
let loanId: string;
let loanNo: string;
let investors: TestCustomer[];

const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

function contract(id: string, headers: Record<string, string>) {
  return t.app.inject({ method: 'GET', url: `/api/v1/me/loans/${id}/contract.pdf`, headers });
}
function adminContract(id: string, headers: Record<string, string>) {
  return t.app.inject({ method: 'GET', url: `/api/v1/admin/loans/${id}/contract.pdf`, headers });
}

/** The text of a PDF through poppler's pdftotext (pdfkit writes CJK text as glyph ids, not searchable bytes). */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-contract-'));
  try {
    const file = path.join(dir, 'contract.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  staff = await signedInStaff(t, ['super_admin']);
  borrower = await signedInCustomer(t);
  await verifyRealName(t.database.db, t.app.cipher, rulesOnlyKycProvider, {
    userId: borrower.id,
    name: borrowerName,
    idNumber: borrowerIdNumber,
  });
  // As in loans-disbursement.test.ts: 10,000.00 at 12% for 6 months, bid full by three investors, disbursed.
  const productId = await insertProduct(t, {
    bidMinFen: 100_000n,
    bidStepFen: 100n,
    serviceFeePpm: 20_000n,
    guaranteeFeePpm: 10_000n,
    managementFeePpm: 100_000n,
  });
  loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen: 1_000_000n, termMonths: 6 });
  investors = [];
  for (const a of [300_000, 300_000, 400_000]) {
    const inv = await investor(t, { cashFen: 500_000n });
    expect((await bid(t, inv, loanId, a)).statusCode).toBe(201);
    investors.push(inv);
  }
  const approved = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/loans/${loanId}/second-review`,
    payload: { decision: 'approve' },
    headers: staff.headers,
  });
  expect(approved.statusCode).toBe(200);
  loanNo = (
    await t.database.db.selectFrom('loans').select('loan_no').where('id', '=', loanId).executeTakeFirstOrThrow()
  ).loan_no;
});
afterAll(async () => t?.close());

describe('loan contract (借款合同)', () => {
  it('the borrower downloads the PDF', async () => {
    const res = await contract(loanId, borrower.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['cache-control']).toContain('no-store');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A subset of the CJK font is embedded: more than a few KB, far less than the whole font.
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.length).toBeLessThan(2_000_000);
  });

  it('an investor of the loan downloads it; another customer gets 404', async () => {
    const res = await contract(loanId, (investors[1] as TestCustomer).headers);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const stranger = await signedInCustomer(t);
    const other = await contract(loanId, stranger.headers);
    expect(other.statusCode).toBe(404);
    expect(code(other)).toBe('LOAN_NOT_FOUND');
    expect((await contract('loan_missing', borrower.headers)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/me/loans/${loanId}/contract.pdf` })).statusCode).toBe(
      401,
    );
  });

  it('a loan not yet disbursed has no contract (409), also for staff', async () => {
    const productId = await insertProduct(t, { bidMinFen: 10_000n });
    const raising = await insertRaisingLoan(t, productId, borrower.id, { amountFen: 1_000_000n });
    const mine = await contract(raising, borrower.headers);
    expect(mine.statusCode).toBe(409);
    expect(code(mine)).toBe('CONTRACT_NOT_AVAILABLE');
    const admin = await adminContract(raising, staff.headers);
    expect(admin.statusCode).toBe(409);
    expect(code(admin)).toBe('CONTRACT_NOT_AVAILABLE');
    // An investor whose bid is only held (not disbursed) is not yet a party: 404.
    const inv = await investor(t, { cashFen: 50_000n });
    expect((await bid(t, inv, raising, 10_000)).statusCode).toBe(201);
    expect((await contract(raising, inv.headers)).statusCode).toBe(404);
  });

  it('staff need loans.review', async () => {
    const nobody = await signedInStaff(t, ['finance']);
    const denied = await adminContract(loanId, nobody.headers);
    expect(denied.statusCode).toBe(403);
    const reviewer = await signedInStaff(t, ['reviewer']);
    const res = await adminContract(loanId, reviewer.headers);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await adminContract('loan_missing', reviewer.headers)).statusCode).toBe(404);
    const logged = await t.database.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'loan.contract.download')
      .where('target_id', '=', loanId)
      .execute();
    expect(logged.map((l) => l.actor_id)).toContain(reviewer.id);
  });

  it('carries the loan number, the masked parties and the exact schedule; never plaintext personal data', async (ctx) => {
    if (!hasPdftotext) {
      ctx.skip('pdftotext (Debian poppler-utils) is not installed: the PDF text check is skipped; .ci/run installs it');
      return;
    }
    const res = await contract(loanId, borrower.headers);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('借款合同');
    expect(text).toContain('Loan Agreement');
    expect(text).toContain(loanNo);
    expect(text).toContain(maskIdNumber(borrowerIdNumber));
    expect(text).toContain('王**');
    expect(text).not.toContain(borrowerIdNumber);
    expect(text).not.toContain(borrowerName);
    for (const inv of investors) {
      expect(text).toContain(maskPhone(inv.phone));
      expect(text).not.toContain(inv.phone);
    }
    expect(text).not.toContain(borrower.phone);
    // Figures straight from the database.
    expect(text).toContain('¥10,000.00');
    expect(text).toContain('12%');
    expect(text).toContain('¥200.00'); // service fee 2%
    expect(text).toContain('¥100.00'); // guarantee fee 1%
    expect(text).toContain('¥9,700.00'); // what the borrower received
    const rows = await t.database.db
      .selectFrom('repayment_schedules')
      .select(['due_date', 'payment_fen'])
      .where('loan_id', '=', loanId)
      .orderBy('period')
      .execute();
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(text).toContain(r.due_date);
      expect(text).toContain(formatYuan(r.payment_fen));
    }
    expect(text).toContain('1,725.51');
  });

  it('without a CJK font: 503 CONTRACT_FONT_UNAVAILABLE, never a 500', async () => {
    const data = await loadContractData(t.database.db, loanId);
    await expect(renderContractPdf(data, undefined)).rejects.toMatchObject({ code: 'CONTRACT_FONT_UNAVAILABLE' });
    // A file that is not a font, and a font without Chinese glyphs (where one is installed), are refused alike.
    await expect(renderContractPdf(data, path.resolve('package.json'))).rejects.toMatchObject({
      code: 'CONTRACT_FONT_UNAVAILABLE',
    });
    const latinFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (fs.existsSync(latinFont)) {
      await expect(renderContractPdf(data, latinFont)).rejects.toMatchObject({ code: 'CONTRACT_FONT_UNAVAILABLE' });
    }
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp(testConfig({ CJK_FONT_PATH: '/nonexistent/fonts/none.ttc' }), {
        database: t.database,
        migrate: false,
      });
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/me/loans/${loanId}/contract.pdf`,
        headers: borrower.headers,
      });
      expect(res.statusCode).toBe(503);
      expect(code(res)).toBe('CONTRACT_FONT_UNAVAILABLE');
      const admin = await app.inject({
        method: 'GET',
        url: `/api/v1/admin/loans/${loanId}/contract.pdf`,
        headers: staff.headers,
      });
      expect(admin.statusCode).toBe(503);
    } finally {
      await app?.close();
    }
  });
});
