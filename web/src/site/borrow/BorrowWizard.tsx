import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Result,
  Select,
  Space,
  Steps,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { parseRatePercent, parseYuan } from '../../../../src/modules/money/index.ts';
import { computeSchedule, type Schedule, shanghaiDate } from '../../../../src/modules/servicing/schedule/index.ts';
import { api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';
import { useCustomerMe } from '../customer-session.ts';
import { ratePercent } from '../invest/loan-shared.tsx';
import { ScheduleTable } from '../tools/ScheduleTable.tsx';

export interface Product {
  id: string;
  nameZh: string;
  nameEn: string;
  loanType: string;
  methods: string[];
  amountMinFen: number;
  amountMaxFen: number;
  termUnit: 'month' | 'day';
  termMin: number;
  termMax: number;
  rateMin: string;
  rateMax: string;
}

interface Doc {
  id: string;
  kind: string;
  status: string;
  fileName?: string;
}

interface Terms {
  amount?: string;
  term?: number;
  rate?: string;
  method?: string;
  purpose?: string;
  title?: string;
  documentIds?: string[];
}

/** The schedule the engine gives for the typed terms, or undefined while they are incomplete or out of range. */
function preview(p: Product | undefined, v: Terms): Schedule | undefined {
  if (!p || !v.amount || !v.term || !v.rate || !v.method) return undefined;
  try {
    const amountFen = parseYuan(v.amount);
    const rate = parseRatePercent(v.rate, { maxPpm: 360_000n });
    if (amountFen < BigInt(p.amountMinFen) || amountFen > BigInt(p.amountMaxFen)) return undefined;
    if (v.term < p.termMin || v.term > p.termMax) return undefined;
    if (v.method === 'quarterly' && v.term % 3 !== 0) return undefined;
    const startDate = shanghaiDate(Date.now());
    return v.method === 'daily'
      ? computeSchedule({ amountFen, annualRate: rate, startDate, method: 'daily', termDays: v.term })
      : computeSchedule({ amountFen, annualRate: rate, startDate, method: v.method as 'bullet', termMonths: v.term });
  } catch {
    return undefined;
  }
}

/** 借款向导: product → amount, term, rate, method with a live schedule → purpose and documents → submit. */
export function BorrowWizard() {
  const { t, i18n } = useTranslation();
  const me = useCustomerMe();
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const [productId, setProductId] = useState<string>();
  const [form] = Form.useForm<Terms>();
  const values = Form.useWatch([], form) ?? {};
  const products = useQuery({
    queryKey: ['loan-products'],
    queryFn: () => api<{ items: Product[] }>('/api/v1/loan-products'),
  });
  const docs = useQuery({
    queryKey: ['my-documents-for-loan'],
    queryFn: () => api<{ items: Doc[] }>('/api/v1/me/documents?limit=100'),
    enabled: Boolean(me.data),
  });
  const product = products.data?.items.find((p) => p.id === productId);
  const schedule = useMemo(() => preview(product, values), [product, values]);
  const submit = useMutation({
    mutationFn: (v: Terms) => {
      if (!product) throw new Error('no product');
      const term = product.termUnit === 'day' ? { termDays: v.term } : { termMonths: v.term };
      return api<{ application: { id: string } }>('/api/v1/me/loan-applications', {
        method: 'POST',
        body: {
          productId: product.id,
          amountFen: Number(parseYuan(v.amount ?? '')),
          ...term,
          annualRate: parseRatePercent(v.rate ?? '').text,
          method: v.method,
          purpose: v.purpose,
          ...(v.title ? { title: v.title } : {}),
          documentIds: v.documentIds ?? [],
        },
      });
    },
    onSuccess: () => {
      setStep(3);
      void client.invalidateQueries({ queryKey: ['my-loan-applications'] });
    },
  });
  const name = (p: Product) => (i18n.language.startsWith('en') ? p.nameEn : p.nameZh);

  if (!me.data && !me.isPending)
    return (
      <Alert
        type="info"
        showIcon
        title={t('market.borrow.needLogin')}
        action={<Link to="/login?next=/borrow">→</Link>}
      />
    );
  if (step === 3)
    return (
      <Result
        status="success"
        title={t('market.borrow.submitted')}
        data-testid="application-submitted"
        extra={
          <Button
            onClick={() => {
              form.resetFields();
              setStep(0);
            }}
          >
            {t('market.borrow.applyAgain')}
          </Button>
        }
      />
    );
  return (
    <Card title={t('market.borrow.title')} data-testid="borrow-wizard">
      <Typography.Paragraph type="secondary">{t('market.borrow.lead')}</Typography.Paragraph>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('market.borrow.stepProduct') },
          { title: t('market.borrow.stepTerms') },
          { title: t('market.borrow.stepPurpose') },
          { title: t('market.borrow.stepDone') },
        ]}
      />
      {step === 0 && (
        <Space wrap>
          {(products.data?.items ?? []).map((p) => (
            <Card
              key={p.id}
              hoverable
              style={{ width: 260, borderColor: p.id === productId ? '#1677ff' : undefined }}
              data-testid={`product-${p.id}`}
              onClick={() => {
                setProductId(p.id);
                form.setFieldsValue({ method: p.methods[0], term: undefined });
                setStep(1);
              }}
            >
              <Typography.Title level={5}>{name(p)}</Typography.Title>
              <div>{t(`market.type.${p.loanType}` as 'market.type.credit')}</div>
              <div>
                {yuan(p.amountMinFen)} – {yuan(p.amountMaxFen)}
              </div>
              <div>
                {ratePercent(p.rateMin)} – {ratePercent(p.rateMax)}
              </div>
            </Card>
          ))}
        </Space>
      )}
      <Form form={form} layout="vertical" style={{ display: step === 1 || step === 2 ? undefined : 'none' }}>
        {product && step === 1 && (
          <>
            <Form.Item
              name="amount"
              label={t('market.borrow.amount')}
              extra={t('market.borrow.range', { min: yuan(product.amountMinFen), max: yuan(product.amountMaxFen) })}
              rules={[{ required: true }]}
            >
              <Input data-testid="borrow-amount" style={{ maxWidth: 240 }} />
            </Form.Item>
            <Form.Item
              name="term"
              label={product.termUnit === 'day' ? t('market.borrow.termDays') : t('market.borrow.termMonths')}
              extra={t('market.borrow.range', { min: product.termMin, max: product.termMax })}
              rules={[{ required: true }]}
            >
              <InputNumber data-testid="borrow-term" min={product.termMin} max={product.termMax} precision={0} />
            </Form.Item>
            <Form.Item
              name="rate"
              label={t('market.borrow.rate')}
              extra={t('market.borrow.range', { min: ratePercent(product.rateMin), max: ratePercent(product.rateMax) })}
              rules={[{ required: true }]}
            >
              <Input data-testid="borrow-rate" style={{ maxWidth: 160 }} />
            </Form.Item>
            <Form.Item name="method" label={t('market.borrow.method')} rules={[{ required: true }]}>
              <Select
                style={{ maxWidth: 260 }}
                options={product.methods.map((m) => ({
                  value: m,
                  label: t(`market.method.${m}` as 'market.method.daily'),
                }))}
              />
            </Form.Item>
            {schedule && (
              <Card size="small" title={t('market.borrow.preview')} data-testid="borrow-preview">
                <Typography.Paragraph>
                  {t('market.borrow.totalInterest')}:{' '}
                  <b data-testid="preview-interest">{yuan(schedule.totalInterestFen)}</b> ·{' '}
                  {t('market.borrow.totalPayment')}: {yuan(schedule.totalPaymentFen)}
                </Typography.Paragraph>
                <ScheduleTable schedule={schedule} />
              </Card>
            )}
            <Space style={{ marginTop: 16 }}>
              <Button onClick={() => setStep(0)}>{t('market.borrow.back')}</Button>
              <Button type="primary" disabled={!schedule} onClick={() => setStep(2)} data-testid="borrow-next">
                {t('market.borrow.next')}
              </Button>
            </Space>
          </>
        )}
        {product && step === 2 && (
          <>
            <Form.Item name="title" label={t('market.borrow.titleField')}>
              <Input maxLength={60} style={{ maxWidth: 400 }} />
            </Form.Item>
            <Form.Item name="purpose" label={t('market.borrow.purpose')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea data-testid="borrow-purpose" maxLength={500} rows={3} />
            </Form.Item>
            <Form.Item name="documentIds" label={t('market.borrow.documents')} extra={t('market.borrow.documentsHint')}>
              <Checkbox.Group
                options={(docs.data?.items ?? [])
                  .filter((d) => d.status !== 'rejected')
                  .map((d) => ({
                    value: d.id,
                    label: `${t(`documents.kinds.${d.kind}` as 'documents.kinds.other')} ${d.fileName ?? ''}`,
                  }))}
              />
            </Form.Item>
            {submit.isError && (
              <Alert type="error" showIcon title={submit.error.message} style={{ marginBottom: 16 }} />
            )}
            <Space>
              <Button onClick={() => setStep(1)}>{t('market.borrow.back')}</Button>
              <Button
                type="primary"
                loading={submit.isPending}
                data-testid="borrow-submit"
                onClick={async () => {
                  await form.validateFields();
                  submit.mutate(form.getFieldsValue(true));
                }}
              >
                {t('market.borrow.submit')}
              </Button>
            </Space>
          </>
        )}
      </Form>
    </Card>
  );
}
