import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { validateCardNumber } from '../../../../src/modules/identity/validators.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import { PhoneField, SmsCodeField } from '../auth/fields.tsx';
import { MY_DATA, useCustomerMe } from '../customer-session.ts';

export type CardStatus = 'pending_review' | 'pending_binding' | 'bound' | 'rejected' | 'binding_failed' | 'unbound';

export interface BankCard {
  id: string;
  bankCode: string;
  bankName: string;
  cardNumberMasked: string;
  reservedPhoneMasked: string;
  status: CardStatus;
  statusName: string;
  statusReason: string | null;
  createdAt: string;
  boundAt: string | null;
}

export const CARD_STATUS_COLORS: Record<CardStatus, string> = {
  pending_review: 'processing',
  pending_binding: 'warning',
  bound: 'success',
  rejected: 'error',
  binding_failed: 'error',
  unbound: 'default',
};

interface AddCardForm {
  bankCode: string;
  cardNumber: string;
  reservedPhone: string;
  smsCode: string;
}

function AddCardModal(props: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddCardForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const banks = useQuery({
    queryKey: ['banks', i18n.language],
    queryFn: () => api<{ items: { code: string; name: string }[] }>('/api/v1/banks'),
    staleTime: Number.POSITIVE_INFINITY,
    enabled: props.open,
  });

  async function onFinish(values: AddCardForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      await api('/api/v1/me/bank-cards', {
        method: 'POST',
        body: {
          bankCode: values.bankCode,
          cardNumber: values.cardNumber,
          reservedPhone: values.reservedPhone.trim(),
          smsCode: values.smsCode,
        },
      });
      message.success(t('customer.cards.added'));
      form.resetFields();
      props.onAdded();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Modal
      open={props.open}
      title={t('customer.cards.add')}
      onCancel={props.onClose}
      okText={t('customer.cards.submit')}
      cancelText={t('customer.cards.cancel')}
      confirmLoading={submitting}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<AddCardForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} preserve={false}>
        <Form.Item
          name="bankCode"
          label={t('customer.cards.bank')}
          rules={[{ required: true, message: t('customer.cards.bankRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={banks.isPending}
            options={banks.data?.items.map((b) => ({ value: b.code, label: b.name }))}
          />
        </Form.Item>
        <Form.Item
          name="cardNumber"
          label={t('customer.cards.cardNumber')}
          validateTrigger="onBlur"
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                if (!value || !validateCardNumber(value).ok) throw new Error(t('customer.cards.cardNumberInvalid'));
              },
            },
          ]}
        >
          <Input
            inputMode="numeric"
            maxLength={23}
            autoComplete="cc-number"
            placeholder={t('customer.cards.cardNumberPlaceholder')}
          />
        </Form.Item>
        <PhoneField name="reservedPhone" label={t('customer.cards.reservedPhone')} />
        <SmsCodeField form={form} purpose="bind_card" phoneField="reservedPhone" />
      </Form>
    </Modal>
  );
}

/** 银行卡: my cards with their binding states and reasons; add one with an SMS code; unbind with confirmation. */
export function BankCardsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const me = useCustomerMe().data;
  const [adding, setAdding] = useState(false);
  const cards = useQuery({
    queryKey: [MY_DATA, 'bank-cards', i18n.language],
    queryFn: () => api<{ items: BankCard[]; nextCursor: string | null }>('/api/v1/me/bank-cards?limit=50'),
  });
  const verified = me?.realName.status === 'verified';
  const refresh = () => client.invalidateQueries({ queryKey: [MY_DATA, 'bank-cards'] });

  async function unbind(card: BankCard) {
    try {
      await api(`/api/v1/me/bank-cards/${encodeURIComponent(card.id)}`, { method: 'DELETE' });
      message.success(t('customer.cards.unbound'));
      await refresh();
    } catch (e) {
      message.error(e instanceof Error ? e.message : t('common.networkError'));
    }
  }

  return (
    <Card
      title={t('customer.cards.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!verified || me?.status === 'frozen'}
          onClick={() => setAdding(true)}
          data-testid="add-card"
        >
          {t('customer.cards.add')}
        </Button>
      }
    >
      {!verified ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <>
              {t('customer.cards.needRealName')} <Link to="/account/real-name">{t('customer.account.goVerify')}</Link>
            </>
          }
        />
      ) : null}
      {cards.isError ? <Alert type="error" showIcon title={cards.error.message} style={{ marginBottom: 16 }} /> : null}
      <Typography.Paragraph type="secondary">{t('customer.cards.statusHint')}</Typography.Paragraph>
      <Table<BankCard>
        rowKey="id"
        loading={cards.isPending}
        dataSource={cards.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('customer.cards.empty') }}
        scroll={{ x: 760 }}
        columns={[
          { title: t('customer.cards.bank'), dataIndex: 'bankName' },
          {
            title: t('customer.cards.cardNumber'),
            dataIndex: 'cardNumberMasked',
            render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span>,
          },
          { title: t('customer.cards.reservedPhone'), dataIndex: 'reservedPhoneMasked' },
          {
            title: t('customer.cards.status'),
            dataIndex: 'status',
            render: (_: CardStatus, card) => (
              <>
                <Tag color={CARD_STATUS_COLORS[card.status]} data-testid={`card-status-${card.id}`}>
                  {card.statusName}
                </Tag>
                {card.statusReason ? (
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {card.statusReason}
                  </Typography.Text>
                ) : null}
              </>
            ),
          },
          { title: t('customer.cards.addedAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          {
            title: '',
            key: 'actions',
            render: (_: unknown, card) => (
              <Popconfirm
                title={t('customer.cards.unbindConfirm')}
                description={t('customer.cards.unbindHint')}
                okText={card.status === 'bound' ? t('customer.cards.unbind') : t('customer.cards.remove')}
                cancelText={t('customer.cards.cancel')}
                onConfirm={() => unbind(card)}
                disabled={me?.status === 'frozen'}
              >
                <Button size="small" danger disabled={me?.status === 'frozen'}>
                  {card.status === 'bound' ? t('customer.cards.unbind') : t('customer.cards.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <AddCardModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          void refresh();
        }}
      />
    </Card>
  );
}
