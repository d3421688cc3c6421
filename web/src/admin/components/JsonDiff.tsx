import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Before and after of an audited change, field by field, changed fields highlighted. */
export function JsonDiff(props: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const { before, after } = props;
  if (before == null && after == null) {
    return <Typography.Text type="secondary">{t('backoffice.audit.noChange')}</Typography.Text>;
  }
  const b = isRecord(before) ? before : before == null ? {} : { value: before };
  const a = isRecord(after) ? after : after == null ? {} : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = keys.map((key) => ({
    key,
    before: show(b[key]),
    after: show(a[key]),
    changed: JSON.stringify(b[key]) !== JSON.stringify(a[key]),
  }));
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      data-testid="json-diff"
      columns={[
        { title: t('backoffice.audit.field'), dataIndex: 'key', width: 180 },
        {
          title: t('backoffice.audit.before'),
          dataIndex: 'before',
          render: (v: string, r) => (
            <Typography.Text code delete={r.changed && before != null} style={{ wordBreak: 'break-all' }}>
              {v}
            </Typography.Text>
          ),
        },
        {
          title: t('backoffice.audit.after'),
          dataIndex: 'after',
          render: (v: string, r) => (
            <Typography.Text code mark={r.changed} style={{ wordBreak: 'break-all' }}>
              {v}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}

/** Any JSON, pretty-printed. */
export function JsonBlock(props: { value: unknown }) {
  if (props.value == null) return null;
  return (
    <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(props.value, null, 2)}
    </pre>
  );
}
