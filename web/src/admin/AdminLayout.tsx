import {
  AccountBookOutlined,
  BarChartOutlined,
  DashboardOutlined,
  SettingOutlined,
  TeamOutlined,
  TransactionOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../shared/LanguageSwitch.tsx';

export const ADMIN_MENU = [
  { key: 'workbench', icon: <DashboardOutlined />, label: 'admin.menu.workbench' },
  { key: 'members', icon: <TeamOutlined />, label: 'admin.menu.members' },
  { key: 'loans', icon: <AccountBookOutlined />, label: 'admin.menu.loans' },
  { key: 'finance', icon: <TransactionOutlined />, label: 'admin.menu.finance' },
  { key: 'reports', icon: <BarChartOutlined />, label: 'admin.menu.reports' },
  { key: 'system', icon: <SettingOutlined />, label: 'admin.menu.system' },
] as const;

/** The back office frame: sider menu, top bar with the language switch. */
export function AdminLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const section = location.pathname.split('/')[2] ?? 'workbench';
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
          selectedKeys={[section]}
          items={ADMIN_MENU.map((m) => ({ key: m.key, icon: m.icon, label: t(m.label) }))}
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
            <LanguageSwitch />
            <Button type="link" href="/">
              {t('admin.backToSite')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
