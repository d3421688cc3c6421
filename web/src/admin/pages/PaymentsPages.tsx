import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseYuan } from '../../../../src/modules/money/index.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';

interface AdminOrder {
  orderNo: string;
  kind: string;
  customerId: string;
  amountFen: number;
  feeFen: number;
  status: string;
  failureReason: string | null;
  createdAt: string;
  completedAt: string | null;
}

const STATUS_COLOR: Record<string, string> = {
  created: 'processing',
  processing: 'processing',
  pending_review: 'warning',
  pending_approval: 'warning',
  succeeded: 'success',
  failed: 'error',
  rejected: 'error',
};

/** 充值提现订单: every order with its status. */
export function PaymentOrdersPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | undefined>();
  const [customerId, setCustomerId] = useState<string | undefined>();
  const params = new URLSearchParams({ limit: '100' });
  if (kind) params.set('kind', kind);
  if (customerId) params.set('customerId', customerId);
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  function askCustodian(orderNo: string) {
    modal.confirm({
      title: t('admin.paymentsAdmin.askCustodianConfirm', { orderNo }),
      content: t('admin.paymentsAdmin.askCustodianText'),
      onOk: async () => {
        try {
          const r = await api<{ custodianStatus: string; outcome: string }>(
            `/api/v1/admin/payment-orders/${encodeURIComponent(orderNo)}/custodian-check`,
            { method: 'POST' },
          );
          message.info(t('admin.paymentsAdmin.askCustodianResult', { status: r.custodianStatus, outcome: r.outcome }));
          void client.invalidateQueries({ queryKey: ['admin-payment-orders'] });
        } catch (e) {
          message.error(e instanceof Error ? e.message : t('common.networkError'));
        }
      },
    });
  }
  const orders = useQuery({
    queryKey: ['admin-payment-orders', kind, customerId],
    queryFn: () => api<{ items: AdminOrder[] }>(`/api/v1/admin/payment-orders?${params}`),
  });
  return (
    <Card
      title={t('admin.financeMenu.paymentOrders')}
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('payments.kind')}
            style={{ width: 160 }}
            onChange={setKind}
            options={['recharge', 'withdrawal', 'offline_recharge'].map((k) => ({
              value: k,
              label: t(`payments.kinds.${k}`),
            }))}
          />
          <Input.Search
            allowClear
            placeholder={t('admin.statements.customerId')}
            onSearch={(v) => setCustomerId(v.trim() || undefined)}
          />
        </Space>
      }
    >
      {orders.isError ? <Alert type="error" showIcon title={orders.error.message} /> : null}
      <Table<AdminOrder>
        rowKey="orderNo"
        size="middle"
        loading={orders.isPending}
        dataSource={orders.data?.items ?? []}
        locale={{ emptyText: t('payments.ordersEmpty') }}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('payments.orderNo'), dataIndex: 'orderNo' },
          { title: t('payments.kind'), dataIndex: 'kind', render: (k: string) => t(`payments.kinds.${k}`) },
          { title: t('admin.statements.customerId'), dataIndex: 'customerId', ellipsis: true },
          { title: t('payments.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuan(v) },
          {
            title: t('payments.status'),
            dataIndex: 'status',
            render: (s: string, r) => (
              <Space orientation="vertical" size={0}>
                <Tag color={STATUS_COLOR[s] ?? 'default'}>{t(`payments.statuses.${s}`, { defaultValue: s })}</Tag>
                {r.failureReason ? <Typography.Text type="secondary">{r.failureReason}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t('payments.createdAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          {
            title: '',
            render: (_v, r) =>
              (r.kind === 'recharge' && r.status === 'created') ||
              (r.kind === 'withdrawal' && r.status === 'processing') ? (
                <Button size="small" onClick={() => askCustodian(r.orderNo)}>
                  {t('admin.paymentsAdmin.askCustodian')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

interface CallbackRow {
  id: string;
  receivedAt: string;
  orderNo: string | null;
  event: string | null;
  outcome: string;
  detail: string | null;
  rawBody: string;
}

const OUTCOMES = [
  'applied',
  'duplicate',
  'rejected_signature',
  'rejected_stale',
  'rejected_malformed',
  'rejected_unknown_order',
  'rejected_amount',
  'rejected_conflict',
];

/** 存管回调记录: every callback, including refused ones, with the reason. */
export function CustodianCallbacksPage() {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<string | undefined>();
  const rows = useQuery({
    queryKey: ['admin-callbacks', outcome],
    queryFn: () =>
      api<{ items: CallbackRow[] }>(
        `/api/v1/admin/custodian-callbacks?limit=100${outcome ? `&outcome=${outcome}` : ''}`,
      ),
  });
  return (
    <Card
      title={t('admin.financeMenu.callbacks')}
      extra={
        <Select
          allowClear
          placeholder={t('admin.paymentsAdmin.outcome')}
          style={{ width: 220 }}
          onChange={setOutcome}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`admin.paymentsAdmin.outcomes.${o}`) }))}
        />
      }
    >
      <Table<CallbackRow>
        rowKey="id"
        size="middle"
        loading={rows.isPending}
        dataSource={rows.data?.items ?? []}
        locale={{ emptyText: t('admin.paymentsAdmin.noCallbacks') }}
        pagination={{ pageSize: 20 }}
        expandable={{ expandedRowRender: (r) => <Typography.Text code>{r.rawBody}</Typography.Text> }}
        columns={[
          {
            title: t('admin.paymentsAdmin.receivedAt'),
            dataIndex: 'receivedAt',
            render: (v: string) => shanghaiTime(v),
          },
          { title: t('payments.orderNo'), dataIndex: 'orderNo' },
          { title: t('admin.paymentsAdmin.event'), dataIndex: 'event' },
          {
            title: t('admin.paymentsAdmin.outcome'),
            dataIndex: 'outcome',
            render: (o: string) => (
              <Tag color={o === 'applied' ? 'success' : o === 'duplicate' ? 'default' : 'error'}>
                {t(`admin.paymentsAdmin.outcomes.${o}`)}
              </Tag>
            ),
          },
          { title: t('admin.paymentsAdmin.detail'), dataIndex: 'detail' },
        ]}
      />
    </Card>
  );
}

interface Run {
  id: string;
  businessDate: string;
  status: string;
  matched: number;
  differences: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

interface Item {
  id: string;
  orderNo: string;
  category: string;
  ours: unknown;
  theirs: unknown;
  resolutionNote: string | null;
  resolvedAt: string | null;
}

/** 对账: run reconciliation for a date, see the differences, record how each was resolved. */
export function ReconciliationPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [date, setDate] = useState<string | undefined>();
  const [openRun, setOpenRun] = useState<Run | undefined>();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const runs = useQuery({
    queryKey: ['reconciliation-runs'],
    queryFn: () => api<{ items: Run[] }>('/api/v1/admin/reconciliation/runs'),
  });
  const items = useQuery({
    queryKey: ['reconciliation-items', openRun?.id],
    enabled: Boolean(openRun),
    queryFn: () => api<{ items: Item[] }>(`/api/v1/admin/reconciliation/runs/${openRun?.id}/items`),
  });
  const run = useMutation({
    mutationFn: () => api<Run>('/api/v1/admin/reconciliation/runs', { method: 'POST', body: date ? { date } : {} }),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['reconciliation-runs'] });
      message.success(t('admin.paymentsAdmin.runDone', { matched: r.matched, differences: r.differences }));
    },
    onError: (e) => message.error(e.message),
  });
  const resolve = useMutation({
    mutationFn: (item: Item) =>
      api(`/api/v1/admin/reconciliation/items/${item.id}/resolution`, {
        method: 'POST',
        body: { note: notes[item.id] ?? '' },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['reconciliation-items'] }),
    onError: (e) => message.error(e.message),
  });
  return (
    <Card
      title={t('admin.financeMenu.reconciliation')}
      extra={
        <Space>
          <DatePicker
            onChange={(d: Dayjs | null) => setDate(d ? d.format('YYYY-MM-DD') : undefined)}
            placeholder={t('admin.trialBalance.now')}
          />
          <Button
            type="primary"
            loading={run.isPending}
            onClick={() =>
              modal.confirm({
                title: t('admin.paymentsAdmin.runConfirm', { date: date ?? t('admin.paymentsAdmin.today') }),
                onOk: () => run.mutateAsync(),
              })
            }
          >
            {t('admin.paymentsAdmin.run')}
          </Button>
        </Space>
      }
    >
      <Table<Run>
        rowKey="id"
        size="middle"
        loading={runs.isPending}
        dataSource={runs.data?.items ?? []}
        locale={{ emptyText: t('admin.paymentsAdmin.noRuns') }}
        onRow={(r) => ({ onClick: () => setOpenRun(r), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('admin.paymentsAdmin.businessDate'), dataIndex: 'businessDate' },
          { title: t('payments.status'), dataIndex: 'status' },
          { title: t('admin.paymentsAdmin.matched'), dataIndex: 'matched', align: 'right' },
          {
            title: t('admin.paymentsAdmin.differences'),
            dataIndex: 'differences',
            align: 'right',
            render: (n: number) => <Tag color={n === 0 ? 'success' : 'error'}>{n}</Tag>,
          },
          { title: t('admin.paymentsAdmin.startedAt'), dataIndex: 'startedAt', render: (v: string) => shanghaiTime(v) },
        ]}
      />
      <Drawer
        open={Boolean(openRun)}
        onClose={() => setOpenRun(undefined)}
        size="large"
        title={openRun?.businessDate}
        extra={
          openRun ? (
            <Button href={`/api/v1/admin/reconciliation/runs/${openRun.id}/report.xlsx`}>
              {t('admin.paymentsAdmin.downloadXlsx')}
            </Button>
          ) : null
        }
      >
        <Table<Item>
          rowKey="id"
          size="small"
          loading={items.isFetching}
          dataSource={items.data?.items ?? []}
          locale={{ emptyText: t('admin.paymentsAdmin.noDifferences') }}
          pagination={false}
          expandable={{
            expandedRowRender: (i) => (
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {JSON.stringify({ ours: i.ours, theirs: i.theirs }, null, 2)}
              </pre>
            ),
          }}
          columns={[
            { title: t('payments.orderNo'), dataIndex: 'orderNo' },
            {
              title: t('admin.paymentsAdmin.category'),
              dataIndex: 'category',
              render: (c: string) => t(`admin.paymentsAdmin.categories.${c}`),
            },
            {
              title: t('admin.paymentsAdmin.resolution'),
              render: (_v, i) =>
                i.resolvedAt ? (
                  i.resolutionNote
                ) : (
                  <Space.Compact>
                    <Input
                      placeholder={t('admin.paymentsAdmin.note')}
                      value={notes[i.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [i.id]: e.target.value })}
                    />
                    <Button onClick={() => resolve.mutate(i)} disabled={!notes[i.id]?.trim()}>
                      {t('admin.paymentsAdmin.resolve')}
                    </Button>
                  </Space.Compact>
                ),
            },
          ]}
        />
      </Drawer>
    </Card>
  );
}

