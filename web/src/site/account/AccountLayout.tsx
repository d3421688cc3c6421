import {
  BankOutlined,
  DashboardOutlined,
  FileTextOutlined,
  FundOutlined,
  IdcardOutlined,
  MoneyCollectOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  UnorderedListOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Alert, Card, Layout, Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { PageLoading } from '../../shared/PageLoading.tsx';
import { useCustomerMe } from '../customer-session.ts';

/** The account area's sections; other capabilities add theirs here (documents, risk questionnaire, …). */
export const ACCOUNT_MENU = [
  { key: '/account', icon: <DashboardOutlined />, label: 'customer.account.menu.overview' },
  { key: '/account/recharge', icon: <WalletOutlined />, label: 'payments.rechargeTitle' },
  { key: '/account/withdraw', icon: <MoneyCollectOutlined />, label: 'withdraw.title' },
  { key: '/account/bids', icon: <FundOutlined />, label: 'bidding.myBids.title' },
  { key: '/account/statement', icon: <UnorderedListOutlined />, label: 'customer.account.menu.statement' },
  { key: '/account/real-name', icon: <IdcardOutlined />, label: 'customer.account.menu.realName' },
  { key: '/account/bank-cards', icon: <BankOutlined />, label: 'customer.account.menu.bankCards' },
  { key: '/account/documents', icon: <FileTextOutlined />, label: 'documents.title' },
  { key: '/account/company', icon: <ShopOutlined />, label: 'company.title' },
  { key: '/account/risk-assessment', icon: <SafetyCertificateOutlined />, label: 'risk.title' },
] as const;

function selectedKey(pathname: string): string {
  const path = pathname.replace(/\/+$/, '');
  const match = ACCOUNT_MENU.filter((m) => m.key !== '/account' && path.startsWith(m.key))[0];
  return match?.key ?? '/account';
}

/** 我的账户: signed-in customers only (others go to the login page), a side menu and the section. */
export function AccountLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useCustomerMe();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <Alert type="error" showIcon title={me.error.message} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <Layout style={{ background: 'transparent', gap: 16 }} hasSider>
      <Layout.Sider width={200} theme="light" style={{ background: 'transparent' }}>
        <Card styles={{ body: { padding: 8 } }}>
          <Menu
            mode="inline"
            aria-label="account"
            selectedKeys={[selectedKey(location.pathname)]}
            items={ACCOUNT_MENU.map((m) => ({ key: m.key, icon: m.icon, label: t(m.label) }))}
            onClick={({ key }) => navigate(key)}
            style={{ borderInlineEnd: 'none' }}
          />
        </Card>
      </Layout.Sider>
      <Layout.Content style={{ minWidth: 0 }}>
        {me.data.status === 'frozen' ? (
          <Alert type="warning" showIcon title={t('customer.account.frozenNotice')} style={{ marginBottom: 16 }} />
        ) : null}
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
