import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Db } from '../../db/database.ts';
import { maskIdNumber, maskName } from '../../platform/crypto.ts';
import { defineErrors } from '../../platform/errors.ts';
import { annualRateFromPpm, formatRatePercent, formatYuan } from '../money/index.ts';
import { shanghaiDate } from '../servicing/schedule/index.ts';
import { LoanError } from './loans.errors.ts';

/**
 * The loan contract (借款合同): one PDF per disbursed loan with the parties (every person masked), the terms,
 * the full repayment schedule, the standard clauses and a signatures block. Every figure comes from the
 * database (the loan, its product, the disbursement transfers in the ledger, repayment_schedules). Personal
 * data appears only in its masked form: no plaintext name, ID number or phone is ever read for it.
 */

export const ContractError = defineErrors({
  CONTRACT_NOT_AVAILABLE: {
    status: 409,
    zh: '借款合同在放款后生成，该借款当前状态为 {status}',
    en: 'The contract exists once the loan is disbursed; this loan is {status}',
  },
  CONTRACT_FONT_UNAVAILABLE: {
    status: 503,
    zh: '服务器未配置中文字体，暂时无法生成借款合同',
    en: 'No Chinese font is configured on the server; the contract cannot be generated right now',
  },
});

/** A contract exists for loans that were disbursed. */
export const CONTRACT_STATUSES = ['repaying', 'finished'] as const;

const METHOD_ZH: Readonly<Record<string, string>> = {
  equal_installment: '等额本息',
  equal_principal: '等额本金',
  interest_monthly: '按月付息、到期还本',
  bullet: '到期一次性还本付息',
  quarterly: '按季等额本息',
  daily: '按天计息、到期还本付息',
};

const PLATFORM_NAME = 'Lendhall 网络借贷信息中介平台';

export interface ContractParty {
  readonly name: string;
  readonly idLabel: string;
  readonly idMasked: string;
  readonly phoneMasked: string;
  readonly extra?: string;
}

export interface ContractInvestor {
  readonly nameMasked: string;
  readonly phoneMasked: string;
  readonly amountFen: bigint;
}

export interface ContractData {
  readonly loanId: string;
  readonly loanNo: string;
  readonly title: string;
  readonly purpose: string;
  readonly status: string;
  /** The date of disbursement in Asia/Shanghai (YYYY-MM-DD): the contract's date. */
  readonly date: string;
  readonly productNameZh: string;
  readonly amountFen: bigint;
  readonly annualRatePpm: bigint;
  readonly method: string;
  readonly termMonths: number | null;
  readonly termDays: number | null;
  readonly serviceFeeFen: bigint;
  readonly guaranteeFeeFen: bigint;
  readonly netFen: bigint;
  readonly managementFeePpm: bigint;
  readonly borrower: ContractParty;
  readonly investors: readonly ContractInvestor[];
  readonly schedule: readonly {
    period: number;
    dueDate: string;
    principalFen: bigint;
    interestFen: bigint;
    paymentFen: bigint;
    remainingPrincipalFen: bigint;
  }[];
}

/** Who may read the contract: the borrower, or an investor with a posted (disbursed) bid on the loan. */
export async function customerMayReadContract(db: Db, loanId: string, customerId: string): Promise<boolean> {
  const loan = await db.selectFrom('loans').select(['borrower_id']).where('id', '=', loanId).executeTakeFirst();
  if (!loan) return false;
  if (loan.borrower_id === customerId) return true;
  const bid = await db
    .selectFrom('bids')
    .select('id')
    .where('loan_id', '=', loanId)
    .where('investor_id', '=', customerId)
    .where('status', '=', 'posted')
    .limit(1)
    .executeTakeFirst();
  return bid !== undefined;
}

