import { Alert, Button, Form, Input, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../../shared/api.ts';
import { PageLoading } from '../../shared/PageLoading.tsx';
import { type CustomerMe, useCustomerMe, useSetCustomerMe } from '../customer-session.ts';
import { AuthCard } from './AuthCard.tsx';
import { PhoneField, SmsCodeField } from './fields.tsx';

type Method = 'password' | 'sms';

interface LoginForm {
  phone: string;
  password?: string;
  smsCode?: string;
}

/** Sign-in with the password or with an SMS code, on two tabs. */
export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useCustomerMe();
  const setMe = useSetCustomerMe();
  const [method, setMethod] = useState<Method>('password');
  const [form] = Form.useForm<LoginForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const from = (location.state as { from?: string } | null)?.from;
  const target = from?.startsWith('/account') ? from : '/account';

  if (me.isPending) return <PageLoading />;
  if (me.data) return <Navigate to={target} replace />;

  async function onFinish(values: LoginForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      const body =
        method === 'password'
          ? { phone: values.phone.trim(), password: values.password }
          : { phone: values.phone.trim(), smsCode: values.smsCode };
      const result = await api<{ token: string; user: CustomerMe }>('/api/v1/auth/login', { method: 'POST', body });
      setMe(result.user);
      navigate(target, { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthCard title={t('customer.login.title')} testId="login-title">
      <Tabs
        activeKey={method}
        onChange={(key) => {
          setMethod(key as Method);
          setError(undefined);
        }}
        items={[
          { key: 'password', label: t('customer.login.byPassword') },
          { key: 'sms', label: t('customer.login.bySms') },
        ]}
      />
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <PhoneField />
        {method === 'password' ? (
          <Form.Item
            name="password"
            label={t('customer.password')}
            rules={[{ required: true, message: t('customer.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" maxLength={128} />
          </Form.Item>
        ) : (
          <SmsCodeField form={form} purpose="login" />
        )}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('customer.login.submit')}
        </Button>
      </Form>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 16 }}>
        <Link to="/reset-password">{t('customer.login.forgot')}</Link>
        <Typography.Text>
          {t('customer.login.noAccount')} <Link to="/register">{t('customer.login.goRegister')}</Link>
        </Typography.Text>
      </Space>
    </AuthCard>
  );
}
