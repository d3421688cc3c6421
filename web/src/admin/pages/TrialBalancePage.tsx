import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';

interface TrialBalanceRow {
  code: string;
  name: string;
  normalSide: 'debit' | 'credit';
  accounts: number;
  debitFen: number;
  creditFen: number;
}

interface TrialBalance {
  asOfDate: string | null;
  rows: TrialBalanceRow[];
  totalDebitFen: number;
  totalCreditFen: number;
  balanced: boolean;
  pendingFen: number;
}

/** 试算平衡表: every platform account and customers' money, with totals that must agree. */
export function TrialBalancePage() {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState<string | undefined>();
  const query = useQuery({
    queryKey: ['trial-balance', date, i18n.language],
    queryFn: () => api<TrialBalance>(`/api/v1/admin/ledger/trial-balance${date ? `?date=${date}` : ''}`),
  });
  const tb = query.data;
  return (
    <Card
      title={t('admin.trialBalance.title')}
      extra={
        <Space>
          <Typography.Text>{t('admin.trialBalance.asOf')}</Typography.Text>
          <DatePicker
            allowClear
            placeholder={t('admin.trialBalance.now')}
            onChange={(d: Dayjs | null) => setDate(d ? d.format('YYYY-MM-DD') : undefined)}
            data-testid="tb-date"
          />
        </Space>
      }
    >
      {query.isError ? <Alert type="error" showIcon title={query.error.message} /> : null}
      {tb ? (
        <Alert
          style={{ marginBottom: 16 }}
          type={tb.balanced ? 'success' : 'error'}
          showIcon
          title={tb.balanced ? t('admin.trialBalance.balanced') : t('admin.trialBalance.unbalanced')}
          description={t('admin.trialBalance.pending', { amount: yuan(tb.pendingFen) })}
          data-testid="tb-status"
        />
      ) : null}
      <Table<TrialBalanceRow>
        rowKey="code"
        loading={query.isPending}
        dataSource={tb?.rows ?? []}
        pagination={false}
        size="middle"
        columns={[
          {
            title: t('admin.trialBalance.account'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Space orientation="vertical" size={0}>
                <span>{name}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.code}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('admin.trialBalance.accounts'), dataIndex: 'accounts', align: 'right' },
          {
            title: t('admin.trialBalance.debit'),
            dataIndex: 'debitFen',
            align: 'right',
            render: (v: number) => (v ? yuan(v) : ''),
          },
          {
            title: t('admin.trialBalance.credit'),
            dataIndex: 'creditFen',
            align: 'right',
            render: (v: number) => (v ? yuan(v) : ''),
          },
        ]}
        summary={() =>
          tb ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <strong>{t('admin.trialBalance.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} />
              <Table.Summary.Cell index={2} align="right">
                <strong data-testid="tb-total-debit">{yuan(tb.totalDebitFen)}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <strong data-testid="tb-total-credit">{yuan(tb.totalCreditFen)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
