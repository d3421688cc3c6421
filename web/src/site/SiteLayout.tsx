import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../shared/LanguageSwitch.tsx';
import { CustomerHeader } from './CustomerHeader.tsx';

const NAV = [
  { key: '/', label: 'nav.home' },
  { key: '/invest', label: 'nav.invest' },
  { key: '/borrow', label: 'nav.borrow' },
  { key: '/tools', label: 'nav.tools' },
  { key: '/help', label: 'nav.help' },
  { key: '/account', label: 'nav.account' },
] as const;

function selectedKey(pathname: string): string {
  const match = NAV.filter((n) => n.key !== '/' && pathname.startsWith(n.key)).map((n) => n.key)[0];
  return match ?? '/';
}

/** The customer site's frame: header with the main sections and the language switch, footer with the risk notice. */
export function SiteLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 24,
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
          paddingInline: 32,
        }}
      >
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8 }} data-testid="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ fontSize: 20, color: '#b8322a', whiteSpace: 'nowrap' }}>
            {t('brand.name')}
          </Typography.Text>
        </Link>
        <Menu
          mode="horizontal"
          aria-label="main"
          selectedKeys={[selectedKey(location.pathname)]}
          items={NAV.map((n) => ({ key: n.key, label: t(n.label) }))}
          onClick={({ key }) => navigate(key)}
          style={{ flex: 1, minWidth: 0, borderBottom: 'none' }}
        />
        <Space>
          <CustomerHeader />
          <LanguageSwitch />
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: '24px 32px', maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#888' }}>
        <div>{t('footer.risk')}</div>
        <div>
          {t('footer.copyright', { year: new Date().getFullYear() })} ·{' '}
          <Button type="link" size="small" href="/admin" style={{ padding: 0 }}>
            {t('nav.admin')}
          </Button>
        </div>
      </Layout.Footer>
    </Layout>
  );
}
