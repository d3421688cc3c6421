import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shanghaiTime } from '../../shared/format.ts';
import { useCursorList } from '../use-admin.ts';

interface SmsRow {
  id: string;
  phoneMasked: string;
  purpose: string;
  body: string;
  provider: string;
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  createdAt: string;
}

const STATUS_COLOR = { queued: 'processing', sent: 'success', failed: 'error' } as const;
const PURPOSES = ['register', 'login', 'reset_password', 'withdraw', 'bind_card'];

/** 短信记录: every SMS sent or tried, phones masked and codes starred. */
export function SmsOutboxPage() {
  const { t } = useTranslation();
  const [phone, setPhone] = useState<string | undefined>();
  const list = useCursorList<SmsRow>(['admin-sms'], '/api/v1/admin/sms-messages', { phone });
  return (
    <Card title={t('backoffice.sms.title')}>
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        onFinish={(v: { phone?: string }) => setPhone(v.phone?.trim() || undefined)}
      >
        <Form.Item name="phone">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('backoffice.sms.phonePlaceholder')}
            style={{ width: 220 }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('backoffice.common.search')}
        </Button>
      </Form>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<SmsRow>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        locale={{ emptyText: t('backoffice.sms.empty') }}
        columns={[
          {
            title: t('backoffice.common.time'),
            dataIndex: 'createdAt',
            width: 180,
            render: (v: string) => shanghaiTime(v),
          },
          { title: t('backoffice.sms.phone'), dataIndex: 'phoneMasked', width: 130 },
          {
            title: t('backoffice.sms.purpose'),
            dataIndex: 'purpose',
            width: 110,
            render: (v: string) => (PURPOSES.includes(v) ? t(`backoffice.sms.purposeName.${v}`) : v),
          },
          { title: t('backoffice.sms.body'), dataIndex: 'body' },
          { title: t('backoffice.sms.provider'), dataIndex: 'provider', width: 90 },
          {
            title: t('backoffice.common.status'),
            dataIndex: 'status',
            width: 100,
            render: (v: SmsRow['status'], r) => (
              <Tag color={STATUS_COLOR[v]} title={r.error ?? undefined}>
                {t(`backoffice.sms.statusName.${v}`)}
              </Tag>
            ),
          },
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
