import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatYuan, parseYuan } from '../../../../src/modules/money/index.ts';
import {
  maxWithdrawableFen,
  WITHDRAW_DAILY_COUNT_MAX,
  WITHDRAW_DAILY_MAX_FEN,
  WITHDRAW_FEE_BPS,
  WITHDRAW_FEE_MIN_FEN,
  WITHDRAW_MAX_FEN,
  WITHDRAW_MIN_FEN,
  WITHDRAW_REVIEW_THRESHOLD_FEN,
  withdrawalFeeFen,
} from '../../../../src/modules/payments/withdrawal.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { SmsCodeButton } from '../auth/SmsCodeButton.tsx';
import { MY_DATA, useCustomerMe } from '../customer-session.ts';
import type { BankCard } from './BankCardsPage.tsx';
import type { Balances } from './OverviewPage.tsx';

export type WithdrawalStatus = 'pending_review' | 'processing' | 'succeeded' | 'failed' | 'rejected';

export interface Withdrawal {
  orderNo: string;
  amountFen: number;
  feeFen: number;
  totalFen: number;
  status: WithdrawalStatus;
  bankCard: { id: string; bankCode: string; bankName: string; cardNumberMasked: string } | null;
  failureReason: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface PaymentOrder {
  orderNo: string;
  kind: string;
  amountFen: number;
  feeFen: number;
  status: WithdrawalStatus;
  failureReason: string | null;
  createdAt: string;
}

export const WITHDRAWAL_STATUS_COLOR: Record<WithdrawalStatus, string> = {
  pending_review: 'warning',
  processing: 'processing',
  succeeded: 'success',
  failed: 'error',
  rejected: 'error',
};

const POLL_MS = 1_000;
const POLL_TRIES_MAX = 120;
const ORDERS_KEY = [MY_DATA, 'payment-orders'];

/** The amount typed, in fen, or undefined while it is not a valid amount. */
function fenOf(text: string | undefined): bigint | undefined {
  if (!text) return undefined;
  try {
    const fen = parseYuan(text);
    return fen > 0n ? fen : undefined;
  } catch {
    return undefined;
  }
}

/** A withdrawal just made (or opened from the list): wait for the custodian's word while it is being paid. */
function WithdrawalResult(props: { orderNo: string; onAgain: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [tries, setTries] = useState(0);
  const order = useQuery({
    queryKey: [MY_DATA, 'withdrawal', props.orderNo],
    queryFn: () => api<Withdrawal>(`/api/v1/me/withdrawals/${encodeURIComponent(props.orderNo)}`),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === 'processing' && tries < POLL_TRIES_MAX ? POLL_MS : false),
  });
  const status = order.data?.status;
  useEffect(() => {
    // One more answer from the server (each poll): count it, so polling stops after POLL_TRIES_MAX.
    if (order.dataUpdatedAt > 0 && status === 'processing') setTries((n) => n + 1);
  }, [order.dataUpdatedAt, status]);
  useEffect(() => {
    // Settled one way or the other: balances and lists change.
    if (status && status !== 'processing' && status !== 'pending_review') {
      void client.invalidateQueries({ queryKey: [MY_DATA, 'account'] });
      void client.invalidateQueries({ queryKey: ORDERS_KEY });
    }
  }, [status, client]);
  if (order.isPending) return <Card loading />;
  if (order.isError) return <Alert type="error" showIcon title={order.error.message} />;
  const w = order.data;
  const card = w.bankCard ? `${w.bankCard.bankName} ${w.bankCard.cardNumberMasked}` : '';
  const again = (
    <Button key="again" onClick={props.onAgain}>
      {t('withdraw.again')}
    </Button>
  );
  const details = (
    <Descriptions size="small" column={1} bordered style={{ maxWidth: 480, margin: '0 auto' }}>
      <Descriptions.Item label={t('payments.orderNo')}>{w.orderNo}</Descriptions.Item>
      <Descriptions.Item label={t('withdraw.card')}>{card}</Descriptions.Item>
      <Descriptions.Item label={t('withdraw.received')}>¥{yuan(w.amountFen)}</Descriptions.Item>
      <Descriptions.Item label={t('withdraw.fee')}>¥{yuan(w.feeFen)}</Descriptions.Item>
      {w.failureReason ? <Descriptions.Item label={t('withdraw.reason')}>{w.failureReason}</Descriptions.Item> : null}
    </Descriptions>
  );
  const view: Record<WithdrawalStatus, { status: 'success' | 'error' | 'info' | 'warning'; title: string }> = {
    processing: { status: 'info', title: t('withdraw.resultProcessing', { total: yuan(w.totalFen) }) },
    pending_review: { status: 'warning', title: t('withdraw.resultPendingReview', { total: yuan(w.totalFen) }) },
    succeeded: { status: 'success', title: t('withdraw.resultSucceeded', { amount: yuan(w.amountFen), card }) },
    failed: { status: 'error', title: t('withdraw.resultFailed') },
    rejected: { status: 'error', title: t('withdraw.resultRejected') },
  };
  return (
    <Card data-testid="withdraw-result" data-status={w.status}>
      <Result
        status={view[w.status].status}
        title={view[w.status].title}
        subTitle={w.status === 'processing' && tries >= POLL_TRIES_MAX ? t('withdraw.stillWaiting') : undefined}
        extra={w.status === 'processing' ? undefined : [again]}
      >
        {details}
      </Result>
    </Card>
  );
}

interface WithdrawForm {
  bankCardId: string;
  amount: string;
  smsCode: string;
}

/** 提现: choose a bound card and an amount, see the fee, confirm with an SMS code, then follow the order. */
export function WithdrawPage() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const me = useCustomerMe().data;
  const [params, setParams] = useSearchParams();
  const orderNo = params.get('orderNo');
  const [form] = Form.useForm<WithdrawForm>();
  const [submitting, setSubmitting] = useState(false);
  const amountText = Form.useWatch('amount', form) as string | undefined;
  const balances = useQuery({ queryKey: [MY_DATA, 'account'], queryFn: () => api<Balances>('/api/v1/me/account') });
  const cards = useQuery({
    queryKey: [MY_DATA, 'bank-cards', i18n.language],
    queryFn: () => api<{ items: BankCard[] }>('/api/v1/me/bank-cards?limit=100'),
  });
  const orders = useQuery({
    queryKey: ORDERS_KEY,
    queryFn: () => api<{ items: PaymentOrder[] }>('/api/v1/me/payment-orders?limit=100'),
  });
  const bound = (cards.data?.items ?? []).filter((c) => c.status === 'bound');
  const availableFen = balances.data ? BigInt(balances.data.availableFen) : undefined;
  const maxFen = availableFen === undefined ? undefined : maxWithdrawableFen(availableFen);
  const amountFen = fenOf(amountText);
  const feeFen = amountFen === undefined ? undefined : withdrawalFeeFen(amountFen);
  const withdrawals = (orders.data?.items ?? []).filter((o) => o.kind === 'withdrawal');

