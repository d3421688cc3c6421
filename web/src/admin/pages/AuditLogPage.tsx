import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shanghaiTime } from '../../shared/format.ts';
import { JsonBlock, JsonDiff } from '../components/JsonDiff.tsx';
import { useCursorList } from '../use-admin.ts';

type ActorKind = 'staff' | 'customer' | 'system' | 'anonymous';

interface AuditEntry {
  id: string;
  at: string;
  actorKind: ActorKind;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  outcome: 'ok' | 'refused';
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

interface FilterForm {
  actorKind?: ActorKind;
  actorId?: string;
  action?: string;
  targetId?: string;
  outcome?: 'ok' | 'refused';
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** 审计日志: every staff action and every sign-in, newest first, with before and after. */
export function AuditLogPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const list = useCursorList<AuditEntry>(['admin-audit'], '/api/v1/admin/audit-log', filters);

  function apply(v: FilterForm) {
    const [from, to] = v.dates ?? [null, null];
    setFilters({
      actorKind: v.actorKind,
      actorId: v.actorId?.trim() || undefined,
      action: v.action?.trim() || undefined,
      targetId: v.targetId?.trim() || undefined,
      outcome: v.outcome,
      from: from?.format('YYYY-MM-DD'),
      to: to?.format('YYYY-MM-DD'),
    });
  }

  return (
    <Card title={t('backoffice.audit.title')}>
      <Form form={form} layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={apply}>
        <Form.Item name="actorKind">
          <Select
            allowClear
            placeholder={t('backoffice.audit.actorKind')}
            style={{ width: 130 }}
            options={(['staff', 'customer', 'system', 'anonymous'] as const).map((k) => ({
              value: k,
              label: t(`backoffice.audit.actorKindName.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="actorId">
          <Input allowClear placeholder={t('backoffice.audit.actorId')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="action" tooltip={t('backoffice.audit.actionHint')}>
          <Input
            allowClear
            placeholder={t('backoffice.audit.action')}
            style={{ width: 180 }}
            data-testid="audit-action"
          />
        </Form.Item>
        <Form.Item name="targetId">
          <Input
            allowClear
            placeholder={t('backoffice.audit.targetId')}
            style={{ width: 220 }}
            data-testid="audit-target"
          />
        </Form.Item>
        <Form.Item name="outcome">
          <Select
            allowClear
            placeholder={t('backoffice.audit.outcome')}
            style={{ width: 110 }}
            options={(['ok', 'refused'] as const).map((o) => ({
              value: o,
              label: t(`backoffice.audit.outcomeName.${o}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            {t('backoffice.common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setFilters({});
            }}
          >
            {t('backoffice.common.reset')}
          </Button>
        </Space>
      </Form>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        locale={{ emptyText: t('backoffice.audit.empty') }}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (r) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <JsonDiff before={r.before} after={r.after} />
              {r.detail != null ? (
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: 'detail', label: t('backoffice.audit.detail'), children: <JsonBlock value={r.detail} /> },
                  ]}
                />
              ) : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('backoffice.audit.requestId')}: {r.requestId ?? '—'} · {t('backoffice.audit.userAgent')}:{' '}
                {r.userAgent ?? '—'}
              </Typography.Text>
            </Space>
          ),
        }}
        columns={[
          { title: t('backoffice.common.time'), dataIndex: 'at', width: 180, render: (v: string) => shanghaiTime(v) },
          {
            title: t('backoffice.audit.actor'),
            key: 'actor',
            render: (_: unknown, r) => (
              <Space size={4}>
                <Tag>{t(`backoffice.audit.actorKindName.${r.actorKind}`)}</Tag>
                <span>{r.actorName ?? r.actorId ?? '—'}</span>
              </Space>
            ),
          },
          {
            title: t('backoffice.audit.action'),
            dataIndex: 'action',
            width: 210,
            render: (v: string) => (
              <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('backoffice.audit.target'),
            key: 'target',
            render: (_: unknown, r) =>
              r.targetId ? (
                <Typography.Text copyable={{ text: r.targetId }}>
                  {r.targetKind}: {r.targetId.length > 18 ? `${r.targetId.slice(0, 18)}…` : r.targetId}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('backoffice.audit.outcome'),
            dataIndex: 'outcome',
            width: 90,
            render: (v: AuditEntry['outcome']) => (
              <Tag color={v === 'ok' ? 'green' : 'red'}>{t(`backoffice.audit.outcomeName.${v}`)}</Tag>
            ),
          },
          { title: t('backoffice.audit.ip'), dataIndex: 'ip', width: 130 },
        ]}
      />
      {list.hasNextPage ? (
        <Button block style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('backoffice.common.more')}
        </Button>
      ) : null}
    </Card>
  );
}
