import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A confirmation that asks for a reason (freeze, unfreeze, flag, reject). */
export function ReasonModal(props: {
  open: boolean;
  title: string;
  warning?: string;
  okText?: string;
  danger?: boolean;
  optional?: boolean;
  label?: string;
  onCancel: () => void;
  /** Resolves true when done (the dialog is then closed by its owner), false to keep it open. */
  onSubmit: (reason: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  async function submit() {
    let reason: string;
    try {
      ({ reason } = await form.validateFields());
    } catch {
      return; // the form shows what is missing
    }
    setBusy(true);
    try {
      if (await props.onSubmit((reason ?? '').trim())) form.resetFields();
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText ?? t('backoffice.common.confirm')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ danger: props.danger ?? false, loading: busy, 'data-testid': 'reason-ok' }}
      onOk={submit}
      onCancel={() => {
        form.resetFields();
        props.onCancel();
      }}
      destroyOnHidden
    >
      {props.warning ? <Alert type="warning" showIcon title={props.warning} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={props.label ?? t('backoffice.common.reason')}
          rules={
            props.optional
              ? [{ max: 500 }]
              : [{ required: true, whitespace: true, message: t('backoffice.common.reasonRequired') }, { max: 500 }]
          }
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('backoffice.common.reasonPlaceholder')}
            data-testid="reason-input"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
