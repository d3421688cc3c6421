import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shanghaiTime } from '../../shared/format.ts';
import { MEMBER_STATUS_COLOR, MemberDrawer } from '../components/MemberDrawer.tsx';
import { useCursorList } from '../use-admin.ts';

export interface MemberRow {
  id: string;
  phoneMasked: string;
  kind: 'person' | 'company';
  status: 'active' | 'frozen' | 'closed';
  referralCode: string;
  points: number;
  createdAt: string;
}

/** 会员列表: find members by full phone, id or referral code; open one in a drawer. */
export function MembersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<{ q?: string; status?: string }>({});
  const [openId, setOpenId] = useState<string | undefined>();
  const list = useCursorList<MemberRow>(['admin-members'], '/api/v1/admin/members', filters);
  return (
    <Card title={t('backoffice.members.title')}>
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { q?: string; status?: string }) => setFilters({ q: v.q?.trim() || undefined, status: v.status })}
      >
        <Form.Item name="q" extra={t('backoffice.members.searchHint')}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('backoffice.members.searchPlaceholder')}
            style={{ width: 320 }}
            data-testid="member-search"
          />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('backoffice.common.status')}
            style={{ width: 140 }}
            options={(['active', 'frozen', 'closed'] as const).map((s) => ({
              value: s,
              label: t(`backoffice.members.statusName.${s}`),
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="member-search-submit">
          {t('backoffice.common.search')}
        </Button>
      </Form>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<MemberRow>
        rowKey="id"
        size="middle"
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        pagination={false}
        locale={{ emptyText: t('backoffice.members.empty') }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('backoffice.members.phone'),
            dataIndex: 'phoneMasked',
            render: (v: string) => <span data-testid="member-phone">{v}</span>,
          },
          {
            title: t('backoffice.members.id'),
            dataIndex: 'id',
            render: (v: string) => <Typography.Text copyable={{ text: v }}>{v.slice(0, 12)}…</Typography.Text>,
          },
          {
            title: t('backoffice.members.kind'),
            dataIndex: 'kind',
            render: (v: MemberRow['kind']) => t(`backoffice.members.kindName.${v}`),
          },
          {
            title: t('backoffice.common.status'),
            dataIndex: 'status',
            render: (v: MemberRow['status']) => (
              <Tag color={MEMBER_STATUS_COLOR[v]}>{t(`backoffice.members.statusName.${v}`)}</Tag>
            ),
          },
          { title: t('backoffice.members.points'), dataIndex: 'points', align: 'right' },
          { title: t('backoffice.members.referralCode'), dataIndex: 'referralCode' },
          {
            title: t('backoffice.members.registeredAt'),
            dataIndex: 'createdAt',
            render: (v: string) => shanghaiTime(v),
          },
          {
            title: t('backoffice.common.actions'),
            key: 'actions',
            render: (_: unknown, r) => (
              <Space>
                <Button type="link" size="small" onClick={() => setOpenId(r.id)} data-testid="member-open">
                  {t('backoffice.common.details')}
                </Button>
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
      <MemberDrawer memberId={openId} onClose={() => setOpenId(undefined)} />
    </Card>
  );
}
