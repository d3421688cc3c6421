import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { shanghaiTime, yuan } from '../../shared/format.ts';
import { useCan, useCursorList } from '../use-admin.ts';
import { ReasonModal } from './ReasonModal.tsx';

interface VipLevel {
  level: number;
  name: string;
  minPoints: number;
}

export interface MemberDetail {
  id: string;
  phoneMasked: string;
  kind: 'person' | 'company';
  status: 'active' | 'frozen' | 'closed';
  statusReason: string | null;
  referralCode: string;
  referredBy: string | null;
  lockedUntil: string | null;
  createdAt: string;
  balances: { availableFen: number; frozenFen: number; bonusFen: number; totalCashFen: number } | null;
  vip: { points: number; level: VipLevel; next: { level: VipLevel; pointsNeeded: number } | null };
  pendingUnfreezeId: string | null;
  unreadMessages: number;
  certification: {
    realName: { nameMasked: string; idNumberMasked: string; verifiedAt: string } | null;
    bankCards: { bound: number; pending: number };
    documents: { pending: number; approved: number; rejected: number };
    riskLevel: string | null;
  };
}

const RISK_LEVELS = ['conservative', 'steady', 'balanced', 'aggressive'];

interface Violation {
  id: string;
  action: 'flag' | 'freeze' | 'unfreeze';
  reason: string;
  staff: { id: string; displayName: string } | null;
  approvalId: string | null;
  createdAt: string;
}

interface Message {
  id: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}

export const MEMBER_STATUS_COLOR = { active: 'green', frozen: 'red', closed: 'default' } as const;

type Dialog = 'freeze' | 'unfreeze' | 'flag' | 'points' | 'message' | undefined;

