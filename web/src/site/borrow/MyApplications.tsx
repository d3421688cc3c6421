import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { useCustomerMe } from '../customer-session.ts';
import { LoanStatusTag, ratePercent, TermText } from '../invest/loan-shared.tsx';

export interface Application {
  id: string;
  loanNo: string;
  title: string;
  amountFen: number;
  annualRate: string;
  method: string;
  termMonths: number | null;
  termDays: number | null;
  status: string;
  grade: string | null;
  reviewNote: string | null;
  raisedFen: number;
  createdAt: string;
}

interface RepaymentRow {
  period: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
  paymentFen: number;
  remainingPrincipalFen: number;
  status: string;
}

/** 还款计划 of a disbursed loan. */
function RepaymentSchedule(props: { loanId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['my-repayment-schedule', props.loanId],
    queryFn: () =>
      api<{ rows: RepaymentRow[]; totalPaymentFen: number }>(`/api/v1/me/loans/${props.loanId}/repayment-schedule`),
  });
  return (
    <Table<RepaymentRow>
      rowKey="period"
      size="small"
      data-testid="repayment-schedule"
      loading={q.isPending}
      dataSource={q.data?.rows ?? []}
      pagination={false}
      columns={[
        { title: t('tools.columns.period'), dataIndex: 'period' },
        { title: t('tools.columns.dueDate'), dataIndex: 'dueDate' },
        { title: t('tools.columns.payment'), dataIndex: 'paymentFen', align: 'right', render: (v: number) => yuan(v) },
        {
          title: t('tools.columns.principal'),
          dataIndex: 'principalFen',
          align: 'right',
          render: (v: number) => yuan(v),
        },
        {
          title: t('tools.columns.interest'),
          dataIndex: 'interestFen',
          align: 'right',
          render: (v: number) => yuan(v),
        },
        {
          title: t('tools.columns.remaining'),
          dataIndex: 'remainingPrincipalFen',
          align: 'right',
          render: (v: number) => yuan(v),
        },
      ]}
    />
  );
}

/** 我的借款申请: every application with its status and the reviewer's note; disbursed loans show their schedule. */
export function MyApplications() {
  const { t } = useTranslation();
  const me = useCustomerMe();
  const q = useQuery({
    queryKey: ['my-loan-applications'],
    queryFn: () => api<{ items: Application[] }>('/api/v1/me/loan-applications?limit=100'),
    enabled: Boolean(me.data),
  });
  if (!me.data) return null;
  return (
    <Card title={t('market.borrow.mine')} style={{ marginTop: 16 }}>
      <Table<Application>
        rowKey="id"
        data-testid="my-applications"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty description={t('market.borrow.noApplications')} /> }}
        expandable={{
          rowExpandable: (a) => a.status === 'repaying' || a.status === 'finished',
          expandedRowRender: (a) => <RepaymentSchedule loanId={a.id} />,
        }}
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
          { title: t('market.hall.amount'), render: (_, a) => yuan(a.amountFen) },
          { title: t('market.hall.rate'), render: (_, a) => ratePercent(a.annualRate) },
          {
            title: t('market.hall.term'),
            render: (_, a) => <TermText termMonths={a.termMonths} termDays={a.termDays} />,
          },
          { title: t('market.hall.method'), render: (_, a) => t(`market.method.${a.method}` as 'market.method.daily') },
          { title: t('market.admin.status'), render: (_, a) => <LoanStatusTag status={a.status} /> },
          { title: t('market.borrow.reviewNote'), render: (_, a) => a.reviewNote ?? '—' },
          { title: '', render: (_, a) => shanghaiTime(a.createdAt) },
          {
            title: '',
            render: (_, a) =>
              a.status === 'repaying' || a.status === 'finished' ? (
                <a
                  href={`/api/v1/me/loans/${encodeURIComponent(a.id)}/contract.pdf`}
                  download
                  data-testid="loan-contract-link"
                >
                  {t('bidding.contract.download')}
                </a>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
