import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../../platform/http-schemas.ts';
import { formatYuan } from '../../money/index.ts';
import {
  findSandboxOrder,
  payRechargeOrder,
  readControls,
  SANDBOX_DELIVERY_JOB,
  SandboxError,
  sandboxDeliveryHandler,
  writeControls,
} from './sandbox.service.ts';

const tags = ['sandbox custodian'];
const Controls = Type.Object(
  {
    delayMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
    duplicates: Type.Integer({ minimum: 0, maximum: 10 }),
    reorder: Type.Boolean(),
    failDeliveries: Type.Integer({ minimum: 0, maximum: 100 }),
    payoutResult: Type.String({ enum: ['success', 'fail'] }),
  },
  { additionalProperties: false },
);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function paymentPage(orderNo: string, amountFen: bigint, status: string): string {
  const amount = escapeHtml(formatYuan(amountFen, { symbol: true }));
  const no = escapeHtml(orderNo);
  const open = status === 'created';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>存管银行收银台 · Sandbox custodian</title><link rel="icon" href="/favicon.svg">
<style>
body{margin:0;font-family:-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;background:#eef2f6;color:#1f2430}
.bar{background:#0b3d6e;color:#fff;padding:14px 24px;font-weight:600}.bar small{opacity:.7;font-weight:400;margin-left:8px}
.card{max-width:440px;margin:48px auto;background:#fff;border-radius:10px;box-shadow:0 4px 18px rgba(0,0,0,.08);padding:28px}
.amount{font-size:34px;font-weight:700;margin:8px 0 20px}.row{display:flex;justify-content:space-between;color:#555;margin:6px 0}
button{width:100%;padding:12px;border-radius:6px;border:0;font-size:16px;margin-top:12px;cursor:pointer}
.pay{background:#0b3d6e;color:#fff}.fail{background:#fff;border:1px solid #c9ced6;color:#a8071a}
.note{color:#888;font-size:12px;margin-top:18px}.done{padding:12px;background:#f6ffed;border:1px solid #b7eb8f;border-radius:6px}
</style></head>
<body><div class="bar">存管银行 · 收银台<small>Sandbox custodian (test money only)</small></div>
<main class="card" data-order-no="${no}">
<div>借贷厅 Lendhall 充值 · Recharge</div>
<div class="amount" id="amount">${amount}</div>
<div class="row"><span>订单号 Order</span><span id="order-no">${no}</span></div>
<div class="row"><span>状态 Status</span><span id="status">${escapeHtml(status)}</span></div>
${
  open
    ? `<button class="pay" id="pay-success" data-result="success">确认支付 Pay</button>
<button class="fail" id="pay-fail" data-result="fail">模拟支付失败 Simulate a failure</button>`
    : '<p class="done">该订单已处理 · This order is settled.</p>'
}
<p class="note">这是沙箱存管，不会发生真实扣款。This is the sandbox custodian: no real money moves.</p>
</main><script src="/sandbox/custodian/pay.js"></script></body></html>`;
}

/** Loaded by the payment page (scripts must come from the same origin under the CSP). */
const PAY_SCRIPT = `(function () {
  var main = document.querySelector('main[data-order-no]');
  if (!main) return;
  var orderNo = main.getAttribute('data-order-no');
  document.querySelectorAll('button[data-result]').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      fetch('/sandbox/custodian/orders/' + encodeURIComponent(orderNo) + '/pay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ result: button.getAttribute('data-result') })
      }).then(function () {
        window.location.href = '/account/recharge?orderNo=' + encodeURIComponent(orderNo);
      });
    });
  });
})();
`;

/** The sandbox custodian: payment page, pay buttons, test controls, statements. Only when CUSTODIAN=sandbox. */
export const sandboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.outboxHandlers[SANDBOX_DELIVERY_JOB] = sandboxDeliveryHandler(
    app.config.custodianSecret,
    async (body, headers) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/custodian/callbacks', payload: body, headers });
      return res.statusCode;
    },
  );

  const OrderParams = Type.Object({ orderNo: Type.String({ pattern: '^[RWO][0-9A-Z]{8,40}$' }) });

  app.get(
    '/sandbox/custodian/orders/:orderNo',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'sandboxPaymentPage',
        summary: 'The sandbox payment page (HTML)',
        tags,
        params: OrderParams,
      },
    },
    async (request, reply) => {
      const order = await findSandboxOrder(app.db, request.params.orderNo);
      if (order?.kind !== 'recharge') throw SandboxError.SANDBOX_ORDER_NOT_FOUND();
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(paymentPage(order.order_no, order.amount_fen, order.status));
    },
  );

  app.get(
    '/sandbox/custodian/pay.js',
    {
      config: { auth: 'public' },
      schema: { operationId: 'sandboxPaymentScript', summary: 'Script of the payment page', tags },
    },
    async (_request, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(PAY_SCRIPT),
  );

  app.post(
    '/sandbox/custodian/orders/:orderNo/pay',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'sandboxPay',
        summary: 'Confirm (or fail) a payment on the sandbox page',
        tags,
        params: OrderParams,
        body: Type.Object({ result: Type.String({ enum: ['success', 'fail'] }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ orderNo: Type.String(), status: Type.String() }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const status = await payRechargeOrder(app.db, request.params.orderNo, request.body.result as 'success' | 'fail');
      return { orderNo: request.params.orderNo, status };
    },
  );

  app.get(
    '/sandbox/custodian/orders/:orderNo/status',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'sandboxQueryOrder',
        summary: 'The custodian’s view of an order',
        tags,
        params: OrderParams,
        response: {
          200: Type.Object({
            orderNo: Type.String(),
            status: Type.String(),
            amountFen: Type.Union([FenSchema, Type.Null()]),
          }),
        },
      },
    },
    async (request) => app.custodian.queryOrder(request.params.orderNo),
  );

  app.get(
    '/sandbox/custodian/control',
    {
      config: { auth: 'public' },
      schema: { operationId: 'sandboxGetControls', summary: 'Test controls', tags, response: { 200: Controls } },
    },
    async () => readControls(app.db),
  );
  app.put(
    '/sandbox/custodian/control',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'sandboxSetControls',
        summary: 'Make the sandbox delay, duplicate, reorder or fail its callbacks, and choose payout results',
        tags,
        body: Controls,
        response: { 200: Controls, ...errorResponses(400) },
      },
    },
    async (request) => writeControls(app.db, request.body as Parameters<typeof writeControls>[1]),
  );

  app.get(
    '/sandbox/custodian/statements/:date',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'sandboxDailyStatement',
        summary: 'The custodian’s statement of a business date (for reconciliation)',
        tags,
        params: Type.Object({ date: Type.String({ format: 'date' }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                orderNo: Type.String(),
                kind: Type.String(),
                amountFen: FenSchema,
                status: Type.String(),
                settledAt: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await app.custodian.dailyStatement(request.params.date) }),
  );
};
