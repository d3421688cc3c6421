import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import { JsonBlock } from '../components/JsonDiff.tsx';
import { ReasonModal } from '../components/ReasonModal.tsx';
import { useCursorList } from '../use-admin.ts';

type Status = 'pending' | 'approved' | 'rejected' | 'cancelled';

interface StaffRef {
  id: string;
  username: string;
  displayName: string;
}

export interface Approval {
  id: string;
  kind: string;
  kindName: string;
  targetKind: string | null;
  targetId: string | null;
  payload: unknown;
  note: string;
  status: Status;
  maker: StaffRef;
  checker: StaffRef | null;
  decidedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
  canDecide: boolean;
  canCancel: boolean;
}

const STATUS_COLOR: Record<Status, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  cancelled: 'default',
};

/** 复核队列: requests made by one staff member that another must approve (maker-checker). */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<Status | 'all'>('pending');
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' } | undefined>();
  const list = useCursorList<Approval>(['admin-approvals'], '/api/v1/admin/approvals', {
    status: status === 'all' ? undefined : status,
  });

  async function act(approval: Approval, path: string, body: object, done: string): Promise<boolean> {
    try {
      await api(`/api/v1/admin/approvals/${encodeURIComponent(approval.id)}/${path}`, { method: 'POST', body });
      message.success(done);
      setDeciding(undefined);
      await client.invalidateQueries({ queryKey: ['admin-approvals'] });
      await client.invalidateQueries({ queryKey: ['admin-workbench'] });
      await client.invalidateQueries({ queryKey: ['admin-member'] });
      return true;
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  return (
    <Card title={t('backoffice.approvals.title')}>
      <Alert type="info" showIcon title={t('backoffice.approvals.lead')} style={{ marginBottom: 16 }} />
      <Segmented<Status | 'all'>
        style={{ marginBottom: 16 }}
        value={status}
        onChange={setStatus}
        options={[
          ...(['pending', 'approved', 'rejected', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`backoffice.approvals.statusName.${s}`),
          })),
          { value: 'all' as const, label: t('backoffice.common.all') },
        ]}
      />
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<Approval>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        locale={{ emptyText: t('backoffice.approvals.empty') }}
        expandable={{ expandedRowRender: (r) => <JsonBlock value={r.payload} /> }}
        data-testid="approvals-table"
        columns={[
          { title: t('backoffice.common.createdAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          { title: t('backoffice.approvals.kind'), dataIndex: 'kindName' },
          {
            title: t('backoffice.approvals.target'),
            key: 'target',
            render: (_: unknown, r) =>
              r.targetId ? (
                <Typography.Text copyable={{ text: r.targetId }}>{r.targetId.slice(0, 14)}…</Typography.Text>
              ) : (
                '—'
              ),
          },
          { title: t('backoffice.approvals.note'), dataIndex: 'note' },
          {
            title: t('backoffice.approvals.maker'),
            key: 'maker',
            render: (_: unknown, r) => (
              <Space size={4}>
                {r.maker.displayName}
                {r.canCancel ? <Tag>{t('backoffice.approvals.yours')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t('backoffice.common.status'),
            dataIndex: 'status',
            render: (v: Status, r) => (
              <Space orientation="vertical" size={0}>
                <Tag color={STATUS_COLOR[v]}>{t(`backoffice.approvals.statusName.${v}`)}</Tag>
                {r.checker ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.checker.displayName}
                    {r.decidedAt ? ` · ${shanghaiTime(r.decidedAt)}` : ''}
                  </Typography.Text>
                ) : null}
                {r.decisionReason ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.decisionReason}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('backoffice.common.actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space>
                {r.canDecide ? (
                  <>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setDeciding({ approval: r, decision: 'approve' })}
                      data-testid="approval-approve"
                    >
                      {t('backoffice.approvals.approve')}
                    </Button>
                    <Button size="small" danger onClick={() => setDeciding({ approval: r, decision: 'reject' })}>
                      {t('backoffice.approvals.reject')}
                    </Button>
                  </>
                ) : null}
                {r.canCancel ? (
                  <Popconfirm
                    title={t('backoffice.approvals.cancelConfirm')}
                    okText={t('backoffice.common.confirm')}
                    cancelText={t('backoffice.common.cancel')}
                    onConfirm={() => act(r, 'cancellation', {}, t('backoffice.approvals.cancelled'))}
                  >
                    <Button size="small">{t('backoffice.approvals.cancel')}</Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {list.hasNextPage ? (
        <Button block style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('backoffice.common.more')}
        </Button>
      ) : null}
      <ReasonModal
        open={deciding?.decision === 'approve'}
        title={`${t('backoffice.approvals.approveTitle')}：${deciding?.approval.kindName ?? ''}`}
        warning={t('backoffice.approvals.approveWarning')}
        okText={t('backoffice.approvals.approve')}
        optional
        label={t('backoffice.approvals.optionalReason')}
        onCancel={() => setDeciding(undefined)}
        onSubmit={(reason) =>
          deciding
            ? act(
                deciding.approval,
                'decision',
                { decision: 'approve', ...(reason ? { reason } : {}) },
                t('backoffice.approvals.approved'),
              )
            : Promise.resolve(false)
        }
      />
      <ReasonModal
        open={deciding?.decision === 'reject'}
        title={`${t('backoffice.approvals.rejectTitle')}：${deciding?.approval.kindName ?? ''}`}
        okText={t('backoffice.approvals.reject')}
        danger
        onCancel={() => setDeciding(undefined)}
        onSubmit={(reason) =>
          deciding
            ? act(deciding.approval, 'decision', { decision: 'reject', reason }, t('backoffice.approvals.rejected'))
            : Promise.resolve(false)
        }
      />
    </Card>
  );
}
