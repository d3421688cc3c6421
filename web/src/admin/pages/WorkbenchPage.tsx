import { AuditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api.ts';
import { useCan } from '../use-admin.ts';

interface Workbench {
  pendingApprovals: number;
}

/** 工作台: what waits for the signed-in staff member. */
export function WorkbenchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  const query = useQuery({
    queryKey: ['admin-workbench'],
    queryFn: () => api<Workbench>('/api/v1/admin/workbench'),
  });
  const showApprovals = can('approvals.read');
  return (
    <Card title={t('admin.workbenchTitle')}>
      {showApprovals ? (
        <Row gutter={16}>
          <Col xs={24} sm={12} lg={6}>
            <Card size="small">
              <Statistic
                title={t('backoffice.workbench.pendingApprovals')}
                value={query.data?.pendingApprovals ?? 0}
                loading={query.isPending}
                prefix={<AuditOutlined />}
                data-testid="workbench-pending-approvals"
              />
              <Button type="link" style={{ paddingInline: 0 }} onClick={() => navigate('/admin/members/approvals')}>
                {t('backoffice.workbench.open')}
              </Button>
            </Card>
          </Col>
        </Row>
      ) : (
        <Empty description={t('admin.workbenchEmpty')} />
      )}
    </Card>
  );
}
