import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INDUSTRIES, type Industry } from '../../../../src/modules/identity/companies/companies.ts';
import { validateCreditCode } from '../../../../src/modules/identity/validators.ts';
import { formatYuan, parseYuan } from '../../../../src/modules/money/index.ts';
import { ApiError, api } from '../../shared/api.ts';
import { yuan } from '../../shared/format.ts';

interface Company {
  id: string;
  name: string;
  creditCode: string;
  legalRepresentativeMasked: string;
  registeredCapitalFen: number;
  industry: Industry;
  foundedOn: string;
}

interface Financials {
  year: number;
  revenueFen: number;
  netProfitFen: number;
  totalAssetsFen: number;
  totalLiabilitiesFen: number;
}

interface CompanyForm {
  name: string;
  creditCode: string;
  legalRepresentative?: string;
  registeredCapital: string;
  industry: Industry;
  foundedOn: Dayjs;
}

interface FinancialsForm {
  year: number;
  revenue: string;
  netProfit: string;
  totalAssets: string;
  totalLiabilities: string;
}

const COMPANY_KEY = ['my-company'] as const;
const FINANCIALS_KEY = ['my-company-financials'] as const;

/** Yuan as typed → fen for the API; throws when it is not an amount. */
function fen(text: string, allowNegative = false): number {
  return Number(parseYuan(text, { allowNegative }));
}

/** Fen from the API → yuan text for an input ("1,000,000.00"). */
function yuanInput(fenValue: number): string {
  return formatYuan(BigInt(fenValue));
}

/** Put the server's verdict on the field it names, or show it as a message. */
function showServerError<T>(
  error: Error,
  form: FormInstance<T>,
  fieldMap: Record<string, keyof T & string>,
  fallback: (text: string) => void,
) {
  const field = error instanceof ApiError ? (error.details?.field as string | undefined) : undefined;
  const name = field ? fieldMap[field] : undefined;
  if (name) form.setFields([{ name: name as never, errors: [error.message] }]);
  else fallback(error.message);
}

/** Company profile (企业信息) and yearly financial statements. */
export function CompanyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<CompanyForm>();

  const company = useQuery({
    queryKey: COMPANY_KEY,
    queryFn: async () => {
      try {
        return await api<Company>('/api/v1/me/company');
      } catch (error) {
        if (error instanceof ApiError && error.code === 'COMPANY_NOT_FOUND') return null;
        throw error;
      }
    },
  });

  useEffect(() => {
    const c = company.data;
    if (!c) return;
    form.setFieldsValue({
      name: c.name,
      creditCode: c.creditCode,
      legalRepresentative: '',
      registeredCapital: yuanInput(c.registeredCapitalFen),
      industry: c.industry,
      foundedOn: dayjs(c.foundedOn),
    });
  }, [company.data, form]);

  const save = useMutation({
    mutationFn: (v: CompanyForm) =>
      api<Company>('/api/v1/me/company', {
        method: 'PUT',
        body: {
          name: v.name.trim(),
          creditCode: v.creditCode.trim(),
          ...(v.legalRepresentative?.trim() ? { legalRepresentative: v.legalRepresentative.trim() } : {}),
          registeredCapitalFen: fen(v.registeredCapital),
          industry: v.industry,
          foundedOn: v.foundedOn.format('YYYY-MM-DD'),
        },
      }),
    onSuccess: (saved) => {
      void message.success(t('company.saved'));
      client.setQueryData(COMPANY_KEY, saved);
      void client.invalidateQueries({ queryKey: FINANCIALS_KEY });
    },
    onError: (error) =>
      showServerError(
        error,
        form,
        {
          name: 'name',
          creditCode: 'creditCode',
          legalRepresentative: 'legalRepresentative',
          registeredCapitalFen: 'registeredCapital',
          industry: 'industry',
          foundedOn: 'foundedOn',
        },
        (text) => void message.error(text),
      ),
  });

  if (company.error instanceof ApiError && company.error.status === 401) {
    return (
      <Card title={t('company.title')}>
        <Empty description={t('documents.signInFirst')} />
      </Card>
    );
  }

  const existing = company.data ?? null;
  const required = { required: true, message: t('company.required') };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('company.title')} loading={company.isPending}>
        <Typography.Paragraph type="secondary">{t('company.lead')}</Typography.Paragraph>
        {company.isError ? <Alert type="error" showIcon title={company.error.message} /> : null}
        {company.isSuccess && existing === null ? (
          <Alert type="info" showIcon title={t('company.notYet')} style={{ marginBottom: 16 }} />
        ) : null}
        <Form<CompanyForm>
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          onFinish={(v) => save.mutate(v)}
          disabled={company.isPending}
        >
          <Form.Item name="name" label={t('company.name')} rules={[required, { max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('company.creditCode')}
            extra={t('company.creditCodeHelp')}
            normalize={(v: string) => v.toUpperCase()}
            rules={[
              required,
              {
                validator: async (_rule, value: string | undefined) => {
                  if (!value) return;
                  const result = validateCreditCode(value);
                  if (!result.ok) {
                    throw new Error(
                      result.reason === 'format' ? t('company.creditCodeFormat') : t('company.creditCodeCheck'),
                    );
                  }
                },
              },
            ]}
          >
            <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Form.Item
            name="legalRepresentative"
            label={t('company.legalRepresentative')}
            rules={existing ? [] : [required]}
          >
            <Input
              maxLength={50}
              placeholder={
                existing ? t('company.legalRepresentativeKeep', { masked: existing.legalRepresentativeMasked }) : ''
              }
            />
          </Form.Item>
          <Form.Item
            name="registeredCapital"
            label={t('company.registeredCapital')}
            rules={[
              required,
              {
                validator: async (_rule, value: string | undefined) => {
                  if (!value) return;
                  let amount: number;
                  try {
                    amount = fen(value);
                  } catch {
                    throw new Error(t('company.amountInvalid'));
                  }
                  if (amount <= 0) throw new Error(t('company.amountPositive'));
                },
              },
            ]}
          >
            <Input inputMode="decimal" placeholder="1,000,000.00" />
          </Form.Item>
          <Form.Item name="industry" label={t('company.industry')} rules={[required]}>
            <Select<Industry>
              showSearch={{ optionFilterProp: 'label' }}
              options={INDUSTRIES.map((i) => ({ value: i, label: t(`company.industries.${i}`) }))}
            />
          </Form.Item>
          <Form.Item name="foundedOn" label={t('company.foundedOn')} rules={[required]}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs('1900-01-01'))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('company.save')}
          </Button>
        </Form>
      </Card>
      <FinancialsCard hasCompany={existing !== null} />
    </Space>
  );
}

