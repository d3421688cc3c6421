import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Segmented, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { type StatementPage as Page, StatementTable } from '../../shared/StatementTable.tsx';
import { MY_DATA } from '../customer-session.ts';

const PAGE_SIZE = 20;

/** 资金流水: my statement with a type filter, a date range, "load more" and a CSV export of the same filter. */
export function StatementPage() {
  const { t, i18n } = useTranslation();
  const [account, setAccount] = useState<'cash' | 'bonus'>('cash');
  const [codes, setCodes] = useState<string[]>([]);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const params = new URLSearchParams({ account });
  for (const code of codes) params.append('code', code);
  if (range?.[0]) params.set('from', range[0].format('YYYY-MM-DD'));
  if (range?.[1]) params.set('to', range[1].format('YYYY-MM-DD'));
  const filter = params.toString();
  const query = useInfiniteQuery({
    queryKey: [MY_DATA, 'statement', filter, i18n.language],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<Page>(
        `/api/v1/me/statement?${filter}&limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = query.data?.pages.flatMap((p) => p.items) ?? [];
  const types = query.data?.pages[0]?.codes ?? [];
  return (
    <Card title={t('customer.statement.title')}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented<'cash' | 'bonus'>
          value={account}
          onChange={setAccount}
          options={[
            { value: 'cash', label: t('statement.cash') },
            { value: 'bonus', label: t('statement.bonus') },
          ]}
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 220 }}
          placeholder={t('customer.statement.allTypes')}
          aria-label={t('statement.type')}
          value={codes}
          onChange={setCodes}
          options={types.map((c) => ({ value: c.code, label: c.name }))}
          maxTagCount="responsive"
          showSearch={{ optionFilterProp: 'label' }}
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={range}
          onChange={(value) => setRange(value)}
          aria-label={t('customer.statement.dateRange')}
        />
        <Button
          icon={<DownloadOutlined />}
          href={`/api/v1/me/statement?${filter}&format=csv`}
          data-testid="statement-csv"
        >
          {t('customer.statement.exportCsv')}
        </Button>
      </Space>
      {query.isError ? <Alert type="error" showIcon title={query.error.message} style={{ marginBottom: 16 }} /> : null}
      <StatementTable
        entries={entries}
        loading={query.isPending || (query.isFetching && !query.isFetchingNextPage)}
        emptyText={t('statement.empty')}
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
