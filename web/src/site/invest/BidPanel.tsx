import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { annualRateFromPpm, formatYuan, parseAnnualRate, parseYuan } from '../../../../src/modules/money/index.ts';
import {
  computeSchedule,
  isRepaymentMethod,
  type ScheduleInput,
} from '../../../../src/modules/servicing/schedule/index.ts';
import { api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';
import { MY_DATA, useCustomerMe } from '../customer-session.ts';

/** What the panel needs to know about the loan (the loan detail page passes it; otherwise it is fetched). */
export interface BidPanelLoan {
  amountFen: number;
  raisedFen: number;
  status: string;
  annualRate: string;
  method: string;
  termMonths: number | null;
  termDays: number | null;
  bidMinFen: number;
  bidStepFen: number;
}

interface BidAnswer {
  bidId: string;
  amountFen: number;
  fromBonusFen: number;
  loanRaisedFen: number;
  loanStatus: string;
}

/** Interest a bid of `amountFen` earns over the loan's life, from the shared schedule engine (before fees). */
export function expectedInterestFen(loan: BidPanelLoan, amountFen: bigint): bigint | undefined {
  if (amountFen <= 0n || !isRepaymentMethod(loan.method)) return undefined;
  const annualRate = annualRateFromPpm(parseAnnualRate(loan.annualRate).ppm);
  const startDate = new Date().toISOString().slice(0, 10);
  const input: ScheduleInput =
    loan.method === 'daily'
      ? { amountFen, annualRate, startDate, method: 'daily', termDays: loan.termDays ?? 1 }
      : { amountFen, annualRate, startDate, method: loan.method, termMonths: loan.termMonths ?? 1 };
  try {
    return computeSchedule(input).totalInterestFen;
  } catch {
    return undefined;
  }
}

function fenOf(text: string | undefined): bigint | undefined {
  if (!text) return undefined;
  try {
    const fen = parseYuan(text);
    return fen > 0n ? fen : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bid dialog of a loan detail page (投标): amount in yuan, expected interest from the engine, a
 * confirmation, one Idempotency-Key per confirmed request, and the result. Usage: `<BidPanel loanId={id} />`
 * or `<BidPanel loanId={id} loan={detail} />` when the page already has the loan.
 */
export function BidPanel(props: { loanId: string; loan?: BidPanelLoan; onBid?: (answer: BidAnswer) => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const me = useCustomerMe();
  const [form] = Form.useForm<{ amount: string }>();
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<BidAnswer | undefined>();
  const fetched = useQuery({
    queryKey: ['loan', props.loanId],
    queryFn: () => api<BidPanelLoan>(`/api/v1/loans/${encodeURIComponent(props.loanId)}`),
    enabled: props.loan === undefined,
  });
  const balances = useQuery({
    queryKey: [MY_DATA, 'account'],
    queryFn: () => api<{ availableFen: number; bonusFen: number }>('/api/v1/me/account'),
    enabled: Boolean(me.data),
  });
  const amountText = Form.useWatch('amount', form);
  const loan = props.loan ?? fetched.data;
  if (!loan) return <Card loading={fetched.isPending}>{fetched.isError ? fetched.error.message : null}</Card>;

  const remainingFen = loan.amountFen - loan.raisedFen;
  const amountFen = fenOf(amountText);
  const interest = amountFen !== undefined ? expectedInterestFen(loan, amountFen) : undefined;
  const open = loan.status === 'raising' && remainingFen > 0;

  function submit(values: { amount: string }) {
    const fen = parseYuan(values.amount);
    const expected = expectedInterestFen(loan as BidPanelLoan, fen);
    // One key per confirmed request: a double click or a retry after a lost answer bids once.
    const idempotencyKey = crypto.randomUUID();
    modal.confirm({
      title: t('bidding.panel.confirmTitle'),
      content: (
        <Space orientation="vertical" style={{ marginTop: 12 }} data-testid="bid-confirm">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('bidding.panel.confirmAmount')}>¥{formatYuan(fen)}</Descriptions.Item>
            {expected !== undefined ? (
              <Descriptions.Item label={t('bidding.panel.confirmInterest')}>¥{formatYuan(expected)}</Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Text type="secondary">{t('bidding.panel.confirmNote')}</Typography.Text>
        </Space>
      ),
      okText: t('bidding.panel.ok'),
      cancelText: t('bidding.panel.cancel'),
      onOk: async () => {
        setSubmitting(true);
        try {
          const answer = await api<BidAnswer>(`/api/v1/loans/${encodeURIComponent(props.loanId)}/bids`, {
            method: 'POST',
            body: { amountFen: Number(fen) },
            headers: { 'idempotency-key': idempotencyKey },
          });
          setResult(answer);
          form.resetFields();
          message.success(t('bidding.panel.success', { amount: yuan(answer.amountFen) }));
          props.onBid?.(answer);
          await client.invalidateQueries({ queryKey: [MY_DATA] });
          await client.invalidateQueries({ queryKey: ['loan', props.loanId] });
        } catch (e) {
          message.error(e instanceof Error ? e.message : String(e));
        } finally {
          setSubmitting(false);
        }
      },
    });
  }

  return (
    <Card title={t('bidding.panel.title')} data-testid="bid-panel">
      <Space size="large" wrap>
        <Statistic title={t('bidding.panel.remaining')} value={yuan(remainingFen)} prefix="¥" />
        {balances.data ? (
          <Statistic title={t('bidding.panel.available')} value={yuan(balances.data.availableFen)} prefix="¥" />
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('bidding.panel.rules', { min: yuan(loan.bidMinFen), step: yuan(loan.bidStepFen) })}
      </Typography.Paragraph>
      {result ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="bid-result"
          title={t('bidding.panel.success', { amount: yuan(result.amountFen) })}
          description={result.loanStatus === 'second_review' ? t('bidding.panel.full') : undefined}
        />
      ) : null}
      {!open ? (
        <Alert type="info" showIcon title={t('bidding.panel.notRaising')} />
      ) : !me.data ? (
        <Link to={`/login?next=${encodeURIComponent(window.location.pathname)}`}>
          <Button type="primary">{t('bidding.panel.signIn')}</Button>
        </Link>
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="amount"
            label={t('bidding.panel.amount')}
            rules={[
              { required: true, message: t('bidding.panel.amountRequired') },
              {
                validator: (_r, v: string | undefined) =>
                  !v || fenOf(v) !== undefined
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('bidding.panel.amountInvalid'))),
              },
            ]}
            extra={
              interest !== undefined ? `${t('bidding.panel.expectedInterest')}: ¥${formatYuan(interest)}` : undefined
            }
          >
            <Input prefix="¥" inputMode="decimal" placeholder={yuan(loan.bidMinFen)} data-testid="bid-amount" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="bid-submit">
            {t('bidding.panel.submit')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
