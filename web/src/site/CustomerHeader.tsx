import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCustomerMe, useSignOut } from './customer-session.ts';

/** The header's customer corner: the signed-in phone (masked) and sign-out, or the sign-in and sign-up links. */
export function CustomerHeader() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCustomerMe();
  const signOut = useSignOut();
  if (me.isPending) return null;
  if (!me.data) {
    return (
      <Space size="small">
        <Button type="text" data-testid="header-login" onClick={() => navigate('/login')}>
          {t('customer.header.login')}
        </Button>
        <Button type="primary" data-testid="header-register" onClick={() => navigate('/register')}>
          {t('customer.header.register')}
        </Button>
      </Space>
    );
  }
  return (
    <Space size="small">
      <Link to="/account">
        <Typography.Text data-testid="header-phone">
          <UserOutlined /> {me.data.phoneMasked}
        </Typography.Text>
      </Link>
      <Button
        type="text"
        icon={<LogoutOutlined />}
        data-testid="header-sign-out"
        onClick={async () => {
          await signOut();
          navigate('/', { replace: true });
        }}
      >
        {t('customer.header.signOut')}
      </Button>
    </Space>
  );
}
