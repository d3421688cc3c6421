import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutletContext } from 'react-router';
import type { StaffMe } from './staff-session.ts';

/** Show the page only to staff with the permission (the API refuses the others anyway). */
export function RequirePermission(props: { permission: string; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useOutletContext<StaffMe>();
  if (!me.permissions.includes(props.permission))
    return <Result status="403" title="403" subTitle={t('admin.forbidden')} />;
  return <>{props.children}</>;
}
