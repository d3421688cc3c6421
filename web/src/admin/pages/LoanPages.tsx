import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import {
  LoanStatusTag,
  ratePercent,
  type ScheduleJsonBody,
  scheduleFromJson,
  TermText,
} from '../../site/invest/loan-shared.tsx';
import { ScheduleTable } from '../../site/tools/ScheduleTable.tsx';

interface AdminProduct {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  loanType: string;
  methods: string[];
  amountMinFen: number;
  amountMaxFen: number;
  termUnit: string;
  termMin: number;
  termMax: number;
  rateMin: string;
  rateMax: string;
  bidMinFen: number;
  raiseDays: number;
  riskLevels: string[];
  publishTwoPersonAboveFen: number | null;
  status: string;
}

/** 借款产品: every product with its ranges (created and changed through the API: POST/PUT /api/v1/admin/loan-products). */
export function LoanProductsPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['admin-loan-products'],
    queryFn: () => api<{ items: AdminProduct[] }>('/api/v1/admin/loan-products'),
  });
  if (q.isError) return <Alert type="error" showIcon title={q.error.message} />;
  return (
    <Table<AdminProduct>
      rowKey="id"
      title={() => <Typography.Title level={4}>{t('market.admin.products')}</Typography.Title>}
      loading={q.isPending}
      dataSource={q.data?.items ?? []}
      pagination={false}
      scroll={{ x: 1000 }}
      data-testid="loan-products"
      columns={[
        { title: t('market.admin.code'), dataIndex: 'code' },
        { title: t('market.admin.nameZh'), render: (_, p) => `${p.nameZh} / ${p.nameEn}` },
        { title: t('market.hall.type'), render: (_, p) => t(`market.type.${p.loanType}` as 'market.type.credit') },
        { title: t('market.admin.amountRange'), render: (_, p) => `${yuan(p.amountMinFen)} – ${yuan(p.amountMaxFen)}` },
        {
          title: t('market.admin.termRange'),
          render: (_, p) =>
            `${p.termMin} – ${p.termMax} ${p.termUnit === 'day' ? t('market.admin.day') : t('market.admin.month')}`,
        },
        {
          title: t('market.admin.rateRange'),
          render: (_, p) => `${ratePercent(p.rateMin)} – ${ratePercent(p.rateMax)}`,
        },
        {
          title: t('market.hall.method'),
          render: (_, p) => p.methods.map((m) => t(`market.method.${m}` as 'market.method.daily')).join('、'),
        },
        { title: t('market.admin.raiseDays'), dataIndex: 'raiseDays' },
        {
          title: t('market.admin.twoPersonAbove'),
          render: (_, p) => (p.publishTwoPersonAboveFen === null ? '—' : yuan(p.publishTwoPersonAboveFen)),
        },
        {
          title: t('market.admin.status'),
          render: (_, p) => (
            <Tag color={p.status === 'active' ? 'green' : 'default'}>
              {t(`market.admin.${p.status}` as 'market.admin.active')}
            </Tag>
          ),
        },
      ]}
    />
  );
}

interface QueueItem {
  id: string;
  loanNo: string;
  title: string;
  productNameZh: string;
  amountFen: number;
  annualRate: string;
  method: string;
  termMonths: number | null;
  termDays: number | null;
  status: string;
  borrowerName: string | null;
  borrowerPhone: string;
  updatedAt: string;
}

interface ReviewDetail {
  application: QueueItem & { purpose: string; reviewNote: string | null; grade: string | null };
  borrower: { nameMasked: string | null; phoneMasked: string; riskLevel: string | null; idNumberMasked: string | null };
  documents: { id: string; kind: string; status: string }[];
  history: { status: string; count: number; amountFen: number }[];
  events: { at: string; fromStatus: string | null; toStatus: string; note: string | null }[];
  schedule: ScheduleJsonBody;
  pendingApprovalId: string | null;
}

