import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { type RoleInfo, useRoles } from '../components/org-tree.ts';
import { useCan, useLocalName } from '../use-admin.ts';

interface PermissionInfo {
  code: string;
  group: string;
  nameZh: string;
  nameEn: string;
}

const KNOWN_GROUPS = [
  'workbench',
  'members',
  'kyc',
  'cards',
  'ledger',
  'sms',
  'staff',
  'roles',
  'audit',
  'approvals',
  'system',
];

/** 角色与权限: a matrix of permissions (rows) by roles (columns); built-in roles are read-only. */
export function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const can = useCan();
  const name = useLocalName();
  const manage = can('roles.manage');
  const roles = useRoles();
  const catalogue = useQuery({
    queryKey: ['admin-permissions'],
    queryFn: () => api<{ items: PermissionInfo[] }>('/api/v1/admin/permissions'),
  });
  const [drafts, setDrafts] = useState<Record<string, string[]>>({});
  const [creating, setCreating] = useState(false);

  const permissionsOf = (r: RoleInfo) => drafts[r.id] ?? r.permissions;
  const toggle = (r: RoleInfo, code: string, on: boolean) => {
    const current = new Set(permissionsOf(r));
    if (on) current.add(code);
    else current.delete(code);
    setDrafts({ ...drafts, [r.id]: [...current] });
  };
  const discard = (r: RoleInfo) => {
    const { [r.id]: _dropped, ...rest } = drafts;
    setDrafts(rest);
  };
  async function save(r: RoleInfo) {
    try {
      await api(`/api/v1/admin/roles/${encodeURIComponent(r.id)}`, {
        method: 'PUT',
        body: { nameZh: r.nameZh, nameEn: r.nameEn, permissions: permissionsOf(r) },
      });
      discard(r);
      message.success(t('backoffice.common.saved'));
      await client.invalidateQueries({ queryKey: ['admin-roles'] });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }
  async function remove(r: RoleInfo) {
    try {
      await api(`/api/v1/admin/roles/${encodeURIComponent(r.id)}`, { method: 'DELETE' });
      discard(r);
      await client.invalidateQueries({ queryKey: ['admin-roles'] });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }

  const roleList = roles.data?.items ?? [];
  const perms = catalogue.data?.items ?? [];
  // Permissions added by later modules fall back to their code's prefix until their group gets a name here.
  const groupName = (g: string) => (KNOWN_GROUPS.includes(g) ? t(`backoffice.roles.group.${g}`) : g);

  return (
    <Card
      title={t('backoffice.roles.title')}
      extra={
        manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('backoffice.roles.create')}
          </Button>
        ) : null
      }
    >
      <Alert type="info" showIcon title={t('backoffice.roles.lead')} style={{ marginBottom: 16 }} />
      {roles.isError || catalogue.isError ? (
        <Alert type="error" showIcon title={(roles.error ?? catalogue.error)?.message} style={{ marginBottom: 16 }} />
      ) : null}
      <Table<PermissionInfo>
        rowKey="code"
        size="small"
        bordered
        pagination={false}
        loading={roles.isPending || catalogue.isPending}
        dataSource={perms}
        scroll={{ x: 'max-content' }}
        data-testid="roles-matrix"
        columns={[
          {
            title: t('backoffice.roles.permission'),
            key: 'permission',
            fixed: 'left',
            width: 260,
            render: (_: unknown, p) => (
              <Space orientation="vertical" size={0}>
                <span>
                  <Tag>{groupName(p.group)}</Tag>
                  {name(p)}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.code}
                </Typography.Text>
              </Space>
            ),
          },
          ...roleList.map((r) => {
            const editable = manage && !r.builtin;
            const dirty = drafts[r.id] !== undefined;
            return {
              key: r.id,
              align: 'center' as const,
              width: 130,
              title: (
                <Space orientation="vertical" size={2}>
                  <span>{name(r)}</span>
                  <Space size={4}>
                    <Tag color={r.builtin ? 'blue' : 'purple'}>
                      {r.builtin ? t('backoffice.roles.builtin') : t('backoffice.roles.custom')}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('backoffice.roles.staffCount', { count: r.staffCount })}
                    </Typography.Text>
                  </Space>
                  {editable ? (
                    <Space size={4}>
                      {dirty ? (
                        <>
                          <Button size="small" type="primary" onClick={() => save(r)}>
                            {t('backoffice.common.save')}
                          </Button>
                          <Button size="small" onClick={() => discard(r)}>
                            {t('backoffice.common.reset')}
                          </Button>
                        </>
                      ) : (
                        <Tooltip title={r.staffCount > 0 ? t('backoffice.roles.inUse') : undefined}>
                          <Popconfirm
                            title={t('backoffice.roles.deleteConfirm')}
                            okText={t('backoffice.common.confirm')}
                            cancelText={t('backoffice.common.cancel')}
                            onConfirm={() => remove(r)}
                            disabled={r.staffCount > 0}
                          >
                            <Button size="small" danger icon={<DeleteOutlined />} disabled={r.staffCount > 0} />
                          </Popconfirm>
                        </Tooltip>
                      )}
                    </Space>
                  ) : null}
                </Space>
              ),
              render: (_: unknown, p: PermissionInfo) => (
                <Checkbox
                  checked={permissionsOf(r).includes(p.code)}
                  disabled={!editable}
                  onChange={(e) => toggle(r, p.code, e.target.checked)}
                  aria-label={`${r.code}:${p.code}`}
                />
              ),
            };
          }),
        ]}
      />
      {creating ? (
        <CreateRoleModal
          permissions={perms}
          onClose={() => setCreating(false)}
          onCreated={() => client.invalidateQueries({ queryKey: ['admin-roles'] })}
        />
      ) : null}
    </Card>
  );
}

function CreateRoleModal(props: { permissions: PermissionInfo[]; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const name = useLocalName();
  const [form] = Form.useForm<{ code: string; nameZh: string; nameEn: string; permissions: string[] }>();
  const [busy, setBusy] = useState(false);
  const required = { required: true, whitespace: true, message: t('backoffice.staff.requiredField') };
  return (
    <Modal
      open
      title={t('backoffice.roles.createTitle')}
      okText={t('backoffice.common.save')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ loading: busy }}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
      onOk={async () => {
        const v = await form.validateFields().catch(() => undefined);
        if (!v) return;
        setBusy(true);
        try {
          await api('/api/v1/admin/roles', {
            method: 'POST',
            body: {
              code: v.code.trim(),
              nameZh: v.nameZh.trim(),
              nameEn: v.nameEn.trim(),
              permissions: v.permissions ?? [],
            },
          });
          props.onCreated();
          props.onClose();
        } catch (error) {
          message.error(error instanceof Error ? error.message : String(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ permissions: [] }}>
        <Form.Item
          name="code"
          label={t('backoffice.roles.code')}
          extra={t('backoffice.roles.codeRule')}
          rules={[required, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('backoffice.roles.codeRule') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
          <Form.Item name="nameZh" label={t('backoffice.roles.nameZh')} rules={[required, { max: 40 }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('backoffice.roles.nameEn')} rules={[required, { max: 40 }]}>
            <Input maxLength={40} />
          </Form.Item>
        </Space>
        <Form.Item name="permissions" label={t('backoffice.roles.permissions')}>
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}
            options={props.permissions.map((p) => ({ value: p.code, label: name(p) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
