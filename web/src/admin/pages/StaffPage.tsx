import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime } from '../../shared/format.ts';
import { organisationTree, useOrganisations, useRoles } from '../components/org-tree.ts';
import { useCan, useCursorList, useLocalName, useStaffId } from '../use-admin.ts';

interface StaffRow {
  id: string;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  organisation: { id: string; nameZh: string; nameEn: string } | null;
  roles: { id: string; code: string; nameZh: string; nameEn: string; builtin: boolean }[];
  createdAt: string;
}

interface StaffForm {
  username?: string;
  displayName: string;
  roleIds: string[];
  organisationId?: string | null;
  enabled?: boolean;
}

/** 员工管理: staff accounts, their roles and organisation; create, edit, disable, reset password. */
export function StaffPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const can = useCan();
  const me = useStaffId();
  const name = useLocalName();
  const [q, setQ] = useState<string | undefined>();
  const [editing, setEditing] = useState<StaffRow | 'new' | undefined>();
  const [temporary, setTemporary] = useState<{ name: string; password: string } | undefined>();
  const list = useCursorList<StaffRow>(['admin-staff'], '/api/v1/admin/staff', { q });
  const roles = useRoles();
  const orgs = useOrganisations();
  const manage = can('staff.manage');

  async function resetPassword(row: StaffRow) {
    try {
      const r = await api<{ temporaryPassword: string }>(
        `/api/v1/admin/staff/${encodeURIComponent(row.id)}/password-reset`,
        { method: 'POST' },
      );
      setTemporary({ name: row.displayName, password: r.temporaryPassword });
      await client.invalidateQueries({ queryKey: ['admin-staff'] });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <Card
      title={t('backoffice.staff.title')}
      extra={
        manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="staff-create">
            {t('backoffice.staff.create')}
          </Button>
        ) : null
      }
    >
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        onFinish={(v: { q?: string }) => setQ(v.q?.trim() || undefined)}
      >
        <Form.Item name="q">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('backoffice.staff.searchPlaceholder')}
            style={{ width: 240 }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('backoffice.common.search')}
        </Button>
      </Form>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} /> : null}
      <Table<StaffRow>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        locale={{ emptyText: t('backoffice.staff.empty') }}
        columns={[
          { title: t('backoffice.staff.username'), dataIndex: 'username' },
          { title: t('backoffice.staff.displayName'), dataIndex: 'displayName' },
          {
            title: t('backoffice.staff.roles'),
            dataIndex: 'roles',
            render: (rs: StaffRow['roles']) => (
              <Space size={[4, 4]} wrap>
                {rs.map((r) => (
                  <Tag key={r.id} color={r.builtin ? 'blue' : 'purple'}>
                    {name(r)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('backoffice.staff.organisation'),
            dataIndex: 'organisation',
            render: (o: StaffRow['organisation']) => (o ? name(o) : '—'),
          },
          {
            title: t('backoffice.common.status'),
            key: 'status',
            render: (_: unknown, r) => (
              <Space size={4} wrap>
                <Tag color={r.status === 'active' ? 'green' : 'default'}>
                  {t(`backoffice.staff.statusName.${r.status}`)}
                </Tag>
                <Tag color={r.totpEnabled ? 'green' : 'orange'}>
                  {r.totpEnabled ? t('backoffice.staff.totpOn') : t('backoffice.staff.totpOff')}
                </Tag>
                {r.mustChangePassword ? <Tag color="orange">{t('backoffice.staff.mustChange')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('backoffice.common.createdAt'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          ...(manage
            ? [
                {
                  title: t('backoffice.common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: StaffRow) => (
                    <Space>
                      <Button size="small" type="link" onClick={() => setEditing(r)}>
                        {t('backoffice.common.edit')}
                      </Button>
                      {r.id !== me ? (
                        <Popconfirm
                          title={t('backoffice.staff.resetPassword')}
                          description={<div style={{ maxWidth: 280 }}>{t('backoffice.staff.resetConfirm')}</div>}
                          okText={t('backoffice.common.confirm')}
                          cancelText={t('backoffice.common.cancel')}
                          onConfirm={() => resetPassword(r)}
                        >
                          <Button size="small" type="link" danger>
                            {t('backoffice.staff.resetPassword')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {list.hasNextPage ? (
        <Button block style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('backoffice.common.more')}
        </Button>
      ) : null}
      {editing ? (
        <StaffModal
          staff={editing === 'new' ? undefined : editing}
          isSelf={editing !== 'new' && editing.id === me}
          roleOptions={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: name(r) }))}
          orgTree={organisationTree(orgs.data?.items ?? [], name)}
          onClose={() => setEditing(undefined)}
          onCreated={(staffName, password) => setTemporary({ name: staffName, password })}
        />
      ) : null}
      <Modal
        open={Boolean(temporary)}
        title={t('backoffice.staff.tempPasswordTitle')}
        onOk={() => setTemporary(undefined)}
        onCancel={() => setTemporary(undefined)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('backoffice.common.confirm')}
      >
        <Alert
          type="warning"
          showIcon
          title={t('backoffice.staff.tempPasswordLead', { name: temporary?.name ?? '' })}
        />
        <Typography.Paragraph copyable code style={{ fontSize: 20, marginTop: 16 }} data-testid="temporary-password">
          {temporary?.password}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function StaffModal(props: {
  staff: StaffRow | undefined;
  isSelf: boolean;
  roleOptions: { value: string; label: string }[];
  orgTree: ReturnType<typeof organisationTree>;
  onClose: () => void;
  onCreated: (name: string, password: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<StaffForm>();
  const [busy, setBusy] = useState(false);
  const s = props.staff;
  const required = { required: true, whitespace: true, message: t('backoffice.staff.requiredField') };

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    setBusy(true);
    try {
      if (s) {
        await api(`/api/v1/admin/staff/${encodeURIComponent(s.id)}`, {
          method: 'PATCH',
          body: {
            displayName: v.displayName.trim(),
            roleIds: v.roleIds,
            organisationId: v.organisationId ?? null,
            status: v.enabled ? 'active' : 'disabled',
          },
        });
        message.success(t('backoffice.common.saved'));
      } else {
        const r = await api<{ temporaryPassword: string }>('/api/v1/admin/staff', {
          method: 'POST',
          body: {
            username: (v.username ?? '').trim(),
            displayName: v.displayName.trim(),
            roleIds: v.roleIds,
            organisationId: v.organisationId ?? null,
          },
        });
        props.onCreated(v.displayName.trim(), r.temporaryPassword);
      }
      await client.invalidateQueries({ queryKey: ['admin-staff'] });
      await client.invalidateQueries({ queryKey: ['admin-roles'] });
      props.onClose();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={s ? t('backoffice.staff.editTitle') : t('backoffice.staff.createTitle')}
      okText={t('backoffice.common.save')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<StaffForm>
        form={form}
        layout="vertical"
        initialValues={{
          displayName: s?.displayName ?? '',
          roleIds: s?.roles.map((r) => r.id) ?? [],
          organisationId: s?.organisation?.id ?? null,
          enabled: s ? s.status === 'active' : true,
        }}
      >
        {s ? null : (
          <Form.Item
            name="username"
            label={t('backoffice.staff.username')}
            extra={t('backoffice.staff.usernameRule')}
            rules={[required, { pattern: /^[a-z][a-z0-9_.-]{2,31}$/, message: t('backoffice.staff.usernameRule') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('backoffice.staff.displayName')} rules={[required, { max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="roleIds" label={t('backoffice.staff.roles')}>
          <Select mode="multiple" options={props.roleOptions} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="organisationId" label={t('backoffice.staff.organisation')}>
          <TreeSelect allowClear treeData={props.orgTree} treeDefaultExpandAll />
        </Form.Item>
        {s ? (
          <Form.Item name="enabled" label={t('backoffice.staff.enabled')} valuePropName="checked">
            <Switch disabled={props.isSelf} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