/** One member: profile (masked), status, funds, VIP level, violations and messages; freeze / unfreeze. */
export function MemberDrawer(props: { memberId: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>();
  const id = props.memberId;
  const detail = useQuery({
    queryKey: ['admin-member', id],
    enabled: Boolean(id),
    queryFn: () => api<MemberDetail>(`/api/v1/admin/members/${encodeURIComponent(id ?? '')}`),
  });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['admin-member', id] });
    await client.invalidateQueries({ queryKey: ['admin-member-violations', id] });
    await client.invalidateQueries({ queryKey: ['admin-member-messages', id] });
    await client.invalidateQueries({ queryKey: ['admin-members'] });
  };
  const post = async (path: string, body: object, done: string) => {
    try {
      await api(`/api/v1/admin/members/${encodeURIComponent(id ?? '')}/${path}`, { method: 'POST', body });
      message.success(done);
      setDialog(undefined);
      await refresh();
      return true;
    } catch (error) {
      // The dialog stays open with what was typed; the message says why.
      message.error(error instanceof Error ? error.message : String(error));
      return false;
    }
  };
  const m = detail.data;
  const manage = can('members.manage');

  return (
    <Drawer
      open={Boolean(id)}
      onClose={props.onClose}
      size={760}
      title={t('backoffice.members.drawerTitle')}
      destroyOnHidden
      extra={
        m && manage ? (
          <Space>
            {m.status === 'active' ? (
              <>
                <Button onClick={() => setDialog('flag')}>{t('backoffice.members.flag')}</Button>
                <Button danger type="primary" onClick={() => setDialog('freeze')} data-testid="member-freeze">
                  {t('backoffice.members.freeze')}
                </Button>
              </>
            ) : null}
            {m.status === 'frozen' && !m.pendingUnfreezeId ? (
              <Button type="primary" onClick={() => setDialog('unfreeze')} data-testid="member-unfreeze">
                {t('backoffice.members.unfreeze')}
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      {detail.isPending ? <Spin /> : null}
      {detail.isError ? <Alert type="error" showIcon title={detail.error.message} /> : null}
      {m ? (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {m.status === 'frozen' ? (
            <Alert
              type="error"
              showIcon
              title={`${t('backoffice.members.statusName.frozen')}：${m.statusReason ?? ''}`}
              description={m.pendingUnfreezeId ? t('backoffice.members.unfreezePending') : undefined}
              data-testid="member-frozen-alert"
            />
          ) : null}
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'phone', label: t('backoffice.members.phone'), children: m.phoneMasked },
              {
                key: 'status',
                label: t('backoffice.common.status'),
                children: (
                  <Tag color={MEMBER_STATUS_COLOR[m.status]} data-testid="member-status">
                    {t(`backoffice.members.statusName.${m.status}`)}
                  </Tag>
                ),
              },
              {
                key: 'id',
                label: t('backoffice.members.id'),
                span: 2,
                children: <Typography.Text copyable>{m.id}</Typography.Text>,
              },
              {
                key: 'kind',
                label: t('backoffice.members.kind'),
                children: t(`backoffice.members.kindName.${m.kind}`),
              },
              { key: 'ref', label: t('backoffice.members.referralCode'), children: m.referralCode },
              { key: 'created', label: t('backoffice.members.registeredAt'), children: shanghaiTime(m.createdAt) },
              {
                key: 'by',
                label: t('backoffice.members.referredBy'),
                children: m.referredBy ?? t('backoffice.common.none'),
              },
              {
                key: 'realName',
                label: t('backoffice.members.realName'),
                children: m.certification.realName ? (
                  <Space size={4}>
                    <Tag color="green">{m.certification.realName.nameMasked}</Tag>
                    {m.certification.realName.idNumberMasked}
                  </Space>
                ) : (
                  <Tag>{t('backoffice.members.realNameNone')}</Tag>
                ),
              },
              {
                key: 'risk',
                label: t('backoffice.members.risk'),
                children:
                  m.certification.riskLevel && RISK_LEVELS.includes(m.certification.riskLevel)
                    ? t(`backoffice.members.riskLevel.${m.certification.riskLevel}`)
                    : (m.certification.riskLevel ?? t('backoffice.members.riskNone')),
              },
              {
                key: 'cards',
                label: t('backoffice.members.bankCards'),
                children: t('backoffice.members.cardsSummary', m.certification.bankCards),
              },
              {
                key: 'documents',
                label: t('backoffice.members.documents'),
                children: t('backoffice.members.documentsSummary', m.certification.documents),
              },
              ...(m.lockedUntil
                ? [{ key: 'lock', label: t('backoffice.members.lockedUntil'), children: shanghaiTime(m.lockedUntil) }]
                : []),
            ]}
          />
          <Row gutter={16}>
            <Col span={14}>
              <Card size="small" title={t('backoffice.members.balances')}>
                {m.balances ? (
                  <Row gutter={8}>
                    <Col span={8}>
                      <Statistic title={t('backoffice.members.available')} value={yuan(m.balances.availableFen)} />
                    </Col>
                    <Col span={8}>
                      <Statistic title={t('backoffice.members.frozenFunds')} value={yuan(m.balances.frozenFen)} />
                    </Col>
                    <Col span={8}>
                      <Statistic title={t('backoffice.members.bonus')} value={yuan(m.balances.bonusFen)} />
                    </Col>
                  </Row>
                ) : (
                  <Typography.Text type="secondary">{t('backoffice.members.noAccounts')}</Typography.Text>
                )}
              </Card>
            </Col>
            <Col span={10}>
              <Card
                size="small"
                title={t('backoffice.members.vip')}
                extra={
                  manage ? (
                    <Button size="small" type="link" onClick={() => setDialog('points')}>
                      {t('backoffice.members.adjustPoints')}
                    </Button>
                  ) : null
                }
              >
                <Space orientation="vertical" style={{ width: '100%' }} size={4}>
                  <Space>
                    <Tag color="gold">{m.vip.level.name}</Tag>
                    <Typography.Text strong data-testid="member-points">
                      {m.vip.points}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('backoffice.members.points')}</Typography.Text>
                  </Space>
                  {m.vip.next ? (
                    <>
                      <Progress
                        size="small"
                        percent={Math.floor(
                          ((m.vip.points - m.vip.level.minPoints) * 100) /
                            Math.max(1, m.vip.next.level.minPoints - m.vip.level.minPoints),
                        )}
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('backoffice.members.vipNext', {
                          level: m.vip.next.level.name,
                          points: m.vip.next.pointsNeeded,
                        })}
                      </Typography.Text>
                    </>
                  ) : (
                    <Typography.Text type="secondary">{t('backoffice.members.vipTop')}</Typography.Text>
                  )}
                </Space>
              </Card>
            </Col>
          </Row>
          <Tabs
            items={[
              {
                key: 'violations',
                label: t('backoffice.members.violations'),
                children: <ViolationsTable memberId={m.id} />,
              },
              {
                key: 'messages',
                label: (
                  <Badge count={m.unreadMessages} size="small" offset={[8, 0]}>
                    {t('backoffice.members.messages')}
                  </Badge>
                ),
                children: <MessagesList memberId={m.id} onSend={manage ? () => setDialog('message') : undefined} />,
              },
            ]}
          />
        </Space>
      ) : null}

      <ReasonModal
        open={dialog === 'freeze'}
        title={t('backoffice.members.freezeTitle')}
        warning={t('backoffice.members.freezeWarning')}
        okText={t('backoffice.members.freeze')}
        danger
        onCancel={() => setDialog(undefined)}
        onSubmit={(reason) => post('freeze', { reason }, t('backoffice.members.frozenOk'))}
      />
      <ReasonModal
        open={dialog === 'unfreeze'}
        title={t('backoffice.members.unfreezeTitle')}
        warning={t('backoffice.members.unfreezeWarning')}
        onCancel={() => setDialog(undefined)}
        onSubmit={(reason) => post('unfreeze', { reason }, t('backoffice.members.unfreezeRequested'))}
      />
      <ReasonModal
        open={dialog === 'flag'}
        title={t('backoffice.members.flagTitle')}
        onCancel={() => setDialog(undefined)}
        onSubmit={(reason) => post('violations', { reason }, t('backoffice.members.flagged'))}
      />
      <PointsModal
        open={dialog === 'points'}
        onCancel={() => setDialog(undefined)}
        onSubmit={(deltaPoints, reason) => post('points', { deltaPoints, reason }, t('backoffice.common.saved'))}
      />
      <MessageModal
        open={dialog === 'message'}
        onCancel={() => setDialog(undefined)}
        onSubmit={(title, body) => post('messages', { title, body }, t('backoffice.members.messageSent'))}
      />
    </Drawer>
  );
}

