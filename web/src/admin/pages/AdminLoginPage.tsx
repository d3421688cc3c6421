import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../shared/api.ts';
import { LanguageSwitch } from '../../shared/LanguageSwitch.tsx';
import { type StaffMe, useSetStaffMe } from '../staff-session.ts';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

/** Staff sign-in: username and password, then the authenticator code once the account has one. */
export function AdminLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const setMe = useSetStaffMe();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [needsCode, setNeedsCode] = useState(false);

  async function onFinish(values: LoginForm) {
    setSubmitting(true);
    setError(undefined);
    try {
      const body = {
        username: values.username.trim(),
        password: values.password,
        ...(values.totpCode ? { totpCode: values.totpCode } : {}),
      };
      const result = await api<{ token: string; staff: StaffMe }>('/api/v1/admin/auth/login', { method: 'POST', body });
      setMe(result.staff);
      navigate(result.staff.stage === 'setup' ? '/admin/setup' : '/admin/workbench', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
      } else {
        setError(e instanceof Error ? e.message : t('common.networkError'));
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#1f2430',
      }}
    >
      <Card style={{ width: 380 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="admin-login-title">
            {t('admin.loginTitle')}
          </Typography.Title>
          <LanguageSwitch />
        </Space>
        <Typography.Paragraph type="secondary">{t('admin.loginHint')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('admin.username')}
            rules={[{ required: true, message: t('admin.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('admin.password')}
            rules={[{ required: true, message: t('admin.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {needsCode ? (
            <Form.Item
              name="totpCode"
              label={t('admin.totpCode')}
              extra={t('admin.totpHint')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('admin.totpCodeInvalid') }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                maxLength={6}
                autoComplete="one-time-code"
                autoFocus
              />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={submitting}>
            {submitting ? t('admin.signingIn') : t('admin.signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
