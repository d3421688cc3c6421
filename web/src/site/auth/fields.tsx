import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { Form, type FormInstance, Input, Space, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import {
  PASSWORD_PROBLEM_TEXT,
  PASSWORD_RULES,
  type PasswordProblem,
  passwordProblems,
  validateMainlandMobile,
} from '../../../../src/modules/identity/validators.ts';
import { currentLanguage } from '../../i18n.ts';
import { SmsCodeButton, type SmsPurpose } from './SmsCodeButton.tsx';

/** The same checks the server makes, run before submit (validators.ts is shared with the server). */
export function phoneRules(t: (key: string) => string): Rule[] {
  return [
    {
      validator: async (_rule, value: string | undefined) => {
        if (!value || !validateMainlandMobile(value).ok) throw new Error(t('customer.phoneInvalid'));
      },
    },
  ];
}

export function PhoneField(props: { name?: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={props.name ?? 'phone'}
      label={props.label ?? t('customer.phone')}
      rules={phoneRules(t)}
      validateTrigger="onBlur"
    >
      <Input
        prefix="+86"
        inputMode="tel"
        autoComplete="tel-national"
        maxLength={20}
        placeholder={t('customer.phonePlaceholder')}
      />
    </Form.Item>
  );
}

/** The code field with its "send code" button, which first checks the phone field it sends to. */
export function SmsCodeField(props: { form: FormInstance; purpose: SmsPurpose; phoneField?: string }) {
  const { t } = useTranslation();
  const phoneField = props.phoneField ?? 'phone';
  return (
    <Form.Item label={t('customer.smsCode')} required>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name="smsCode"
          noStyle
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('customer.smsCodeInvalid') }]}
        >
          <Input
            aria-label={t('customer.smsCode')}
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            placeholder={t('customer.smsCodePlaceholder')}
          />
        </Form.Item>
        <SmsCodeButton
          purpose={props.purpose}
          getPhone={async () => {
            const values = await props.form.validateFields([phoneField]);
            return String(values[phoneField]);
          }}
        />
      </Space.Compact>
    </Form.Item>
  );
}

function ProblemLine(props: { ok: boolean; text: string }) {
  return (
    <div style={{ fontSize: 12, color: props.ok ? '#389e0d' : '#8c8c8c' }}>
      {props.ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {props.text}
    </div>
  );
}

const SHOWN_PROBLEMS: readonly PasswordProblem[] = ['too_short', 'needs_letter', 'needs_digit', 'common'];

/** The password rules, shown before anything is typed and ticked off while typing. */
export function PasswordRulesHint(props: { password: string | undefined }) {
  const { t } = useTranslation();
  const zh = currentLanguage() === 'zh-CN';
  const password = props.password ?? '';
  const problems = new Set(passwordProblems(password));
  return (
    <div data-testid="password-rules" style={{ marginTop: 4 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('customer.passwordRules')}：{zh ? PASSWORD_RULES.zh : PASSWORD_RULES.en}
      </Typography.Text>
      {password
        ? SHOWN_PROBLEMS.map((p) => (
            <ProblemLine
              key={p}
              ok={!problems.has(p) && !(p === 'too_short' && problems.has('too_long'))}
              text={zh ? PASSWORD_PROBLEM_TEXT[p].zh : PASSWORD_PROBLEM_TEXT[p].en}
            />
          ))
        : null}
    </div>
  );
}

/** A new password with its rules shown under it and a confirmation field. */
export function NewPasswordFields(props: { form: FormInstance; name?: string; label?: string }) {
  const { t } = useTranslation();
  const name = props.name ?? 'password';
  const password = Form.useWatch(name, props.form) as string | undefined;
  return (
    <>
      <Form.Item
        name={name}
        label={props.label ?? t('customer.password')}
        extra={<PasswordRulesHint password={password} />}
        rules={[
          { required: true, message: t('customer.passwordRequired') },
          {
            validator: async (_rule, value: string | undefined) => {
              const problems = passwordProblems(value ?? '');
              const zh = currentLanguage() === 'zh-CN';
              if (problems[0])
                throw new Error(zh ? PASSWORD_PROBLEM_TEXT[problems[0]].zh : PASSWORD_PROBLEM_TEXT[problems[0]].en);
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('customer.confirmPassword')}
        dependencies={[name]}
        rules={[
          { required: true, message: t('customer.passwordRequired') },
          ({ getFieldValue }) => ({
            validator: async (_rule, value: string | undefined) => {
              if (value && value !== getFieldValue(name)) throw new Error(t('customer.passwordMismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </>
  );
}