/** Everything the contract says, read from the database; 404 for no such loan, 409 when not disbursed. */
export async function loadContractData(db: Db, loanId: string): Promise<ContractData> {
  const loan = await db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .select([
      'l.id',
      'l.loan_no',
      'l.title',
      'l.purpose',
      'l.status',
      'l.borrower_id',
      'l.amount_fen',
      'l.annual_rate_ppm',
      'l.method',
      'l.term_months',
      'l.term_days',
      'l.disbursed_at',
      'p.name_zh as product_name_zh',
      'p.management_fee_ppm',
    ])
    .where('l.id', '=', loanId)
    .executeTakeFirst();
  if (!loan) throw LoanError.LOAN_NOT_FOUND({ loanId });
  if (!(CONTRACT_STATUSES as readonly string[]).includes(loan.status) || loan.disbursed_at === null) {
    throw ContractError.CONTRACT_NOT_AVAILABLE({ status: loan.status });
  }

  // The disbursement's own transfers: what the borrower received and the fees, exactly as posted.
  const transfers = await db
    .selectFrom('ledger_transfers')
    .select(['id', 'amount_fen'])
    .where('id', 'in', [`loan:${loan.id}:disburse`, `loan:${loan.id}:service-fee`, `loan:${loan.id}:guarantee-fee`])
    .execute();
  const posted = (suffix: string) => transfers.find((x) => x.id === `loan:${loan.id}:${suffix}`)?.amount_fen ?? 0n;

  const [borrower, investors, schedule] = await Promise.all([
    loadBorrower(db, loan.borrower_id),
    loadInvestors(db, loan.id),
    db
      .selectFrom('repayment_schedules')
      .select(['period', 'due_date', 'principal_fen', 'interest_fen', 'payment_fen', 'remaining_principal_fen'])
      .where('loan_id', '=', loan.id)
      .orderBy('period')
      .execute(),
  ]);

  return {
    loanId: loan.id,
    loanNo: loan.loan_no,
    title: loan.title,
    purpose: loan.purpose,
    status: loan.status,
    date: shanghaiDate(loan.disbursed_at.getTime()),
    productNameZh: loan.product_name_zh,
    amountFen: loan.amount_fen,
    annualRatePpm: loan.annual_rate_ppm,
    method: loan.method,
    termMonths: loan.term_months,
    termDays: loan.term_days,
    serviceFeeFen: posted('service-fee'),
    guaranteeFeeFen: posted('guarantee-fee'),
    netFen: posted('disburse'),
    managementFeePpm: loan.management_fee_ppm,
    borrower,
    investors,
    schedule: schedule.map((r) => ({
      period: r.period,
      dueDate: r.due_date,
      principalFen: r.principal_fen,
      interestFen: r.interest_fen,
      paymentFen: r.payment_fen,
      remainingPrincipalFen: r.remaining_principal_fen,
    })),
  };
}

