import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../src/modules/money/index.ts';
import type { Schedule, ScheduleRow } from '../../../../src/modules/servicing/schedule/index.ts';

const money = (fen: bigint) => formatYuan(fen);

/** The schedule, one row per period, with a total row. Every figure is formatted from bigint fen. */
export function ScheduleTable(props: { schedule: Schedule }) {
  const { t } = useTranslation();
  const { schedule } = props;
  const columns: ColumnsType<ScheduleRow> = [
    { title: t('tools.columns.period'), dataIndex: 'period', key: 'period', width: 72, align: 'center' },
    { title: t('tools.columns.dueDate'), dataIndex: 'dueDate', key: 'dueDate', width: 120 },
    {
      title: t('tools.columns.payment'),
      key: 'payment',
      align: 'right',
      render: (_, r) => <Typography.Text strong>{money(r.paymentFen)}</Typography.Text>,
    },
    { title: t('tools.columns.principal'), key: 'principal', align: 'right', render: (_, r) => money(r.principalFen) },
    { title: t('tools.columns.interest'), key: 'interest', align: 'right', render: (_, r) => money(r.interestFen) },
    {
      title: t('tools.columns.remaining'),
      key: 'remaining',
      align: 'right',
      render: (_, r) => money(r.remainingPrincipalFen),
    },
  ];
  return (
    <Table<ScheduleRow>
      data-testid="tools-table"
      size="small"
      bordered
      rowKey="period"
      columns={columns}
      dataSource={[...schedule.rows]}
      pagination={false}
      scroll={{ x: 'max-content' }}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2} align="center">
            <Typography.Text strong>{t('tools.total')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Typography.Text strong data-testid="tools-total-payment">
              {money(schedule.totalPaymentFen)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            <Typography.Text strong>{money(schedule.totalPrincipalFen)}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={4} align="right">
            <Typography.Text strong data-testid="tools-total-interest">
              {money(schedule.totalInterestFen)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={5} />
        </Table.Summary.Row>
      )}
    />
  );
}
