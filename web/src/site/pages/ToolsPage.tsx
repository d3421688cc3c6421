import { CalculatorOutlined, DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Form,
  type FormRule,
  Input,
  InputNumber,
  Row,
  Space,
  Statistic,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRatePercent, formatYuan } from '../../../../src/modules/money/index.ts';
import {
  firstScheduleDifference,
  type RepaymentMethod,
  type ScheduleJson,
  scheduleToJson,
  shanghaiDate,
} from '../../../../src/modules/servicing/schedule/index.ts';
import { api } from '../../shared/api.ts';
import { downloadText } from '../../shared/download.ts';
import {
  CALCULATOR_METHODS,
  type Calculation,
  type CalculatorField,
  type CalculatorFormValues,
  CalculatorInputError,
  calculate,
  checkAmount,
  checkRate,
  checkStartDate,
  checkTerm,
  type FieldProblem,
  type ScheduleRequestJson,
  termMax,
} from '../tools/calculator.ts';
import { scheduleCsv } from '../tools/csv.ts';
import { ScheduleChart } from '../tools/ScheduleChart.tsx';
import { ScheduleTable } from '../tools/ScheduleTable.tsx';
import '../tools/tools-print.css';

const SCHEDULE_URL = '/api/v1/tools/repayment-schedule';

function initialValues(): CalculatorFormValues {
  return { amount: '10,000.00', rate: '12', term: 12, startDate: shanghaiDate(Date.now()) };
}

/** 网贷工具: loan calculators for every repayment method, computed in the browser and checked by the server. */
export function ToolsPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<CalculatorFormValues>();
  const [method, setMethod] = useState<RepaymentMethod>('equal_installment');
  const [calculation, setCalculation] = useState<Calculation | undefined>(undefined);

  const message = (problem: FieldProblem) =>
    t(`tools.errors.${problem.code}`, { defaultValue: t('tools.errors.UNKNOWN'), ...problem.values });
  const rule = <T,>(check: (value: T) => FieldProblem | undefined): FormRule => ({
    validator: async (_rule, value) => {
      const problem = check(value as T);
      if (problem) throw new Error(message(problem));
    },
  });

  const run = (nextMethod: RepaymentMethod, values: CalculatorFormValues) => {
    try {
      setCalculation(calculate(nextMethod, values));
    } catch (error) {
      if (!(error instanceof CalculatorInputError)) throw error;
      setCalculation(undefined);
      form.setFields(error.problems.map((p) => ({ name: p.field satisfies CalculatorField, errors: [message(p)] })));
    }
  };

  const switchMethod = (key: string) => {
    const next = key as RepaymentMethod;
    setMethod(next);
    if (next === 'daily' || method === 'daily') form.setFieldValue('term', next === 'daily' ? 30 : 12);
    else if (next === 'quarterly') {
      const term = form.getFieldValue('term') as number | null | undefined;
      if (typeof term === 'number' && term % 3 !== 0) form.setFieldValue('term', Math.max(3, term - (term % 3)));
    }
    if (calculation) run(next, form.getFieldsValue());
    else form.setFields([{ name: 'term', errors: [] }]);
  };

  const daily = method === 'daily';
  return (
    <Card className="tools-page">
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('pages.toolsTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" className="tools-no-print">
        {t('tools.lead')}
      </Typography.Paragraph>

      <div className="tools-no-print">
        <Tabs
          activeKey={method}
          onChange={switchMethod}
          items={CALCULATOR_METHODS.map((m) => ({ key: m, label: t(`tools.method.${m}`) }))}
          data-testid="tools-methods"
        />
        <Typography.Paragraph type="secondary" data-testid="tools-method-hint">
          {t(`tools.methodHint.${method}`)}
        </Typography.Paragraph>
        <Form<CalculatorFormValues>
          form={form}
          layout="vertical"
          initialValues={initialValues()}
          onFinish={(values) => run(method, values)}
          onFinishFailed={() => setCalculation(undefined)}
          data-testid="tools-form"
          requiredMark={false}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="amount" label={t('tools.amount')} rules={[rule(checkAmount)]} validateFirst>
                <Input
                  inputMode="decimal"
                  placeholder={t('tools.amountPlaceholder')}
                  suffix={t('tools.yuan')}
                  allowClear
                  data-testid="tools-amount"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="rate" label={t('tools.rate')} rules={[rule(checkRate)]}>
                <Input
                  inputMode="decimal"
                  placeholder={t('tools.ratePlaceholder')}
                  suffix="%"
                  data-testid="tools-rate"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item
                name="term"
                label={daily ? t('tools.termDays') : t('tools.termMonths')}
                rules={[rule((term: number | null | undefined) => checkTerm(method, term))]}
              >
                <InputNumber
                  min={1}
                  max={termMax(method)}
                  step={method === 'quarterly' ? 3 : 1}
                  precision={0}
                  suffix={daily ? t('tools.days') : t('tools.months')}
                  style={{ width: '100%' }}
                  data-testid="tools-term"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="startDate" label={t('tools.startDate')} rules={[rule(checkStartDate)]}>
                <Input type="date" data-testid="tools-start-date" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={3}>
              <Form.Item label=" ">
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<CalculatorOutlined />}
                  block
                  data-testid="tools-calculate"
                >
                  {t('tools.calculate')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </div>

      {calculation ? <Result calculation={calculation} /> : <Empty description={t('tools.empty')} />}
    </Card>
  );
}

