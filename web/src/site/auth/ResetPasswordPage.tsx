import { Alert, App, Button, Form } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api.ts';
import { useSetCustomerMe } from '../customer-session.ts';
import { AuthCard } from './AuthCard.tsx';
import { NewPasswordFields, PhoneField, SmsCodeField } from './fields.tsx';

interface ResetForm {
  phone: string;
  smsCode: string;
  newPassword: string;
  confirmPassword: string;
}

/** Forgotten password: the phone, a reset code sent to it, a new password. Every session is signed out. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const setMe = useSetCustomerMe();
  const [form] = Form.useForm<ResetForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function onFinish(values: ResetForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      await api('/api/v1/auth/reset-password', {
        method: 'POST',
        body: { phone: values.phone.trim(), smsCode: values.smsCode, newPassword: values.newPassword },
      });
      setMe(null);
      message.success(t('customer.reset.done'));
      navigate('/login', { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthCard title={t('customer.reset.title')} lead={t('customer.reset.lead')} testId="reset-title">
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<ResetForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <PhoneField />
        <SmsCodeField form={form} purpose="reset_password" />
        <NewPasswordFields form={form} name="newPassword" label={t('customer.reset.newPassword')} />
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('customer.reset.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