function ViolationsTable(props: { memberId: string }) {
  const { t } = useTranslation();
  const list = useCursorList<Violation>(
    ['admin-member-violations', props.memberId],
    `/api/v1/admin/members/${encodeURIComponent(props.memberId)}/violations`,
    {},
  );
  return (
    <>
      <Table<Violation>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        locale={{ emptyText: t('backoffice.members.violationsEmpty') }}
        data-testid="member-violations"
        columns={[
          { title: t('backoffice.common.time'), dataIndex: 'createdAt', render: (v: string) => shanghaiTime(v) },
          {
            title: t('backoffice.members.action'),
            dataIndex: 'action',
            render: (v: Violation['action']) => (
              <Tag color={v === 'unfreeze' ? 'green' : v === 'freeze' ? 'red' : 'orange'}>
                {t(`backoffice.members.actionName.${v}`)}
              </Tag>
            ),
          },
          { title: t('backoffice.common.reason'), dataIndex: 'reason' },
          {
            title: t('backoffice.members.staff'),
            dataIndex: 'staff',
            render: (s: Violation['staff']) => s?.displayName ?? '—',
          },
        ]}
      />
      {list.hasNextPage ? (
        <Button block size="small" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('backoffice.common.more')}
        </Button>
      ) : null}
    </>
  );
}

function MessagesList(props: { memberId: string; onSend: (() => void) | undefined }) {
  const { t } = useTranslation();
  const list = useCursorList<Message>(
    ['admin-member-messages', props.memberId],
    `/api/v1/admin/members/${encodeURIComponent(props.memberId)}/messages`,
    {},
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {props.onSend ? (
        <Button onClick={props.onSend} data-testid="member-send-message">
          {t('backoffice.members.sendMessage')}
        </Button>
      ) : null}
      {list.rows.length === 0 && !list.isFetching ? (
        <Empty description={t('backoffice.members.messagesEmpty')} />
      ) : null}
      {list.rows.length ? (
        <List
          size="small"
          loading={list.isFetching && !list.isFetchingNextPage}
          dataSource={list.rows}
          renderItem={(msg) => (
            <List.Item
              extra={
                <Tag color={msg.readAt ? 'default' : 'blue'}>
                  {msg.readAt ? t('backoffice.members.read') : t('backoffice.members.unread')}
                </Tag>
              }
            >
              <List.Item.Meta
                title={msg.title}
                description={
                  <>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{msg.body}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {shanghaiTime(msg.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : null}
      {list.hasNextPage ? (
        <Button block size="small" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('backoffice.common.more')}
        </Button>
      ) : null}
    </Space>
  );
}

function PointsModal(props: {
  open: boolean;
  onCancel: () => void;
  onSubmit: (deltaPoints: number, reason: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ deltaPoints: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={props.open}
      title={t('backoffice.members.adjustPoints')}
      okText={t('backoffice.common.save')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
      onCancel={props.onCancel}
      onOk={async () => {
        const v = await form.validateFields().catch(() => undefined);
        if (!v) return; // the form shows what is missing
        setBusy(true);
        try {
          if (await props.onSubmit(v.deltaPoints, v.reason.trim())) form.resetFields();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="deltaPoints"
          label={t('backoffice.members.deltaPoints')}
          rules={[
            {
              required: true,
              validator: (_r, v: number | null) =>
                v !== null && v !== undefined && Number.isInteger(v) && v !== 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('backoffice.members.deltaRequired'))),
            },
          ]}
        >
          <InputNumber precision={0} min={-1_000_000} max={1_000_000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('backoffice.common.reason')}
          rules={[{ required: true, whitespace: true, message: t('backoffice.common.reasonRequired') }, { max: 200 }]}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MessageModal(props: {
  open: boolean;
  onCancel: () => void;
  onSubmit: (title: string, body: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ title: string; body: string }>();
  const [busy, setBusy] = useState(false);
  const required = { required: true, whitespace: true, message: t('backoffice.members.messageRequired') };
  return (
    <Modal
      open={props.open}
      title={t('backoffice.members.sendMessage')}
      okText={t('backoffice.common.confirm')}
      cancelText={t('backoffice.common.cancel')}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
      onCancel={props.onCancel}
      onOk={async () => {
        const v = await form.validateFields().catch(() => undefined);
        if (!v) return; // the form shows what is missing
        setBusy(true);
        try {
          if (await props.onSubmit(v.title.trim(), v.body.trim())) form.resetFields();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="title" label={t('backoffice.members.messageTitle')} rules={[required, { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="body" label={t('backoffice.members.messageBody')} rules={[required, { max: 2000 }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
