import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { ScheduleTable } from '../tools/ScheduleTable.tsx';
import { BidPanel } from './BidPanel.tsx';
import type { HallLoan } from './HallPage.tsx';
import {
  LoanProgress,
  LoanStatusTag,
  ratePercent,
  type ScheduleJsonBody,
  scheduleFromJson,
  TermText,
  TimeLeft,
} from './loan-shared.tsx';

export interface LoanDetail extends HallLoan {
  purpose: string;
  managementFeeRate: string;
  riskLevels: string[];
  documents: { kind: string; count: number; approved: number }[];
  schedule: ScheduleJsonBody;
  bids: { investor: string; amountFen: number; source: string; at: string }[];
  bidTotal: number;
}

/** 借款详情: the loan, its borrower (masked), documents summary, schedule preview and bids. */
export function LoanDetailPage() {
  const { t } = useTranslation();
  const { loanId = '' } = useParams();
  const q = useQuery({
    queryKey: ['loan', loanId],
    queryFn: () => api<LoanDetail>(`/api/v1/loans/${encodeURIComponent(loanId)}`),
  });
  if (q.isPending) return <Card loading />;
  if (q.isError) return <Alert type="error" showIcon title={q.error.message} />;
  const l = q.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Card
            title={
              <Space>
                {l.title}
                <LoanStatusTag status={l.status} />
              </Space>
            }
            data-testid="loan-detail"
          >
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('market.hall.rate')}>
                <Typography.Text strong data-testid="loan-rate">
                  {ratePercent(l.annualRate)}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('market.hall.amount')}>
                <span data-testid="loan-amount">{yuan(l.amountFen)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('market.hall.term')}>
                <TermText termMonths={l.termMonths} termDays={l.termDays} />
              </Descriptions.Item>
              <Descriptions.Item label={t('market.hall.method')}>
                {t(`market.method.${l.method}` as 'market.method.daily')}
              </Descriptions.Item>
              <Descriptions.Item label={t('market.hall.grade')}>{l.grade ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('market.detail.borrower')}>{l.borrower}</Descriptions.Item>
              <Descriptions.Item label={t('market.hall.remaining')}>{yuan(l.remainingFen)}</Descriptions.Item>
              <Descriptions.Item label={t('market.hall.left')}>
                {<TimeLeft seconds={l.secondsLeft} />}
              </Descriptions.Item>
              <Descriptions.Item label={t('market.detail.bidMin')}>{yuan(l.bidMinFen)}</Descriptions.Item>
              <Descriptions.Item label={t('market.detail.bidStep')}>{yuan(l.bidStepFen)}</Descriptions.Item>
              <Descriptions.Item label={t('market.detail.managementFee')}>
                {ratePercent(l.managementFeeRate)}
              </Descriptions.Item>
              <Descriptions.Item label={t('market.detail.purpose')}>{l.purpose}</Descriptions.Item>
            </Descriptions>
            <LoanProgress progressBps={l.progressBps} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card title={t('market.detail.bidPanel')} data-testid="bid-panel" data-loan-id={l.id}>
            <Typography.Paragraph type="secondary">
              {t('market.hall.remaining')}: {yuan(l.remainingFen)}
            </Typography.Paragraph>
            <BidPanel loanId={l.id} />
          </Card>
          <Card title={t('market.detail.documents')} style={{ marginTop: 16 }}>
            {l.documents.length === 0 ? (
              <Typography.Text type="secondary">{t('market.detail.noDocuments')}</Typography.Text>
            ) : (
              l.documents.map((d) => (
                <div key={d.kind}>
                  {t(`documents.kinds.${d.kind}` as 'documents.kinds.other', { defaultValue: d.kind })} × {d.count}
                </div>
              ))
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('market.detail.schedule')}>
        <ScheduleTable schedule={scheduleFromJson(l.schedule)} />
      </Card>
      <Card title={`${t('market.detail.bids')} (${l.bidTotal})`}>
        <Table
          rowKey={(b) => `${b.at}-${b.investor}-${b.amountFen}`}
          dataSource={l.bids}
          pagination={false}
          data-testid="bid-records"
          locale={{ emptyText: <Empty description={t('market.detail.noBids')} /> }}
          columns={[
            { title: t('market.detail.investor'), dataIndex: 'investor' },
            { title: t('market.detail.bidAmount'), render: (_, b) => yuan(b.amountFen) },
            { title: t('market.detail.bidTime'), render: (_, b) => shanghaiTime(b.at) },
          ]}
        />
      </Card>
    </Space>
  );
}
