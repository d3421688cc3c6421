import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { validateIdNumber } from '../../../../src/modules/identity/validators.ts';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import { useCustomerMe } from '../customer-session.ts';

interface RealNameForm {
  name: string;
  idNumber: string;
}

/** Today's date in Asia/Shanghai (the server checks the age against the same date). */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** 实名认证: the form until verified, then the masked result. */
export function RealNamePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCustomerMe();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const realName = me.data?.realName;

  if (realName?.status === 'verified') {
    return (
      <Card title={t('customer.realName.title')}>
        <Result
          status="success"
          icon={<SafetyCertificateOutlined />}
          title={<span data-testid="real-name-verified">{t('customer.realName.verifiedTitle')}</span>}
        />
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('customer.realName.name')}>{realName.nameMasked}</Descriptions.Item>
          <Descriptions.Item label={t('customer.realName.idNumber')}>{realName.idNumberMasked}</Descriptions.Item>
          <Descriptions.Item label={t('customer.realName.verifiedAt')}>
            {realName.verifiedAt ? shanghaiTime(realName.verifiedAt) : ''}
          </Descriptions.Item>
        </Descriptions>
      </Card>
    );
  }

  async function onFinish(values: RealNameForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      await api('/api/v1/me/real-name', {
        method: 'POST',
        body: { name: values.name.trim(), idNumber: values.idNumber },
      });
      await me.refetch();
      message.success(t('customer.realName.done'));
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Card title={t('customer.realName.title')}>
      <Typography.Paragraph type="secondary">{t('customer.realName.lead')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<RealNameForm>
        layout="vertical"
        onFinish={onFinish}
        requiredMark={false}
        style={{ maxWidth: 420 }}
        disabled={me.data?.status === 'frozen'}
      >
        <Form.Item
          name="name"
          label={t('customer.realName.name')}
          rules={[{ required: true, min: 2, max: 30, whitespace: true, message: t('customer.realName.nameInvalid') }]}
        >
          <Input placeholder={t('customer.realName.namePlaceholder')} maxLength={30} autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('customer.realName.idNumber')}
          validateTrigger="onBlur"
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                if (!value || !validateIdNumber(value, shanghaiToday()).ok) {
                  throw new Error(t('customer.realName.idNumberInvalid'));
                }
              },
            },
          ]}
        >
          <Input placeholder={t('customer.realName.idNumberPlaceholder')} maxLength={18} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {t('customer.realName.submit')}
        </Button>
      </Form>
    </Card>
  );
}