  useEffect(() => {
    if (bound.length === 1 && !form.getFieldValue('bankCardId')) form.setFieldValue('bankCardId', bound[0]!.id);
  }, [bound, form]);

  function submit(values: WithdrawForm) {
    const amount = parseYuan(values.amount);
    const fee = withdrawalFeeFen(amount);
    const card = bound.find((c) => c.id === values.bankCardId);
    // One key per confirmed request: pressing OK twice, or a retry after a lost answer, withdraws once.
    const idempotencyKey = crypto.randomUUID();
    modal.confirm({
      title: t('withdraw.confirmTitle'),
      content: (
        <Descriptions size="small" column={1} style={{ marginTop: 12 }} data-testid="withdraw-confirm">
          <Descriptions.Item label={t('withdraw.card')}>
            {card ? `${card.bankName} ${card.cardNumberMasked}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('withdraw.received')}>¥{formatYuan(amount)}</Descriptions.Item>
          <Descriptions.Item label={t('withdraw.fee')}>¥{formatYuan(fee)}</Descriptions.Item>
          <Descriptions.Item label={t('withdraw.total')}>¥{formatYuan(amount + fee)}</Descriptions.Item>
        </Descriptions>
      ),
      okText: t('withdraw.confirmOk'),
      cancelText: t('withdraw.cancel'),
      onOk: async () => {
        setSubmitting(true);
        try {
          const order = await api<Withdrawal>('/api/v1/me/withdrawals', {
            method: 'POST',
            body: { amountFen: Number(amount), bankCardId: values.bankCardId, smsCode: values.smsCode },
            headers: { 'idempotency-key': idempotencyKey },
          });
          form.resetFields(['amount', 'smsCode']);
          await client.invalidateQueries({ queryKey: [MY_DATA, 'account'] });
          await client.invalidateQueries({ queryKey: ORDERS_KEY });
          setParams({ orderNo: order.orderNo });
        } catch (e) {
          message.error(e instanceof Error ? e.message : t('common.networkError'));
        } finally {
          setSubmitting(false);
        }
      },
    });
  }

  const figure = (value: number | undefined, label: string, testId: string) => (
    <Col xs={12} md={8}>
      <Statistic
        title={label}
        value={value === undefined ? '—' : yuan(value)}
        loading={balances.isPending}
        styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
        data-testid={testId}
      />
    </Col>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {orderNo ? <WithdrawalResult orderNo={orderNo} onAgain={() => setParams({})} /> : null}
      <Card title={t('withdraw.title')}>
        <Typography.Paragraph type="secondary">{t('withdraw.lead')}</Typography.Paragraph>
        {balances.isError ? <Alert type="error" showIcon title={balances.error.message} /> : null}
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          {figure(balances.data?.availableFen, t('withdraw.available'), 'withdraw-available')}
          {figure(balances.data?.frozenFen, t('withdraw.frozen'), 'withdraw-frozen')}
          {figure(balances.data?.bonusFen, t('withdraw.bonus'), 'withdraw-bonus')}
        </Row>
        {cards.isSuccess && bound.length === 0 ? (
          <Alert
            type="info"
            showIcon
            title={t('withdraw.noCard')}
            action={<Link to="/account/bank-cards">{t('withdraw.goBindCard')}</Link>}
            data-testid="withdraw-no-card"
          />
        ) : (
          <Form<WithdrawForm>
            form={form}
            layout="vertical"
            onFinish={submit}
            requiredMark={false}
            style={{ maxWidth: 520 }}
          >
            <Form.Item
              name="bankCardId"
              label={t('withdraw.card')}
              rules={[{ required: true, message: t('withdraw.cardRequired') }]}
            >
              <Select
                loading={cards.isPending}
                data-testid="withdraw-card"
                options={bound.map((c) => ({ value: c.id, label: `${c.bankName} ${c.cardNumberMasked}` }))}
              />
            </Form.Item>
            <Form.Item
              name="amount"
              label={t('withdraw.amount')}
              extra={
                maxFen !== undefined ? (
                  <Space size={4}>
                    <span>{t('withdraw.maxHint', { max: formatYuan(maxFen) })}</span>
                    {maxFen >= WITHDRAW_MIN_FEN ? (
                      <Button
                        type="link"
                        size="small"
                        style={{ padding: 0 }}
                        onClick={() => {
                          const all = maxFen > WITHDRAW_MAX_FEN ? WITHDRAW_MAX_FEN : maxFen;
                          form.setFieldValue('amount', formatYuan(all, { grouping: false }));
                          void form.validateFields(['amount']);
                        }}
                        data-testid="withdraw-all"
                      >
                        {t('withdraw.all')}
                      </Button>
                    ) : null}
                  </Space>
                ) : null
              }
              rules={[
                { required: true, message: t('withdraw.amountRequired') },
                {
                  validator: async (_r, value: string) => {
                    if (!value) return;
                    const fen = fenOf(value);
                    if (fen === undefined) throw new Error(t('withdraw.amountInvalid'));
                    if (fen < WITHDRAW_MIN_FEN)
                      throw new Error(t('withdraw.amountBelowMin', { min: formatYuan(WITHDRAW_MIN_FEN) }));
                    if (fen > WITHDRAW_MAX_FEN)
                      throw new Error(t('withdraw.amountAboveMax', { max: formatYuan(WITHDRAW_MAX_FEN) }));
                    if (maxFen !== undefined && fen > maxFen)
                      throw new Error(t('withdraw.amountOverAvailable', { max: formatYuan(maxFen) }));
                  },
                },
              ]}
            >
              <Input
                suffix={t('payments.yuan')}
                placeholder="1,000.00"
                inputMode="decimal"
                data-testid="withdraw-amount"
              />
            </Form.Item>
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('withdraw.fee')}>
                <span data-testid="withdraw-fee">{feeFen === undefined ? '—' : `¥${formatYuan(feeFen)}`}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('withdraw.received')}>
                <span data-testid="withdraw-received">
                  {amountFen === undefined ? '—' : `¥${formatYuan(amountFen)}`}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('withdraw.total')}>
                <span data-testid="withdraw-total">
                  {amountFen === undefined || feeFen === undefined ? '—' : `¥${formatYuan(amountFen + feeFen)}`}
                </span>
              </Descriptions.Item>
            </Descriptions>
            {amountFen !== undefined && amountFen > WITHDRAW_REVIEW_THRESHOLD_FEN ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('withdraw.reviewHint', { threshold: formatYuan(WITHDRAW_REVIEW_THRESHOLD_FEN) })}
              />
            ) : null}
            <Form.Item
              label={t('customer.smsCode')}
              required
              extra={t('withdraw.smsHint', { phone: me?.phoneMasked ?? '' })}
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item
                  name="smsCode"
                  noStyle
                  rules={[{ required: true, pattern: /^\d{6}$/, message: t('customer.smsCodeInvalid') }]}
                >
                  <Input
                    aria-label={t('customer.smsCode')}
                    inputMode="numeric"
                    maxLength={6}
                    autoComplete="one-time-code"
                    placeholder={t('customer.smsCodePlaceholder')}
                    data-testid="withdraw-sms-code"
                  />
                </Form.Item>
                <SmsCodeButton
                  purpose="withdraw"
                  getPhone={async () => ''}
                  request={() =>
                    api<{ resendAfterSeconds: number }>('/api/v1/me/withdrawals/sms-codes', { method: 'POST' })
                  }
                />
              </Space.Compact>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={submitting} data-testid="withdraw-submit">
              {t('withdraw.submit')}
            </Button>
          </Form>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('withdraw.rules', {
            rate: `${Number(WITHDRAW_FEE_BPS) / 100}%`,
            minFee: formatYuan(WITHDRAW_FEE_MIN_FEN),
            min: formatYuan(WITHDRAW_MIN_FEN),
            max: formatYuan(WITHDRAW_MAX_FEN),
            daily: formatYuan(WITHDRAW_DAILY_MAX_FEN),
            count: WITHDRAW_DAILY_COUNT_MAX,
            threshold: formatYuan(WITHDRAW_REVIEW_THRESHOLD_FEN),
          })}
        </Typography.Paragraph>
      </Card>
      <Card title={t('withdraw.ordersTitle')}>
        <Table<PaymentOrder>
          rowKey="orderNo"
          size="middle"
          loading={orders.isPending}
          dataSource={withdrawals}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('withdraw.ordersEmpty') }}
          columns={[
            {
              title: t('payments.orderNo'),
              dataIndex: 'orderNo',
              render: (no: string) => (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setParams({ orderNo: no })}>
                  {no}
                </Button>
              ),
            },
            {
              title: t('withdraw.amountShort'),
              dataIndex: 'amountFen',
              align: 'right',
              render: (v: number) => yuan(v),
            },
            { title: t('withdraw.fee'), dataIndex: 'feeFen', align: 'right', render: (v: number) => yuan(v) },
            {
              title: t('payments.status'),
              dataIndex: 'status',
              render: (s: WithdrawalStatus, r) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={WITHDRAWAL_STATUS_COLOR[s] ?? 'default'}>
                    {t(`payments.statuses.${s}`, { defaultValue: s })}
                  </Tag>
                  {r.failureReason ? <Typography.Text type="secondary">{r.failureReason}</Typography.Text> : null}
                </Space>
              ),
            },
            { title: t('payments.createdAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          ]}
        />
      </Card>
    </Space>
  );
}
