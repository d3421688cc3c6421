import { Alert, Button, Card, Form, Image, Input, Result, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { PASSWORD_RULES } from '../../../../src/modules/identity/validators.ts';
import { api } from '../../shared/api.ts';
import { LanguageSwitch } from '../../shared/LanguageSwitch.tsx';
import { PageLoading } from '../../shared/PageLoading.tsx';
import { type StaffMe, useSetStaffMe, useStaffMe } from '../staff-session.ts';

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** First sign-in: change the initial password, then enrol an authenticator app. */
export function AdminSetupPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useStaffMe();
  const setMe = useSetStaffMe();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>();

  if (me.isPending) return <PageLoading />;
  if (!me.data) return <Navigate to="/admin/login" replace />;
  if (me.data.stage === 'full') return <Navigate to="/admin/workbench" replace />;
  const step = me.data.mustChangePassword ? 0 : 1;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.networkError'));
    } finally {
      setBusy(false);
    }
  }

  const changePassword = (values: { currentPassword: string; newPassword: string }) =>
    run(async () => {
      setMe(await api<StaffMe>('/api/v1/admin/me/password', { method: 'POST', body: values }));
    });
  const startTotp = () =>
    run(async () => {
      setEnrolment(await api<Enrolment>('/api/v1/admin/me/totp/enrolment', { method: 'POST' }));
    });
  const confirmTotp = (values: { code: string }) =>
    run(async () => {
      const next = await api<StaffMe>('/api/v1/admin/me/totp/confirmation', { method: 'POST', body: values });
      setMe(next);
      if (next.stage === 'full') navigate('/admin/workbench', { replace: true });
    });

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#1f2430',
        padding: 24,
      }}
    >
      <Card style={{ width: 560 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('admin.setupTitle')}
          </Typography.Title>
          <LanguageSwitch />
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('admin.setupLead')}
        </Typography.Paragraph>
        <Steps
          current={step}
          size="small"
          style={{ marginBottom: 24 }}
          items={[{ title: t('admin.setupPasswordTitle') }, { title: t('admin.setupTotpTitle') }]}
        />
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        {step === 0 ? (
          <Form layout="vertical" onFinish={changePassword} requiredMark={false}>
            <Alert
              type="info"
              title={i18n.language === 'en-US' ? PASSWORD_RULES.en : PASSWORD_RULES.zh}
              style={{ marginBottom: 16 }}
            />
            <Form.Item name="currentPassword" label={t('admin.currentPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="newPassword" label={t('admin.newPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirmPassword"
              label={t('admin.confirmPassword')}
              dependencies={['newPassword']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_rule, value) =>
                    value === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('admin.passwordMismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('admin.savePassword')}
            </Button>
          </Form>
        ) : enrolment ? (
          <Form layout="vertical" onFinish={confirmTotp} requiredMark={false}>
            <Typography.Paragraph>{t('admin.totpScan')}</Typography.Paragraph>
            <Space align="start" size={24}>
              <Image src={enrolment.qrDataUrl} width={180} preview={false} alt="TOTP QR" />
              <Typography.Text code copyable data-testid="totp-secret">
                {enrolment.secret}
              </Typography.Text>
            </Space>
            <Form.Item
              name="code"
              label={t('admin.totpCode')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('admin.totpCodeInvalid') }]}
            >
              <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('admin.totpConfirm')}
            </Button>
          </Form>
        ) : me.data.totpEnabled ? (
          <Result status="success" title={t('admin.setupDone')} />
        ) : (
          <Button type="primary" onClick={startTotp} loading={busy} block>
            {t('admin.totpStart')}
          </Button>
        )}
      </Card>
    </div>
  );
}