function Result(props: { calculation: Calculation }) {
  const { t } = useTranslation();
  const { schedule, input, request } = props.calculation;
  const first = schedule.rows[0];
  const last = schedule.rows.at(-1);
  const term =
    input.method === 'daily'
      ? t('tools.termDaysText', { count: input.termDays })
      : t('tools.termMonthsText', { count: input.termMonths });

  const exportCsv = () => {
    const csv = scheduleCsv(schedule, {
      period: t('tools.columns.period'),
      dueDate: t('tools.columns.dueDate'),
      payment: t('tools.columns.payment'),
      principal: t('tools.columns.principal'),
      interest: t('tools.columns.interest'),
      remaining: t('tools.columns.remaining'),
      total: t('tools.total'),
    });
    downloadText(`${t('tools.csvFileName')}-${input.method}-${input.startDate}.csv`, csv);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="tools-result">
      <div className="tools-print-only">
        <Typography.Title level={3}>{t('tools.printHeading')}</Typography.Title>
      </div>
      <Typography.Text type="secondary" data-testid="tools-summary-line">
        {t('tools.summaryLine', {
          method: t(`tools.method.${input.method}`),
          amount: formatYuan(input.amountFen),
          rate: formatRatePercent(input.annualRate),
          term,
          startDate: input.startDate,
        })}
      </Typography.Text>
      <ServerCheck request={request} local={scheduleToJson(schedule)} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('tools.firstPayment')}
            value={formatYuan(first?.paymentFen ?? 0n)}
            formatter={(v) => <span data-testid="tools-first-payment">{v}</span>}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('tools.totalInterest')}
            value={formatYuan(schedule.totalInterestFen)}
            formatter={(v) => v}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('tools.totalPayment')}
            value={formatYuan(schedule.totalPaymentFen)}
            formatter={(v) => v}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={`${t('tools.periods')} · ${t('tools.lastDueDate')}`}
            value={`${schedule.rows.length} · ${last?.dueDate ?? ''}`}
            formatter={(v) => v}
          />
        </Col>
      </Row>
      <Space className="tools-no-print">
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="tools-print">
          {t('tools.print')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={exportCsv} data-testid="tools-export-csv">
          {t('tools.exportCsv')}
        </Button>
      </Space>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('tools.chartTitle')}
      </Typography.Title>
      <ScheduleChart schedule={schedule} />
      <ScheduleTable schedule={schedule} />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('tools.note')}
      </Typography.Paragraph>
    </Space>
  );
}

/** Ask the server for the same schedule and say whether it agrees to the fen. */
function ServerCheck(props: { request: ScheduleRequestJson; local: ScheduleJson }) {
  const { t } = useTranslation();
  const server = useQuery({
    queryKey: ['repayment-schedule', props.request],
    queryFn: () => api<ScheduleJson>(SCHEDULE_URL, { method: 'POST', body: props.request }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 0,
  });
  if (server.isPending) {
    return <Alert type="info" showIcon title={t('tools.verifyChecking')} data-testid="tools-verify" />;
  }
  if (server.isError) {
    return (
      <Alert
        type="warning"
        showIcon
        title={t('tools.verifyUnavailable', { reason: server.error.message })}
        data-testid="tools-verify"
      />
    );
  }
  const difference = firstScheduleDifference(props.local, server.data);
  if (difference) {
    return (
      <Alert type="error" showIcon title={t('tools.verifyDiffer', { detail: difference })} data-testid="tools-verify" />
    );
  }
  return <Alert type="success" showIcon title={t('tools.verifySame')} data-testid="tools-verify" />;
}
