import { App, Button } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../shared/api.ts';

export type SmsPurpose = 'register' | 'login' | 'reset_password' | 'withdraw' | 'bind_card';

const RESEND_SECONDS_DEFAULT = 60;

/**
 * "Send code" with a countdown until the next code may be asked for. `getPhone` validates the phone field and
 * returns it (or throws to stop); the server's own wait (429 with `details.seconds`) restarts the countdown.
 * `request` replaces the default request (a code to a typed phone), e.g. a withdrawal code to the account's phone.
 */
export function SmsCodeButton(props: {
  purpose: SmsPurpose;
  getPhone: () => Promise<string>;
  request?: (phone: string) => Promise<{ resendAfterSeconds: number }>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [seconds, setSeconds] = useState(0);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (seconds <= 0) return;
    const timer = setTimeout(() => setSeconds((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [seconds]);

  async function send() {
    let phone: string;
    try {
      phone = await props.getPhone();
    } catch {
      return;
    }
    setSending(true);
    try {
      const answer = props.request
        ? await props.request(phone)
        : await api<{ resendAfterSeconds: number }>('/api/v1/auth/sms-codes', {
            method: 'POST',
            body: { phone, purpose: props.purpose },
          });
      setSeconds(answer.resendAfterSeconds || RESEND_SECONDS_DEFAULT);
      message.success(t('customer.codeSent'));
    } catch (error) {
      if (error instanceof ApiError && typeof error.details?.seconds === 'number') setSeconds(error.details.seconds);
      message.error(error instanceof Error ? error.message : t('common.networkError'));
    } finally {
      setSending(false);
    }
  }

  return (
    <Button onClick={send} disabled={seconds > 0} loading={sending} data-testid={props.testId ?? 'send-sms-code'}>
      {seconds > 0 ? t('customer.resendIn', { seconds }) : t('customer.sendCode')}
    </Button>
  );
}