interface OfflineOrder {
  orderNo: string;
  customerId: string;
  amountFen: number;
  status: string;
  bankReference: string;
  transferDate: string;
  createdAt: string;
}

interface OfflineForm {
  customerId: string;
  amount: string;
  bankReference: string;
  transferDate: Dayjs;
  note: string;
}

/** 线下充值: record a bank transfer; a second staff member approves it in the approvals queue. */
export function OfflineRechargePage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<OfflineForm>();
  const list = useQuery({
    queryKey: ['offline-recharges'],
    queryFn: () => api<{ items: OfflineOrder[] }>('/api/v1/admin/offline-recharges'),
  });
  function submit(values: OfflineForm) {
    const amountFen = parseYuan(values.amount);
    modal.confirm({
      title: t('admin.paymentsAdmin.offlineConfirm', { amount: yuan(amountFen), customer: values.customerId }),
      content: t('admin.paymentsAdmin.offlineConfirmText'),
      onOk: async () => {
        try {
          await api('/api/v1/admin/offline-recharges', {
            method: 'POST',
            headers: { 'idempotency-key': crypto.randomUUID() },
            body: {
              customerId: values.customerId.trim(),
              amountFen: Number(amountFen),
              bankReference: values.bankReference.trim(),
              transferDate: values.transferDate.format('YYYY-MM-DD'),
              note: values.note.trim(),
            },
          });
          message.success(t('admin.paymentsAdmin.offlineRecorded'));
          form.resetFields();
          void client.invalidateQueries({ queryKey: ['offline-recharges'] });
        } catch (e) {
          message.error(e instanceof Error ? e.message : t('common.networkError'));
        }
      },
    });
  }
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('admin.financeMenu.offlineRecharge')}>
        <Typography.Paragraph type="secondary">{t('admin.paymentsAdmin.offlineLead')}</Typography.Paragraph>
        <Form<OfflineForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          style={{ maxWidth: 520 }}
        >
          <Form.Item name="customerId" label={t('admin.statements.customerId')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="amount"
            label={t('payments.amount')}
            rules={[
              { required: true, message: t('payments.amountRequired') },
              {
                validator: async (_r, v: string) => {
                  if (!v) return;
                  try {
                    if (parseYuan(v) <= 0n) throw new Error();
                  } catch {
                    throw new Error(t('payments.amountInvalid'));
                  }
                },
              },
            ]}
          >
            <Input suffix={t('payments.yuan')} />
          </Form.Item>
          <Form.Item
            name="bankReference"
            label={t('admin.paymentsAdmin.bankReference')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{4,64}$/ }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="transferDate" label={t('admin.paymentsAdmin.transferDate')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="note" label={t('admin.paymentsAdmin.offlineNote')} rules={[{ required: true, max: 500 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('admin.paymentsAdmin.offlineSubmit')}
          </Button>
        </Form>
      </Card>
      <Card title={t('admin.paymentsAdmin.offlineList')}>
        <Table<OfflineOrder>
          rowKey="orderNo"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('payments.ordersEmpty') }}
          columns={[
            { title: t('payments.orderNo'), dataIndex: 'orderNo' },
            { title: t('admin.statements.customerId'), dataIndex: 'customerId', ellipsis: true },
            { title: t('payments.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => yuan(v) },
            { title: t('admin.paymentsAdmin.bankReference'), dataIndex: 'bankReference' },
            { title: t('admin.paymentsAdmin.transferDate'), dataIndex: 'transferDate' },
            {
              title: t('payments.status'),
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={STATUS_COLOR[s] ?? 'default'}>{t(`payments.statuses.${s}`, { defaultValue: s })}</Tag>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
