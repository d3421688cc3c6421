import { Alert, App, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api.ts';
import { PageLoading } from '../../shared/PageLoading.tsx';
import { type CustomerMe, useCustomerMe, useSetCustomerMe } from '../customer-session.ts';
import { AuthCard } from './AuthCard.tsx';
import { NewPasswordFields, PhoneField, SmsCodeField } from './fields.tsx';

interface RegisterForm {
  phone: string;
  smsCode: string;
  password: string;
  confirmPassword: string;
  referralCode?: string;
}

/** Sign-up: phone, its register code, a password (rules shown before submit), an optional referral code. */
export function RegisterPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useCustomerMe();
  const setMe = useSetCustomerMe();
  const [form] = Form.useForm<RegisterForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();

  if (me.isPending) return <PageLoading />;
  if (me.data) return <Navigate to="/account" replace />;

  async function onFinish(values: RegisterForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      const referralCode = values.referralCode?.trim();
      const result = await api<{ token: string; user: CustomerMe }>('/api/v1/auth/register', {
        method: 'POST',
        body: {
          phone: values.phone.trim(),
          smsCode: values.smsCode,
          password: values.password,
          ...(referralCode ? { referralCode } : {}),
        },
      });
      setMe(result.user);
      message.success(t('customer.register.done'));
      navigate('/account', { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthCard title={t('customer.register.title')} testId="register-title">
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<RegisterForm>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        requiredMark={false}
        initialValues={{ referralCode: params.get('ref') ?? '' }}
      >
        <PhoneField />
        <SmsCodeField form={form} purpose="register" />
        <NewPasswordFields form={form} />
        <Form.Item name="referralCode" label={t('customer.referralCode')}>
          <Input maxLength={16} autoComplete="off" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('customer.register.agreement')}
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('customer.register.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        {t('customer.register.haveAccount')} <Link to="/login">{t('customer.register.goLogin')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
