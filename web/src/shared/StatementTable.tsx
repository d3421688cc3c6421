import { Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { shanghaiTime, yuan } from './format.ts';

export interface StatementEntry {
  transferId: string;
  createdAt: string;
  code: string;
  codeName: string;
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  inFen: number;
  outFen: number;
  frozenChangeFen: number;
  balanceAfterFen: number;
  frozenAfterFen: number;
  availableAfterFen: number;
  memo: string | null;
}

export interface StatementPage {
  items: StatementEntry[];
  nextCursor: string | null;
  codes: { code: string; name: string }[];
}

function amount(fen: number, sign: '+' | '-' | '') {
  if (fen === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const color = sign === '+' ? '#389e0d' : sign === '-' ? '#cf1322' : undefined;
  return <span style={{ color, fontVariantNumeric: 'tabular-nums' }}>{`${sign}${yuan(fen)}`}</span>;
}

/** One page of a statement (资金流水): time, type, in, out, frozen change and balances after. */
export function StatementTable(props: { entries: StatementEntry[]; loading: boolean; emptyText: string }) {
  const { t } = useTranslation();
  return (
    <Table<StatementEntry>
      rowKey="transferId"
      size="middle"
      loading={props.loading}
      dataSource={props.entries}
      pagination={false}
      locale={{ emptyText: props.emptyText }}
      scroll={{ x: 1180 }}
      columns={(
        [
          { title: t('statement.time'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v), width: 180 },
          {
            title: t('statement.type'),
            dataIndex: 'codeName',
            width: 150,
            render: (v: string, e) => (
              <>
                {v}
                {e.kind === 'pending' ? <Tag style={{ marginLeft: 8 }}>{t('statement.frozen')}</Tag> : null}
                {e.kind === 'void_pending' ? <Tag style={{ marginLeft: 8 }}>{t('statement.released')}</Tag> : null}
              </>
            ),
          },
          { title: t('statement.in'), dataIndex: 'inFen', align: 'right', render: (v: number) => amount(v, '+') },
          { title: t('statement.out'), dataIndex: 'outFen', align: 'right', render: (v: number) => amount(v, '-') },
          {
            title: t('statement.frozenChange'),
            dataIndex: 'frozenChangeFen',
            align: 'right',
            render: (v: number) => amount(Math.abs(v), v > 0 ? '+' : v < 0 ? '-' : ''),
          },
          {
            title: t('statement.available'),
            dataIndex: 'availableAfterFen',
            align: 'right',
            render: (v: number) => yuan(v),
          },
          {
            title: t('statement.frozenAfter'),
            dataIndex: 'frozenAfterFen',
            align: 'right',
            render: (v: number) => yuan(v),
          },
          {
            title: t('statement.reference'),
            dataIndex: 'transferId',
            render: (v: string) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: v }}>
                {v}
              </Typography.Text>
            ),
            width: 160,
          },
        ] as TableColumnsType<StatementEntry>
      ).map((c) => ({
        ...c,
        // Keep headings on one line; the table scrolls sideways on narrow screens instead.
        onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      }))}
    />
  );
}
