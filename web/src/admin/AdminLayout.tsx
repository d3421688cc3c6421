import {
  AccountBookOutlined,
  BarChartOutlined,
  DashboardOutlined,
  LogoutOutlined,
  SettingOutlined,
  TeamOutlined,
  TransactionOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, type MenuProps, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../shared/api.ts';
import { LanguageSwitch } from '../shared/LanguageSwitch.tsx';
import { PageLoading } from '../shared/PageLoading.tsx';
import { useSetStaffMe, useStaffMe } from './staff-session.ts';

interface MenuEntry {
  readonly key: string;
  readonly icon?: ReactNode;
  readonly label: string;
  /** Shown only to staff holding this permission. */
  readonly permission: string;
  readonly children?: readonly MenuEntry[];
}

/** The back-office menu; each entry appears only for staff with its permission. */
export const ADMIN_MENU: readonly MenuEntry[] = [
  { key: 'workbench', icon: <DashboardOutlined />, label: 'admin.menu.workbench', permission: 'workbench.read' },
  {
    key: 'members',
    icon: <TeamOutlined />,
    label: 'admin.menu.members',
    permission: 'members.read',
    children: [
      { key: 'members/list', label: 'backoffice.menu.memberList', permission: 'members.read' },
      { key: 'members/approvals', label: 'backoffice.menu.approvals', permission: 'approvals.read' },
      { key: 'members/bank-cards', label: 'customer.cardReview.title', permission: 'cards.review' },
      { key: 'members/documents', label: 'documents.review.title', permission: 'kyc.review' },
    ],
  },
  {
    key: 'loans',
    icon: <AccountBookOutlined />,
    label: 'admin.menu.loans',
    permission: 'workbench.read',
    children: [
      { key: 'loans/products', label: 'market.admin.products', permission: 'loans.products' },
      { key: 'loans/first-review', label: 'market.admin.review', permission: 'loans.review' },
      { key: 'loans/second-review', label: 'bidding.review.title', permission: 'loans.second_review' },
    ],
  },
  {
    key: 'finance',
    icon: <TransactionOutlined />,
    label: 'admin.menu.finance',
    permission: 'ledger.read',
    children: [
      { key: 'finance/trial-balance', label: 'admin.financeMenu.trialBalance', permission: 'ledger.trial_balance' },
      { key: 'finance/statements', label: 'admin.financeMenu.statements', permission: 'ledger.read' },
      { key: 'finance/payment-orders', label: 'admin.financeMenu.paymentOrders', permission: 'payments.read' },
      { key: 'finance/withdrawals', label: 'withdraw.admin.title', permission: 'payments.read' },
      { key: 'finance/custodian-callbacks', label: 'admin.financeMenu.callbacks', permission: 'payments.read' },
      { key: 'finance/reconciliation', label: 'admin.financeMenu.reconciliation', permission: 'payments.reconcile' },
      {
        key: 'finance/offline-recharges',
        label: 'admin.financeMenu.offlineRecharge',
        permission: 'payments.offline_recharge',
      },
    ],
  },
  { key: 'reports', icon: <BarChartOutlined />, label: 'admin.menu.reports', permission: 'ledger.read' },
  {
    key: 'system',
    icon: <SettingOutlined />,
    label: 'admin.menu.system',
    permission: 'staff.read',
    children: [
      { key: 'system/staff', label: 'backoffice.menu.staff', permission: 'staff.read' },
      { key: 'system/roles', label: 'backoffice.menu.roles', permission: 'staff.read' },
      { key: 'system/organisations', label: 'backoffice.menu.organisations', permission: 'staff.read' },
      { key: 'system/audit-log', label: 'backoffice.menu.auditLog', permission: 'audit.read' },
      { key: 'system/sms-outbox', label: 'backoffice.menu.smsOutbox', permission: 'sms.outbox.read' },
    ],
  },
];

function visibleMenu(
  entries: readonly MenuEntry[],
  permissions: ReadonlySet<string>,
  t: (k: string) => string,
): MenuProps['items'] {
  return entries
    .filter((e) => permissions.has(e.permission) || e.children?.some((c) => permissions.has(c.permission)))
    .map((e) => ({
      key: e.key,
      icon: e.icon,
      label: t(e.label),
      ...(e.children ? { children: visibleMenu(e.children, permissions, t) } : {}),
    }));
}

/** The back office frame: only for signed-in staff who finished set-up; sider menu by permission. */
export function AdminLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useStaffMe();
  const setMe = useSetStaffMe();
  if (me.isPending) return <PageLoading />;
  if (!me.data) return <Navigate to="/admin/login" replace state={{ from: location.pathname }} />;
  if (me.data.stage === 'setup') return <Navigate to="/admin/setup" replace />;
  const permissions = new Set(me.data.permissions);
  const selected = location.pathname.replace(/^\/admin\/?/, '') || 'workbench';

  async function signOut() {
    try {
      await api('/api/v1/admin/auth/logout', { method: 'POST' });
    } finally {
      setMe(null);
      navigate('/admin/login', { replace: true });
    }
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={64} theme="dark">
        <div
          style={{
            color: '#fff',
            padding: '18px 20px',
            fontWeight: 600,
            fontSize: 16,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          {t('brand.name')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          aria-label="admin"
          selectedKeys={[selected]}
          defaultOpenKeys={[selected.split('/')[0] ?? '']}
          items={visibleMenu(ADMIN_MENU, permissions, t)}
          onClick={({ key }) => navigate(`/admin/${key}`)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            paddingInline: 24,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
          }}
        >
          <Typography.Text strong>{t('admin.title')}</Typography.Text>
          <Space>
            <Typography.Text data-testid="staff-name">{me.data.displayName}</Typography.Text>
            <LanguageSwitch />
            <Button type="link" href="/">
              {t('admin.backToSite')}
            </Button>
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              {t('admin.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Outlet context={me.data} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
