import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Spin,
  Tree,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { type Organisation, organisationTree, useOrganisations } from '../components/org-tree.ts';
import { useCan, useLocalName } from '../use-admin.ts';

interface OrgForm {
  nameZh: string;
  nameEn: string;
  parentId?: string | null;
}

/** 组织机构: departments as a tree; add, rename and move. */
export function OrganisationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const can = useCan();
  const name = useLocalName();
  const manage = can('staff.manage');
  const orgs = useOrganisations();
  const [selected, setSelected] = useState<string | undefined>();
  const [creating, setCreating] = useState<{ parentId: string | null } | undefined>();
  const [form] = Form.useForm<OrgForm>();
  const items = orgs.data?.items ?? [];
  const current = items.find((o) => o.id === selected);

  useEffect(() => {
    if (current) form.setFieldsValue({ nameZh: current.nameZh, nameEn: current.nameEn, parentId: current.parentId });
  }, [current, form]);

  async function save(body: object, id?: string): Promise<boolean> {
    try {
      await api<Organisation>(
        id ? `/api/v1/admin/organisations/${encodeURIComponent(id)}` : '/api/v1/admin/organisations',
        {
          method: id ? 'PATCH' : 'POST',
          body,
        },
      );
      message.success(t('backoffice.common.saved'));
      await client.invalidateQueries({ queryKey: ['admin-organisations'] });
      return true;
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  const tree = organisationTree(
    items,
    (o) => `${name(o)}（${t('backoffice.organisations.staffCount', { count: o.staffCount })}）`,
  );

  return (
    <Card
      title={t('backoffice.organisations.title')}
      extra={
        manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ parentId: null })}>
            {t('backoffice.organisations.addRoot')}
          </Button>
        ) : null
      }
    >
      {orgs.isError ? <Alert type="error" showIcon title={orgs.error.message} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={24}>
        <Col xs={24} md={10}>
          {orgs.isPending ? <Spin /> : null}
          {!orgs.isPending && items.length === 0 ? <Empty description={t('backoffice.organisations.empty')} /> : null}
          {items.length ? (
            <Tree
              blockNode
              defaultExpandAll
              treeData={tree}
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => setSelected(keys[0] as string | undefined)}
              data-testid="org-tree"
            />
          ) : null}
        </Col>
        <Col xs={24} md={14}>
          {current ? (
            <Card size="small" title={t('backoffice.organisations.editTitle')}>
              <Form<OrgForm>
                form={form}
                layout="vertical"
                disabled={!manage}
                onFinish={(v) =>
                  save({ nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), parentId: v.parentId ?? null }, current.id)
                }
              >
                <OrgFields tree={organisationTree(items, name, current.id)} />
                {manage ? (
                  <Space>
                    <Button type="primary" htmlType="submit">
                      {t('backoffice.common.save')}
                    </Button>
                    <Button icon={<PlusOutlined />} onClick={() => setCreating({ parentId: current.id })}>
                      {t('backoffice.organisations.addChild')}
                    </Button>
                  </Space>
                ) : null}
              </Form>
            </Card>
          ) : (
            <Typography.Text type="secondary">{t('backoffice.organisations.selectHint')}</Typography.Text>
          )}
        </Col>
      </Row>
      {creating ? (
        <CreateOrgModal
          parentId={creating.parentId}
          tree={organisationTree(items, name)}
          onClose={() => setCreating(undefined)}
          onSave={(body) => save(body)}
        />
      ) : null}
    </Card>
  );
}

function OrgFields(props: { tree: ReturnType<typeof organisationTree> }) {
  const { t } = useTranslation();
  const required = { required: true, whitespace: true, message: t('backoffice.staff.requiredField') };
  return (
    <>
      <Form.Item name="nameZh" label={t('backoffice.organisations.nameZh')} rules={[required, { max: 60 }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="nameEn" label={t('backoffice.organisations.nameEn')} rules={[required, { max: 60 }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="parentId" label={t('backoffice.organisations.parent')}>
        <TreeSelect
          allowClear
          placeholder={t('backoffice.organisations.root')}
          treeData={props.tree}
          treeDefaultExpandAll
        />
      </Form.Item>
    </>
  );
}

function CreateOrgModal(props: {
  parentId: string | null;
  tree: ReturnType<typeof organisationTree>;
  onClose: () => void;
  onSave: (body: object) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OrgForm>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('backoffice.organisations.createTitle')}
      okText={t('backoffice.common.save')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ loading: busy }}
      onCancel={props.onClose}
      destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields().catch(() => undefined);
        if (!v) return;
        setBusy(true);
        try {
          const ok = await props.onSave({
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            parentId: v.parentId ?? null,
          });
          if (ok) props.onClose();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ parentId: props.parentId }}>
        <OrgFields tree={props.tree} />
      </Form>
    </Modal>
  );
}
