import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Segmented, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { type StatementPage, StatementTable } from '../../shared/StatementTable.tsx';

/** Staff look up any customer's statement (the view is recorded in the audit log). */
export function CustomerStatementPage() {
  const { t, i18n } = useTranslation();
  const [customerId, setCustomerId] = useState<string | undefined>();
  const [account, setAccount] = useState<'cash' | 'bonus'>('cash');
  const base = customerId
    ? `/api/v1/admin/customers/${encodeURIComponent(customerId)}/statement?account=${account}`
    : '';
  const query = useInfiniteQuery({
    queryKey: ['admin-statement', customerId, account, i18n.language],
    enabled: Boolean(customerId),
    initialPageParam: '',
    queryFn: ({ pageParam }) => api<StatementPage>(`${base}&limit=50${pageParam ? `&cursor=${pageParam}` : ''}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t('admin.statements.title')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Form layout="inline" onFinish={(v: { customerId: string }) => setCustomerId(v.customerId.trim())}>
          <Form.Item name="customerId" rules={[{ required: true, message: t('admin.statements.customerIdRequired') }]}>
            <Input placeholder={t('admin.statements.customerId')} style={{ width: 320 }} allowClear />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('admin.statements.search')}
          </Button>
        </Form>
        <Segmented<'cash' | 'bonus'>
          value={account}
          onChange={setAccount}
          options={[
            { value: 'cash', label: t('statement.cash') },
            { value: 'bonus', label: t('statement.bonus') },
          ]}
        />
        <Button icon={<DownloadOutlined />} disabled={!customerId} href={customerId ? `${base}&format=csv` : undefined}>
          {t('admin.statements.exportCsv')}
        </Button>
      </Space>
      {query.isError ? <Alert type="error" showIcon title={query.error.message} style={{ marginBottom: 16 }} /> : null}
      <StatementTable
        entries={entries}
        loading={query.isFetching && !query.isFetchingNextPage}
        emptyText={t('admin.statements.empty')}
      />
      {query.hasNextPage ? (
        <Button
          block
          style={{ marginTop: 12 }}
          onClick={() => query.fetchNextPage()}
          loading={query.isFetchingNextPage}
        >
          {t('statement.more')}
        </Button>
      ) : null}
    </Card>
  );
}