function ReviewDrawer(props: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form] = Form.useForm<{ decision: string; grade?: string; note?: string; publishAt?: string }>();
  const d = useQuery({
    queryKey: ['admin-loan-application', props.id],
    queryFn: () => api<ReviewDetail>(`/api/v1/admin/loan-applications/${encodeURIComponent(props.id)}`),
  });
  const decide = useMutation({
    mutationFn: (v: { decision: string; grade?: string; note?: string }) =>
      api<{ status: string; approvalId: string | null }>(
        `/api/v1/admin/loan-applications/${encodeURIComponent(props.id)}/first-review`,
        {
          method: 'POST',
          body: { decision: v.decision, ...(v.grade ? { grade: v.grade } : {}), ...(v.note ? { note: v.note } : {}) },
        },
      ),
    onSuccess: () => void client.invalidateQueries(),
  });
  const a = d.data?.application;
  return (
    <Drawer open width={760} onClose={props.onClose} title={a?.title ?? ''} data-testid="review-drawer">
      {d.isError && <Alert type="error" showIcon title={d.error.message} />}
      {d.data && a && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('market.admin.borrower')}>
              {d.data.borrower.nameMasked ?? '—'} {d.data.borrower.phoneMasked}
            </Descriptions.Item>
            <Descriptions.Item label="ID">{d.data.borrower.idNumberMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('market.hall.amount')}>{yuan(a.amountFen)}</Descriptions.Item>
            <Descriptions.Item label={t('market.hall.rate')}>{ratePercent(a.annualRate)}</Descriptions.Item>
            <Descriptions.Item label={t('market.hall.term')}>
              <TermText termMonths={a.termMonths} termDays={a.termDays} />
            </Descriptions.Item>
            <Descriptions.Item label={t('market.hall.method')}>
              {t(`market.method.${a.method}` as 'market.method.daily')}
            </Descriptions.Item>
            <Descriptions.Item label={t('market.detail.purpose')} span={2}>
              {a.purpose}
            </Descriptions.Item>
            <Descriptions.Item label={t('market.detail.documents')} span={2}>
              {d.data.documents
                .map((x) => `${t(`documents.kinds.${x.kind}` as 'documents.kinds.other')}(${x.status})`)
                .join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('market.admin.history')} span={2}>
              {d.data.history
                .map((h) => `${t(`market.status.${h.status}` as 'market.status.raising')} ×${h.count}`)
                .join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('market.admin.events')} span={2}>
              {d.data.events
                .map(
                  (e) =>
                    `${shanghaiTime(e.at)} → ${t(`market.status.${e.toStatus}` as 'market.status.raising')}${e.note ? ` (${e.note})` : ''}`,
                )
                .join('；')}
            </Descriptions.Item>
          </Descriptions>
          <ScheduleTable schedule={scheduleFromJson(d.data.schedule)} />
          {(a.status === 'repaying' || a.status === 'finished') && (
            <a
              href={`/api/v1/admin/loans/${encodeURIComponent(a.id)}/contract.pdf`}
              download
              data-testid="admin-contract-link"
            >
              {t('bidding.contract.download')}
            </a>
          )}
          {d.data.pendingApprovalId && <Alert type="warning" showIcon title={t('market.admin.pendingApproval')} />}
          {decide.isError && <Alert type="error" showIcon title={decide.error.message} />}
          {decide.data && (
            <Alert
              type="success"
              showIcon
              title={t('market.admin.decided', {
                status: t(`market.status.${decide.data.status}` as 'market.status.raising'),
              })}
              data-testid="review-result"
            />
          )}
          {a.status === 'submitted' && !decide.data && (
            <Form
              form={form}
              layout="vertical"
              initialValues={{ decision: 'approve' }}
              onFinish={(v) => decide.mutate(v)}
            >
              <Form.Item name="decision" label={t('market.admin.decide')}>
                <Select
                  data-testid="review-decision"
                  options={['approve', 'return', 'reject'].map((x) => ({
                    value: x,
                    label: t(`market.admin.${x}` as 'market.admin.approve'),
                  }))}
                />
              </Form.Item>
              <Form.Item name="grade" label={t('market.admin.grade')}>
                <Select
                  data-testid="review-grade"
                  allowClear
                  options={['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: g }))}
                />
              </Form.Item>
              <Form.Item name="note" label={t('market.admin.note')}>
                <Input.TextArea maxLength={500} rows={2} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={decide.isPending} data-testid="review-submit">
                {t('market.admin.decide')}
              </Button>
            </Form>
          )}
        </Space>
      )}
    </Drawer>
  );
}

/** 借款初审: the queue and the decision drawer. */
export function LoanReviewPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('submitted');
  const [open, setOpen] = useState<string>();
  const q = useQuery({
    queryKey: ['admin-loan-applications', status],
    queryFn: () => api<{ items: QueueItem[] }>(`/api/v1/admin/loan-applications?status=${status}&limit=100`),
  });
  return (
    <>
      <Table<QueueItem>
        rowKey="id"
        data-testid="review-queue"
        title={() => (
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('market.admin.review')}
            </Typography.Title>
            <Select
              value={status}
              style={{ width: 140 }}
              onChange={setStatus}
              options={['submitted', 'returned', 'scheduled', 'raising', 'rejected'].map((s) => ({
                value: s,
                label: t(`market.status.${s}` as 'market.status.raising'),
              }))}
            />
          </Space>
        )}
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('market.borrow.titleField'),
            render: (_, a) => (
              <>
                {a.title}
                <br />
                <Typography.Text type="secondary">{a.loanNo}</Typography.Text>
              </>
            ),
          },
          { title: t('market.admin.borrower'), render: (_, a) => `${a.borrowerName ?? ''} ${a.borrowerPhone}` },
          { title: t('market.hall.amount'), render: (_, a) => yuan(a.amountFen) },
          { title: t('market.hall.rate'), render: (_, a) => ratePercent(a.annualRate) },
          {
            title: t('market.hall.term'),
            render: (_, a) => <TermText termMonths={a.termMonths} termDays={a.termDays} />,
          },
          { title: t('market.admin.status'), render: (_, a) => <LoanStatusTag status={a.status} /> },
          {
            title: '',
            render: (_, a) => (
              <Button size="small" onClick={() => setOpen(a.id)}>
                {t('market.admin.decide')}
              </Button>
            ),
          },
        ]}
      />
      {open && <ReviewDrawer id={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
