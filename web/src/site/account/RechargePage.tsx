import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Result, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { parseYuan } from '../../../../src/modules/money/index.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';

interface Recharge {
  orderNo: string;
  amountFen: number;
  status: 'created' | 'succeeded' | 'failed';
  payUrl: string;
  failureReason: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface PaymentOrder {
  orderNo: string;
  kind: 'recharge' | 'withdrawal' | 'offline_recharge';
  amountFen: number;
  feeFen: number;
  status: string;
  failureReason: string | null;
  payUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

const POLL_MS = 1_000;
const POLL_TRIES_MAX = 60;
const STATUS_COLOR: Record<string, string> = { created: 'processing', succeeded: 'success', failed: 'error' };

/** A recharge order just paid on the custodian's page: wait for the custodian's word, then show it. */
function RechargeResult(props: { orderNo: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [tries, setTries] = useState(0);
  const order = useQuery({
    queryKey: ['recharge', props.orderNo],
    queryFn: () => api<Recharge>(`/api/v1/me/recharges/${encodeURIComponent(props.orderNo)}`),
    refetchInterval: (q) => (q.state.data?.status === 'created' && tries < POLL_TRIES_MAX ? POLL_MS : false),
  });
  useEffect(() => {
    if (order.data?.status === 'created') setTries((n) => n + 1);
    if (order.data && order.data.status !== 'created') void client.invalidateQueries();
  }, [order.data, client]);
  if (order.isPending) return <Card loading />;
  if (order.isError) return <Alert type="error" showIcon title={order.error.message} />;
  const o = order.data;
  if (o.status === 'succeeded') {
    return (
      <Result
        status="success"
        title={t('payments.rechargeSucceeded', { amount: yuan(o.amountFen) })}
        subTitle={o.orderNo}
        data-testid="recharge-result"
      />
    );
  }
  if (o.status === 'failed') {
    return (
      <Result
        status="error"
        title={t('payments.rechargeFailed')}
        subTitle={`${o.orderNo} · ${o.failureReason ?? ''}`}
        data-testid="recharge-result"
      />
    );
  }
  return (
    <Result
      status="info"
      title={t('payments.rechargeWaiting')}
      subTitle={tries >= POLL_TRIES_MAX ? t('payments.rechargeStillWaiting') : o.orderNo}
      extra={<Button href={o.payUrl}>{t('payments.goPay')}</Button>}
      data-testid="recharge-result"
    />
  );
}

/** 充值: enter an amount, confirm, pay on the custodian's page, come back to the result. */
export function RechargePage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [params] = useSearchParams();
  const returnedOrder = params.get('orderNo');
  const [submitting, setSubmitting] = useState(false);
  const orders = useQuery({
    queryKey: ['my-payment-orders'],
    queryFn: () => api<{ items: PaymentOrder[] }>('/api/v1/me/payment-orders?limit=20'),
  });

  function submit(values: { amount: string }) {
    const amountFen = parseYuan(values.amount);
    modal.confirm({
      title: t('payments.confirmTitle'),
      content: t('payments.confirmText', { amount: yuan(amountFen) }),
      okText: t('payments.confirmOk'),
      cancelText: t('payments.cancel'),
      onOk: async () => {
        setSubmitting(true);
        try {
          const order = await api<Recharge>('/api/v1/me/recharges', {
            method: 'POST',
            body: { amountFen: Number(amountFen) },
            headers: { 'idempotency-key': crypto.randomUUID() },
          });
          window.location.assign(order.payUrl);
        } catch (e) {
          message.error(e instanceof Error ? e.message : t('common.networkError'));
        } finally {
          setSubmitting(false);
        }
      },
    });
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {returnedOrder ? <RechargeResult orderNo={returnedOrder} /> : null}
      <Card title={t('payments.rechargeTitle')}>
        <Typography.Paragraph type="secondary">{t('payments.rechargeLead')}</Typography.Paragraph>
        <Form layout="inline" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="amount"
            label={t('payments.amount')}
            rules={[
              { required: true, message: t('payments.amountRequired') },
              {
                validator: async (_r, value: string) => {
                  if (!value) return;
                  try {
                    if (parseYuan(value) <= 0n) throw new Error();
                  } catch {
                    throw new Error(t('payments.amountInvalid'));
                  }
                },
              },
            ]}
          >
            <Input
              suffix={t('payments.yuan')}
              placeholder="1,000.00"
              style={{ width: 200 }}
              data-testid="recharge-amount"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="recharge-submit">
            {t('payments.rechargeSubmit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('payments.limits', { min: '1.00', max: '500,000.00', daily: '1,000,000.00' })}
        </Typography.Paragraph>
      </Card>
      <Card title={t('payments.ordersTitle')}>
        <Table<PaymentOrder>
          rowKey="orderNo"
          size="middle"
          loading={orders.isPending}
          dataSource={orders.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('payments.ordersEmpty') }}
          columns={[
            { title: t('payments.orderNo'), dataIndex: 'orderNo' },
            { title: t('payments.kind'), dataIndex: 'kind', render: (k: string) => t(`payments.kinds.${k}`) },
            { title: t('payments.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuan(v) },
            {
              title: t('payments.status'),
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={STATUS_COLOR[s] ?? 'default'}>{t(`payments.statuses.${s}`, { defaultValue: s })}</Tag>
              ),
            },
            { title: t('payments.createdAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
            {
              title: '',
              dataIndex: 'payUrl',
              render: (url: string | null) =>
                url ? (
                  <Button size="small" href={url}>
                    {t('payments.goPay')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