function FinancialsCard(props: { hasCompany: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<FinancialsForm>();
  const [editing, setEditing] = useState<{ year?: number } | null>(null);

  const financials = useQuery({
    queryKey: FINANCIALS_KEY,
    enabled: props.hasCompany,
    queryFn: () => api<{ items: Financials[] }>('/api/v1/me/company/financials'),
  });

  const save = useMutation({
    mutationFn: (v: FinancialsForm) => {
      const amounts = {
        revenueFen: fen(v.revenue),
        netProfitFen: fen(v.netProfit, true),
        totalAssetsFen: fen(v.totalAssets),
        totalLiabilitiesFen: fen(v.totalLiabilities),
      };
      return editing?.year
        ? api<Financials>(`/api/v1/me/company/financials/${editing.year}`, { method: 'PUT', body: amounts })
        : api<Financials>('/api/v1/me/company/financials', { method: 'POST', body: { year: v.year, ...amounts } });
    },
    onSuccess: () => {
      void message.success(t('company.financials.saved'));
      setEditing(null);
      void client.invalidateQueries({ queryKey: FINANCIALS_KEY });
    },
    onError: (error) =>
      showServerError(
        error,
        form,
        {
          year: 'year',
          revenueFen: 'revenue',
          netProfitFen: 'netProfit',
          totalAssetsFen: 'totalAssets',
          totalLiabilitiesFen: 'totalLiabilities',
        },
        (text) => void message.error(text),
      ),
  });

  function open(row?: Financials) {
    setEditing(row ? { year: row.year } : {});
    form.resetFields();
    if (row) {
      form.setFieldsValue({
        year: row.year,
        revenue: yuanInput(row.revenueFen),
        netProfit: yuanInput(row.netProfitFen),
        totalAssets: yuanInput(row.totalAssetsFen),
        totalLiabilities: yuanInput(row.totalLiabilitiesFen),
      });
    }
  }

  const amountRule = (allowNegative = false) => ({
    validator: async (_rule: unknown, value: string | undefined) => {
      if (!value) throw new Error(t('company.required'));
      try {
        fen(value, allowNegative);
      } catch {
        throw new Error(t('company.amountInvalid'));
      }
    },
  });
  const thisYear = dayjs().year();

  return (
    <Card
      title={t('company.financials.title')}
      extra={
        <Button icon={<PlusOutlined />} disabled={!props.hasCompany} onClick={() => open()}>
          {t('company.financials.add')}
        </Button>
      }
    >
      {!props.hasCompany ? (
        <Empty description={t('company.financials.needProfile')} />
      ) : (
        <Table<Financials>
          rowKey="year"
          loading={financials.isPending}
          dataSource={financials.data?.items ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description={t('company.financials.empty')} /> }}
          columns={[
            { title: t('company.financials.year'), dataIndex: 'year', width: 90 },
            { title: t('company.financials.revenue'), dataIndex: 'revenueFen', align: 'right', render: yuan },
            {
              title: t('company.financials.netProfit'),
              dataIndex: 'netProfitFen',
              align: 'right',
              render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : undefined}>{yuan(v)}</Typography.Text>,
            },
            { title: t('company.financials.totalAssets'), dataIndex: 'totalAssetsFen', align: 'right', render: yuan },
            {
              title: t('company.financials.totalLiabilities'),
              dataIndex: 'totalLiabilitiesFen',
              align: 'right',
              render: yuan,
            },
            {
              title: t('company.financials.actions'),
              key: 'actions',
              width: 100,
              render: (_v, row) => (
                <Button size="small" icon={<EditOutlined />} onClick={() => open(row)}>
                  {t('company.financials.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={editing !== null}
        title={
          editing?.year ? t('company.financials.editTitle', { year: editing.year }) : t('company.financials.addTitle')
        }
        okText={t('company.financials.save')}
        cancelText={t('risk.cancel')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Form<FinancialsForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="year"
            label={t('company.financials.year')}
            rules={[{ required: true, message: t('company.required') }]}
          >
            <InputNumber min={1900} max={thisYear} precision={0} disabled={Boolean(editing?.year)} />
          </Form.Item>
          <Form.Item name="revenue" required label={t('company.financials.revenue')} rules={[amountRule()]}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item
            name="netProfit"
            required
            label={t('company.financials.netProfit')}
            extra={t('company.financials.netProfitHint')}
            rules={[amountRule(true)]}
          >
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="totalAssets" required label={t('company.financials.totalAssets')} rules={[amountRule()]}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item
            name="totalLiabilities"
            required
            label={t('company.financials.totalLiabilities')}
            rules={[amountRule()]}
          >
            <Input inputMode="decimal" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
