import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import { type BankCard, CARD_STATUS_COLORS, type CardStatus } from '../../site/account/BankCardsPage.tsx';

interface ReviewCard extends BankCard {
  customerId: string;
  customerPhoneMasked: string;
  holderNameMasked: string | null;
}

type Decision = 'approve' | 'reject' | 'confirm_binding' | 'fail_binding';
const NEEDS_REASON: ReadonlySet<Decision> = new Set(['reject', 'fail_binding']);
const FILTERS: readonly (CardStatus | 'all')[] = [
  'pending_review',
  'pending_binding',
  'binding_failed',
  'bound',
  'rejected',
  'all',
];
const PAGE_SIZE = 50;

/**
 * 银行卡审核 (permission cards.review): the queue oldest first; approve or reject a new card, then record the
 * bank's binding result (until the custodian gateway reports it). Every decision is audited by the API.
 */
export function BankCardReviewPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<CardStatus | 'all'>('pending_review');
  const [pending, setPending] = useState<{ card: ReviewCard; decision: Decision } | undefined>();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const query = useInfiniteQuery({
    queryKey: ['admin-bank-cards', status, i18n.language],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ items: ReviewCard[]; nextCursor: string | null }>(
        `/api/v1/admin/bank-cards?limit=${PAGE_SIZE}${status === 'all' ? '' : `&status=${status}`}${
          pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''
        }`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const cards = query.data?.pages.flatMap((p) => p.items) ?? [];

  async function decide(card: ReviewCard, decision: Decision, why?: string) {
    setSaving(true);
    try {
      await api(`/api/v1/admin/bank-cards/${encodeURIComponent(card.id)}/review`, {
        method: 'POST',
        body: { decision, ...(why ? { reason: why } : {}) },
      });
      message.success(t('customer.cardReview.done'));
      setPending(undefined);
      setReason('');
      await client.invalidateQueries({ queryKey: ['admin-bank-cards'] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSaving(false);
    }
  }

  const label: Record<Decision, string> = {
    approve: t('customer.cardReview.approve'),
    reject: t('customer.cardReview.reject'),
    confirm_binding: t('customer.cardReview.confirmBinding'),
    fail_binding: t('customer.cardReview.failBinding'),
  };
  const actionsFor = (card: ReviewCard): Decision[] =>
    card.status === 'pending_review'
      ? ['approve', 'reject']
      : card.status === 'pending_binding' || card.status === 'binding_failed'
        ? ['confirm_binding', 'fail_binding']
        : [];

  return (
    <Card title={t('customer.cardReview.title')}>
      <Segmented<CardStatus | 'all'>
        style={{ marginBottom: 16 }}
        value={status}
        onChange={setStatus}
        options={FILTERS.map((f) => ({
          value: f,
          label: f === 'all' ? t('customer.cardReview.all') : t(`customer.cardStatus.${f}`),
        }))}
      />
      {query.isError ? <Alert type="error" showIcon title={query.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<ReviewCard>
        rowKey="id"
        size="middle"
        loading={query.isPending || (query.isFetching && !query.isFetchingNextPage)}
        dataSource={cards}
        pagination={false}
        locale={{ emptyText: t('customer.cardReview.empty') }}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('customer.cardReview.customer'),
            key: 'customer',
            render: (_: unknown, c) => (
              <>
                <div>{c.customerPhoneMasked}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable>
                  {c.customerId}
                </Typography.Text>
              </>
            ),
          },
          { title: t('customer.cardReview.holder'), dataIndex: 'holderNameMasked' },
          {
            title: t('customer.cardReview.card'),
            key: 'card',
            render: (_: unknown, c) => (
              <>
                <div>{c.bankName}</div>
                <div style={{ fontVariantNumeric: 'tabular-nums' }}>{c.cardNumberMasked}</div>
              </>
            ),
          },
          {
            title: t('customer.cardReview.status'),
            key: 'status',
            render: (_: unknown, c) => (
              <>
                <Tag color={CARD_STATUS_COLORS[c.status]}>{c.statusName}</Tag>
                {c.statusReason ? <Typography.Text type="secondary">{c.statusReason}</Typography.Text> : null}
              </>
            ),
          },
          {
            title: t('customer.cardReview.submittedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => shanghaiTime(v),
          },
          {
            title: t('customer.cardReview.actions'),
            key: 'actions',
            render: (_: unknown, c) => (
              <Space>
                {actionsFor(c).map((d) => (
                  <Button
                    key={d}
                    size="small"
                    type={NEEDS_REASON.has(d) ? 'default' : 'primary'}
                    danger={NEEDS_REASON.has(d)}
                    loading={saving && pending?.card.id === c.id && pending.decision === d}
                    onClick={() => (NEEDS_REASON.has(d) ? setPending({ card: c, decision: d }) : decide(c, d))}
                  >
                    {label[d]}
                  </Button>
                ))}
              </Space>
            ),
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
          {t('customer.cardReview.more')}
        </Button>
      ) : null}
      <Modal
        open={pending !== undefined}
        title={pending ? label[pending.decision] : ''}
        onCancel={() => setPending(undefined)}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        confirmLoading={saving}
        onOk={() => pending && decide(pending.card, pending.decision, reason.trim())}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item
            label={t('customer.cardReview.reason')}
            required
            help={reason.trim() ? undefined : t('customer.cardReview.reasonRequired')}
          >
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={200}
              showCount
              rows={3}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