async function loadBorrower(db: Db, userId: string): Promise<ContractParty> {
  const user = await db
    .selectFrom('users as u')
    .leftJoin('customer_real_names as r', 'r.user_id', 'u.id')
    .select(['u.kind', 'u.phone_masked', 'r.name_masked', 'r.id_number_masked'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.kind === 'company') {
    const company = await db
      .selectFrom('companies')
      .select(['name', 'credit_code', 'legal_rep_name_masked'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (company) {
      return {
        name: maskName(company.name),
        idLabel: '统一社会信用代码',
        idMasked: maskIdNumber(company.credit_code),
        phoneMasked: user.phone_masked,
        extra: `法定代表人：${company.legal_rep_name_masked}`,
      };
    }
  }
  return {
    name: user.name_masked ?? '—',
    idLabel: '身份证号码',
    idMasked: user.id_number_masked ?? '—',
    phoneMasked: user.phone_masked,
  };
}

/** Each investor once, with the sum of their posted bids, in the order they first bid. */
async function loadInvestors(db: Db, loanId: string): Promise<ContractInvestor[]> {
  const rows = await db
    .selectFrom('bids as b')
    .innerJoin('users as u', 'u.id', 'b.investor_id')
    .leftJoin('customer_real_names as r', 'r.user_id', 'b.investor_id')
    .select(['b.investor_id', 'b.amount_fen', 'u.phone_masked', 'r.name_masked'])
    .where('b.loan_id', '=', loanId)
    .where('b.status', '=', 'posted')
    .orderBy('b.created_at')
    .orderBy('b.id')
    .execute();
  const byInvestor = new Map<string, { nameMasked: string; phoneMasked: string; amountFen: bigint }>();
  for (const r of rows) {
    const seen = byInvestor.get(r.investor_id);
    if (seen) seen.amountFen += r.amount_fen;
    else
      byInvestor.set(r.investor_id, {
        nameMasked: r.name_masked ?? '—',
        phoneMasked: r.phone_masked,
        amountFen: r.amount_fen,
      });
  }
  return [...byInvestor.values()];
}

// ---------------------------------------------------------------------------------------------------
// The font. Read once per path and kept; a collection (.ttc) needs the name of one of its faces.

/** Faces tried, in order, when the font file is a collection (TTC): WenQuanYi Zen Hei, Noto Sans CJK SC. */
const COLLECTION_FACES = [
  'WenQuanYiZenHei',
  'NotoSansCJKsc-Regular',
  'NotoSansCJKSC-Regular',
  'SourceHanSansSC-Regular',
];
/** 借: a font without it cannot write the contract. */
const PROBE_CODE_POINT = 0x501f;

interface ContractFont {
  readonly data: Buffer;
  readonly face: string | undefined;
}

const fontCache = new Map<string, ContractFont>();

/** The configured CJK font, checked to load and to have Chinese glyphs; 503 CONTRACT_FONT_UNAVAILABLE if not. */
export function loadContractFont(fontPath: string | undefined): ContractFont {
  if (fontPath === undefined) throw ContractError.CONTRACT_FONT_UNAVAILABLE();
  const cached = fontCache.get(fontPath);
  if (cached) return cached;
  let data: Buffer;
  try {
    data = fs.readFileSync(fontPath);
  } catch {
    throw ContractError.CONTRACT_FONT_UNAVAILABLE({ font: path.basename(fontPath) });
  }
  const isCollection = data.subarray(0, 4).toString('latin1') === 'ttcf';
  for (const face of isCollection ? COLLECTION_FACES : [undefined]) {
    try {
      const probe = new PDFDocument({ autoFirstPage: false });
      if (face === undefined) probe.font(data);
      else probe.font(data, face);
      const embedded = (probe as unknown as { _font?: { font?: { hasGlyphForCodePoint?(cp: number): boolean } } })._font
        ?.font;
      if (embedded?.hasGlyphForCodePoint?.(PROBE_CODE_POINT) !== true) continue;
      const font = { data, face };
      fontCache.set(fontPath, font);
      return font;
    } catch {
      // Not this face (or not a font at all): try the next.
    }
  }
  throw ContractError.CONTRACT_FONT_UNAVAILABLE({ font: path.basename(fontPath) });
}

// ---------------------------------------------------------------------------------------------------
// The PDF.

const PAGE_MARGIN = 56;
const FOOTER_SPACE = 28;
const INK = '#1f1f1f';
const MUTED = '#595959';
const RULE = '#8c8c8c';

function termText(d: ContractData): string {
  if (d.termDays !== null) return `${d.termDays} 天`;
  return `${d.termMonths ?? '—'} 个月`;
}

function percentOfPpm(ppm: bigint): string {
  return formatRatePercent(annualRateFromPpm(ppm));
}

const yuan = (fen: bigint) => `¥${formatYuan(fen)}`;

/** Render the contract; resolves to the PDF bytes. Throws CONTRACT_FONT_UNAVAILABLE without a usable font. */
export async function renderContractPdf(d: ContractData, fontPath: string | undefined): Promise<Buffer> {
  const font = loadContractFont(fontPath);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN + FOOTER_SPACE, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    info: {
      Title: `借款合同 Loan Agreement ${d.loanNo}`,
      Subject: d.loanNo,
      Author: 'Lendhall',
      Creator: 'Lendhall',
      CreationDate: new Date(`${d.date}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font.face === undefined) doc.registerFont('cjk', font.data);
  else doc.registerFont('cjk', font.data, font.face);
  doc.font('cjk').fillColor(INK);
  writeContract(doc, d);

  // Page numbers, written into the bottom margin of every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `合同编号 ${d.loanNo}    第 ${i + 1 - range.start} 页 / 共 ${range.count} 页`,
        PAGE_MARGIN,
        doc.page.height - PAGE_MARGIN,
        { width: doc.page.width - 2 * PAGE_MARGIN, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Start a new page unless `height` points still fit on this one. */
function keepTogether(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

/** A section heading; `keep` points of what follows must fit on the same page, or it starts a new one. */
function heading(doc: PDFKit.PDFDocument, zh: string, en: string, keep = 100): void {
  keepTogether(doc, keep);
  doc.moveDown(0.8);
  const x = doc.page.margins.left;
  doc.fontSize(12.5).fillColor(INK).text(zh, x, doc.y, { continued: true });
  doc.fontSize(9).fillColor(MUTED).text(`  ${en}`);
  const y = doc.y + 2;
  doc
    .moveTo(x, y)
    .lineTo(x + contentWidth(doc), y)
    .lineWidth(0.6)
    .strokeColor(RULE)
    .stroke();
  doc.y = y + 6;
  doc.fontSize(10).fillColor(INK);
}

function paragraph(doc: PDFKit.PDFDocument, text: string, options: PDFKit.Mixins.TextOptions = {}): void {
  doc
    .fontSize(10)
    .fillColor(INK)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 3, ...options });
}

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

/** A ruled table that continues onto new pages, repeating its header. */
function table(doc: PDFKit.PDFDocument, columns: readonly Column[], rows: readonly (readonly string[])[]): void {
  const x0 = doc.page.margins.left;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const scale = contentWidth(doc) / total;
  const widths = columns.map((c) => c.width * scale);
  const pad = 4;
  const fontSize = 9;

  const rowHeight = (cells: readonly string[]) => {
    doc.fontSize(fontSize);
    return (
      Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: (widths[i] as number) - 2 * pad }))) + 2 * pad
    );
  };
  const drawRow = (cells: readonly string[], header: boolean) => {
    const h = rowHeight(cells);
    if (doc.y + h > bottomLimit(doc)) {
      doc.addPage();
      if (!header)
        drawRow(
          columns.map((c) => c.title),
          true,
        );
    }
    const y = doc.y;
    let x = x0;
    if (header) doc.rect(x0, y, contentWidth(doc), h).fillColor('#f0f0f0').fill();
    doc.lineWidth(0.5).strokeColor(RULE);
    for (const [i, cell] of cells.entries()) {
      const w = widths[i] as number;
      doc.rect(x, y, w, h).stroke();
      doc
        .fontSize(fontSize)
        .fillColor(INK)
        .text(cell, x + pad, y + pad, {
          width: w - 2 * pad,
          align: header ? 'center' : (columns[i]?.align ?? 'left'),
        });
      x += w;
    }
    doc.x = x0;
    doc.y = y + h;
  };
  // The header never stays alone at the foot of a page.
  const header = columns.map((c) => c.title);
  keepTogether(doc, rowHeight(header) + (rows[0] ? rowHeight(rows[0]) : 0));
  drawRow(header, true);
  for (const r of rows) drawRow(r, false);
  doc.x = x0;
  doc.moveDown(0.3);
}

function writeContract(doc: PDFKit.PDFDocument, d: ContractData): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);

  // Title.
  doc.fontSize(22).fillColor(INK).text('借款合同', left, doc.y, { width, align: 'center', characterSpacing: 6 });
  doc.fontSize(11).fillColor(MUTED).text('Loan Agreement', { width, align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(10).fillColor(INK);
  table(
    doc,
    [
      { title: '合同编号 Contract No.', width: 1 },
      { title: '签订日期 Date', width: 1 },
      { title: '借款标题 Loan', width: 1.4 },
    ],
    [[d.loanNo, d.date, d.title]],
  );

  // 1. Parties.
  heading(doc, '一、合同各方', 'Parties');
  const b = d.borrower;
  paragraph(
    doc,
    `借款人（甲方）：${b.name}\n${b.idLabel}：${b.idMasked}    联系电话：${b.phoneMasked}${b.extra ? `\n${b.extra}` : ''}`,
  );
  doc.moveDown(0.4);
  paragraph(doc, `出借人（乙方）：共 ${d.investors.length} 名，详见下表（出借人信息已脱敏）。`);
  doc.moveDown(0.2);
  table(
    doc,
    [
      { title: '序号', width: 0.6, align: 'center' },
      { title: '出借人', width: 1.2 },
      { title: '手机号码', width: 1.4 },
      { title: '出借金额（元）', width: 1.6, align: 'right' },
    ],
    d.investors.map((inv, i) => [String(i + 1), inv.nameMasked, inv.phoneMasked, formatYuan(inv.amountFen)]),
  );
  paragraph(
    doc,
    `居间服务方（丙方）：${PLATFORM_NAME}。丙方为甲乙双方提供信息发布、信用评估、撮合及还款管理等居间服务，` +
      '不是借贷的一方，不提供担保，不归集、不占用出借资金。',
  );

  // 2. Terms.
  heading(doc, '二、借款信息', 'Terms');
  const fee = (fen: bigint) => (fen > 0n ? yuan(fen) : '无');
  table(
    doc,
    [
      { title: '项目', width: 1 },
      { title: '约定内容', width: 2.4 },
    ],
    [
      ['借款产品', d.productNameZh],
      ['借款金额', `${yuan(d.amountFen)}（人民币）`],
      ['年化利率', percentOfPpm(d.annualRatePpm)],
      ['借款期限', termText(d)],
      ['还款方式', METHOD_ZH[d.method] ?? d.method],
      ['借款用途', d.purpose],
      ['放款日（起息日）', d.date],
      ['借款服务费（甲方承担，放款时扣收）', fee(d.serviceFeeFen)],
      ['担保费（甲方承担，放款时扣收）', fee(d.guaranteeFeeFen)],
      ['甲方实际到账金额', yuan(d.netFen)],
      [
        '出借人管理费（乙方承担）',
        d.managementFeePpm > 0n ? `按每期所收利息的 ${percentOfPpm(d.managementFeePpm)} 收取` : '无',
      ],
    ],
  );
  paragraph(
    doc,
    '借款本金以借款金额计，服务费及担保费不冲减甲方应还本金；利息自放款日起按上述年化利率及还款方式计算。',
    { align: 'left' },
  );

  // 3. Schedule.
  heading(doc, '三、还款计划', 'Repayment schedule');
  const sum = (pick: (r: ContractData['schedule'][number]) => bigint) => d.schedule.reduce((s, r) => s + pick(r), 0n);
  table(
    doc,
    [
      { title: '期数', width: 0.6, align: 'center' },
      { title: '还款日', width: 1.2, align: 'center' },
      { title: '应还本息（元）', width: 1.3, align: 'right' },
      { title: '应还本金（元）', width: 1.3, align: 'right' },
      { title: '应还利息（元）', width: 1.2, align: 'right' },
      { title: '剩余本金（元）', width: 1.3, align: 'right' },
    ],
    [
      ...d.schedule.map((r) => [
        String(r.period),
        r.dueDate,
        formatYuan(r.paymentFen),
        formatYuan(r.principalFen),
        formatYuan(r.interestFen),
        formatYuan(r.remainingPrincipalFen),
      ]),
      [
        '合计',
        '',
        formatYuan(sum((r) => r.paymentFen)),
        formatYuan(sum((r) => r.principalFen)),
        formatYuan(sum((r) => r.interestFen)),
        '',
      ],
    ],
  );
  paragraph(
    doc,
    '每期本金与利息按各出借人尚未收回的本金比例分配给各出借人，精确到分（最大余额法）；各出借人合计收回的本金与其出借金额一致。',
    {
      align: 'left',
    },
  );

  // 4. Clauses.
  heading(doc, '四、合同条款', 'Terms and conditions');
  const clauses = [
    [
      '借款用途',
      '甲方应按本合同约定的用途使用借款，不得用于股票、期货、房地产等投资或任何违法用途。甲方改变借款用途的，乙方有权要求甲方提前归还全部借款本息。',
    ],
    [
      '还款',
      '甲方应于每期还款日（含当日）前将当期应还本息足额存入其在资金存管机构开立的存管账户，由存管机构按丙方的指令划付至各出借人的存管账户。',
    ],
    [
      '逾期与罚息',
      '甲方未按期足额还款即构成逾期。逾期期间，甲方除应还本息外，还应就逾期款项按丙方公示的逾期罚息标准支付罚息（不超过法律规定的上限），并承担为实现债权发生的合理费用；丙方有权以合法方式进行催收，并依法报送信用信息。',
    ],
    ['提前还款', '甲方可申请提前偿还全部剩余本金，利息计至实际还款日，具体以丙方公示的提前还款规则为准。'],
    [
      '资金存管',
      '本合同项下的出借资金、借款资金及还款资金均由资金存管机构存管，在甲方、乙方的存管账户之间直接划转；丙方不归集、不占用、不挪用任何资金。',
    ],
    ['信息保护', '各方信息仅用于履行本合同；本合同展示的个人信息已作脱敏处理，各方应对知悉的他方信息保密。'],
    [
      '争议解决',
      '本合同适用中华人民共和国法律。因本合同发生的争议，各方应协商解决；协商不成的，任何一方均可向丙方所在地有管辖权的人民法院提起诉讼。',
    ],
    [
      '合同生效',
      '本合同经各方通过丙方平台以电子方式签署，自借款资金划付至甲方存管账户之日起生效，电子版本与纸质版本具有同等法律效力。',
    ],
  ] as const;
  for (const [i, [name, body]] of clauses.entries()) {
    keepTogether(doc, 40);
    paragraph(doc, `第${'一二三四五六七八九十'[i]}条 ${name}：${body}`);
    doc.moveDown(0.3);
  }

  // 5. Signatures.
  const boxH = 110;
  heading(doc, '五、签署', 'Signatures', boxH + 80);
  const gap = 12;
  const boxW = (width - 2 * gap) / 3;
  const top = doc.y + 4;
  const parties = [
    ['甲方（借款人）', b.name, '（电子签名）'],
    ['乙方（出借人）', `${d.investors.length} 名出借人`, '（由各出借人电子签署）'],
    ['丙方（居间服务方）', 'Lendhall', '（电子签章）'],
  ] as const;
  for (const [i, [role, who, how]] of parties.entries()) {
    const x = left + i * (boxW + gap);
    doc.lineWidth(0.6).strokeColor(RULE).rect(x, top, boxW, boxH).stroke();
    doc
      .fontSize(10)
      .fillColor(INK)
      .text(role, x + 8, top + 8, { width: boxW - 16 });
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text(who, x + 8, top + 26, { width: boxW - 16 });
    doc.text(how, x + 8, top + 42, { width: boxW - 16 });
    doc
      .fontSize(9)
      .fillColor(INK)
      .text(`签署日期：${d.date}`, x + 8, top + boxH - 20, { width: boxW - 16 });
  }
  doc.x = left;
  doc.y = top + boxH + 10;
  paragraph(doc, `本合同由 ${PLATFORM_NAME} 生成，合同编号 ${d.loanNo}；以平台系统中的电子记录为准。`, {
    align: 'left',
  });
  doc.fillColor(INK);
}
