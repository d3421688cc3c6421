import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../src/modules/money/index.ts';
import { WITHDRAW_REVIEW_THRESHOLD_FEN } from '../../../../src/modules/payments/withdrawal.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { WITHDRAWAL_STATUS_COLOR, type Withdrawal, type WithdrawalStatus } from '../../site/account/WithdrawPage.tsx';
import { useStaffMe } from '../staff-session.ts';

interface AdminWithdrawal extends Withdrawal {
  customerId: string;
  customerPhoneMasked?: string;
  review: { staffId: string; decision: 'approve' | 'reject'; reason: string | null; at: string } | null;
}

const FILTERS: readonly (WithdrawalStatus | 'all')[] = [
  'pending_review',
  'processing',
  'succeeded',
  'failed',
  'rejected',
  'all',
];
const PAGE_SIZE = 50;

/**
 * 提现审核: withdrawals above the review threshold wait here; approving sends the payout to the custodian,
 * rejecting (with a reason the customer sees) releases the frozen money. Both are confirmed first and audited.
 * Staff with payments.read see the list; deciding needs payments.review.
 */
export function WithdrawalReviewPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const me = useStaffMe().data;
  const canReview = me?.permissions.includes('payments.review') ?? false;
  const [status, setStatus] = useState<WithdrawalStatus | 'all'>('pending_review');
  const [rejecting, setRejecting] = useState<AdminWithdrawal | undefined>();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState<string | undefined>();
  const query = useInfiniteQuery({
    queryKey: ['admin-withdrawals', status],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ items: AdminWithdrawal[]; nextCursor: string | null }>(
        `/api/v1/admin/withdrawals?limit=${PAGE_SIZE}${status === 'all' ? '' : `&status=${status}`}${
          pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''
        }`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  async function decide(w: AdminWithdrawal, decision: 'approve' | 'reject', why?: string) {
    setSaving(w.orderNo);
    try {
      await api(`/api/v1/admin/withdrawals/${encodeURIComponent(w.orderNo)}/review`, {
        method: 'POST',
        body: { decision, ...(why ? { reason: why } : {}) },
      });
      message.success(t(decision === 'approve' ? 'withdraw.admin.approved' : 'withdraw.admin.rejected'));
      setRejecting(undefined);
      setReason('');
      await client.invalidateQueries({ queryKey: ['admin-withdrawals'] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSaving(undefined);
    }
  }

  function confirmApprove(w: AdminWithdrawal) {
    modal.confirm({
      title: t('withdraw.admin.approveTitle'),
      content: t('withdraw.admin.approveText', {
        amount: yuan(w.amountFen),
        card: w.bankCard ? `${w.bankCard.bankName} ${w.bankCard.cardNumberMasked}` : '—',
      }),
      okText: t('withdraw.admin.approve'),
      cancelText: t('withdraw.cancel'),
      onOk: () => decide(w, 'approve'),
    });
  }

  return (
    <Card title={t('withdraw.admin.title')}>
      <Typography.Paragraph type="secondary">
        {t('withdraw.admin.lead', { threshold: formatYuan(WITHDRAW_REVIEW_THRESHOLD_FEN) })}
      </Typography.Paragraph>
      <Segmented<WithdrawalStatus | 'all'>
        style={{ marginBottom: 16 }}
        value={status}
        onChange={setStatus}
        options={FILTERS.map((f) => ({
          value: f,
          label: f === 'all' ? t('withdraw.admin.all') : t(`payments.statuses.${f}`),
        }))}
      />
      {query.isError ? <Alert type="error" showIcon title={query.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<AdminWithdrawal>
        rowKey="orderNo"
        size="middle"
        loading={query.isPending || (query.isFetching && !query.isFetchingNextPage)}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('withdraw.admin.empty') }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('payments.orderNo'),
            key: 'orderNo',
            render: (_: unknown, w) => (
              <>
                <div style={{ fontVariantNumeric: 'tabular-nums' }}>{w.orderNo}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {shanghaiTime(w.createdAt)}
                </Typography.Text>
              </>
            ),
          },
          {
            title: t('withdraw.admin.customer'),
            key: 'customer',
            width: 150,
            render: (_: unknown, w) => (
              <>
                <div>{w.customerPhoneMasked}</div>
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 12, maxWidth: 130 }}
                  ellipsis={{ tooltip: w.customerId }}
                  copyable={{ text: w.customerId }}
                >
                  {w.customerId}
                </Typography.Text>
              </>
            ),
          },
          {
            title: t('withdraw.card'),
            key: 'card',
            render: (_: unknown, w) =>
              w.bankCard ? (
                <>
                  <div>{w.bankCard.bankName}</div>
                  <div style={{ fontVariantNumeric: 'tabular-nums' }}>{w.bankCard.cardNumberMasked}</div>
                </>
              ) : (
                '—'
              ),
          },
          {
            title: t('withdraw.amountShort'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(v)}</span>,
          },
          { title: t('withdraw.fee'), dataIndex: 'feeFen', align: 'right', render: (v: number) => yuan(v) },
          {
            title: t('payments.status'),
            key: 'status',
            render: (_: unknown, w) => (
              <Space orientation="vertical" size={0}>
                <Tag color={WITHDRAWAL_STATUS_COLOR[w.status]}>{t(`payments.statuses.${w.status}`)}</Tag>
                {w.failureReason ? <Typography.Text type="secondary">{w.failureReason}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: t('withdraw.admin.actions'),
            key: 'actions',
            render: (_: unknown, w) =>
              w.status === 'pending_review' && canReview ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    loading={saving === w.orderNo}
                    onClick={() => confirmApprove(w)}
                    data-testid={`approve-${w.orderNo}`}
                  >
                    {t('withdraw.admin.approve')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    disabled={saving === w.orderNo}
                    onClick={() => setRejecting(w)}
                    data-testid={`reject-${w.orderNo}`}
                  >
                    {t('withdraw.admin.reject')}
                  </Button>
                </Space>
              ) : w.review ? (
                <Typography.Text type="secondary">
                  {t(w.review.decision === 'approve' ? 'withdraw.admin.approvedAt' : 'withdraw.admin.rejectedAt', {
                    at: shanghaiTime(w.review.at),
                  })}
                </Typography.Text>
              ) : null,
          },
        ]}
      />
      {query.hasNextPage ? (
        <Button
          block
          style={{ marginTop: 12 }}
          onClick={() => query.fetchNextPage()}
          loading={query.isFetchingNextPage}
        >
          {t('withdraw.admin.more')}
        </Button>
      ) : null}
      <Modal
        open={rejecting !== undefined}
        title={t('withdraw.admin.rejectTitle')}
        onCancel={() => setRejecting(undefined)}
        okText={t('withdraw.admin.reject')}
        cancelText={t('withdraw.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        confirmLoading={saving !== undefined}
        onOk={() => rejecting && decide(rejecting, 'reject', reason.trim())}
        destroyOnHidden
      >
        {rejecting ? (
          <Typography.Paragraph>
            {t('withdraw.admin.rejectText', { orderNo: rejecting.orderNo, amount: yuan(rejecting.amountFen) })}
          </Typography.Paragraph>
        ) : null}
        <Form layout="vertical">
          <Form.Item
            label={t('withdraw.admin.reason')}
            required
            help={reason.trim() ? undefined : t('withdraw.admin.reasonRequired')}
          >
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={200}
              showCount
              rows={3}
              data-testid="reject-reason"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
