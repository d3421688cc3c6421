import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { ratePercent } from '../../site/invest/loan-shared.tsx';

interface FullLoan {
  id: string;
  loanNo: string;
  title: string;
  amountFen: number;
  raisedFen: number;
  bidCount: number;
  annualRate: string;
  method: string;
  termMonths: number | null;
  termDays: number | null;
  fullAt: string | null;
  serviceFeePpm: number;
  guaranteeFeePpm: number;
}

const KEY = ['admin', 'loans', 'second-review'];

/** A fee in ppm of an amount, half-up to the fen (display only; the server computes the real one). */
function feeFen(amountFen: number, ppm: number): bigint {
  return (BigInt(amountFen) * BigInt(ppm) + 500_000n) / 1_000_000n;
}

/** 满标复审: full loans, approve (disburse) or reject (release every bid), each with a confirmation. */
export function SecondReviewPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [rejecting, setRejecting] = useState<FullLoan | undefined>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const loans = useQuery({
    queryKey: KEY,
    queryFn: () => api<{ items: FullLoan[] }>('/api/v1/admin/loans/second-review?limit=100'),
  });

  async function decide(loan: FullLoan, decision: 'approve' | 'reject', reason?: string) {
    setBusy(true);
    try {
      const answer = await api<{ status: string }>(`/api/v1/admin/loans/${encodeURIComponent(loan.id)}/second-review`, {
        method: 'POST',
        body: { decision, ...(reason ? { reason } : {}) },
      });
      if (answer.status === 'pending_approval') {
        // Above the product's two-person limit: a colleague approves it in the approvals queue.
        message.info(t('bidding.review.pendingApproval'));
      } else {
        message.success(t(decision === 'approve' ? 'bidding.review.approved' : 'bidding.review.rejected'));
      }
      await client.invalidateQueries({ queryKey: KEY });
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  function approve(loan: FullLoan) {
    const net =
      BigInt(loan.amountFen) -
      feeFen(loan.amountFen, loan.serviceFeePpm) -
      feeFen(loan.amountFen, loan.guaranteeFeePpm);
    modal.confirm({
      title: t('bidding.review.approveTitle'),
      content: t('bidding.review.approveText', { loanNo: loan.loanNo, count: loan.bidCount, net: yuan(net) }),
      okText: t('bidding.review.approve'),
      onOk: () => decide(loan, 'approve'),
    });
  }

  if (loans.isError) return <Alert type="error" showIcon title={loans.error.message} />;
  return (
    <Card title={t('bidding.review.title')} data-testid="second-review">
      <Table<FullLoan>
        rowKey="id"
        loading={loans.isPending}
        dataSource={loans.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('bidding.review.empty') }}
        columns={[
          { title: t('bidding.review.loanNo'), dataIndex: 'loanNo' },
          { title: t('bidding.review.loanTitle'), dataIndex: 'title' },
          { title: t('bidding.review.amount'), align: 'right', render: (_v, l) => `¥${yuan(l.amountFen)}` },
          { title: t('bidding.review.bids'), dataIndex: 'bidCount', align: 'right' },
          { title: t('bidding.review.rate'), render: (_v, l) => ratePercent(l.annualRate) },
          {
            title: t('bidding.review.term'),
            render: (_v, l) =>
              l.termDays
                ? t('bidding.review.days', { n: l.termDays })
                : t('bidding.review.months', { n: l.termMonths }),
          },
          {
            title: t('bidding.review.fees'),
            render: (_v, l) =>
              `¥${yuan(feeFen(l.amountFen, l.serviceFeePpm))} / ¥${yuan(feeFen(l.amountFen, l.guaranteeFeePpm))}`,
          },
          { title: t('bidding.review.fullAt'), render: (_v, l) => (l.fullAt ? shanghaiTime(l.fullAt) : '') },
          {
            title: '',
            render: (_v, l) => (
              <Space>
                <Button
                  type="primary"
                  size="small"
                  disabled={busy}
                  onClick={() => approve(l)}
                  data-testid="approve-loan"
                >
                  {t('bidding.review.approve')}
                </Button>
                <Button danger size="small" disabled={busy} onClick={() => setRejecting(l)}>
                  {t('bidding.review.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={rejecting !== undefined}
        title={t('bidding.review.rejectTitle', { loanNo: rejecting?.loanNo ?? '' })}
        okText={t('bidding.review.reject')}
        okButtonProps={{ danger: true, loading: busy }}
        onCancel={() => setRejecting(undefined)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <p>{t('bidding.review.rejectText')}</p>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            if (rejecting) await decide(rejecting, 'reject', v.reason.trim());
            setRejecting(undefined);
          }}
        >
          <Form.Item
            name="reason"
            label={t('bidding.review.reason')}
            rules={[{ required: true, whitespace: true, message: t('bidding.review.reasonRequired') }]}
          >
            <Input.TextArea maxLength={200} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
